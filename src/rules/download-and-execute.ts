import type { CallSite } from '../python/index.js';
import { callHit, DYNAMIC_EXEC, NETWORK_CALL, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

const early = (c: CallSite) => c.role === 'install' || c.role === 'import';
const RUN_FILE = /^(os\.chmod|os\.startfile)$/;

export const downloadAndExecute: Rule = {
  id: 'download-and-execute',
  category: 'dynamic-code',
  severity: 'critical',
  description: 'Fetches something over the network and executes code or starts a program in the same file.',
  rationale: 'The classic dropper: download a second stage at install or import time and run it.',
  check: (file) => {
    // One pass finds the first fetch and whether any fetch runs early; most files have none.
    let first: CallSite | undefined;
    let earlyFetch = false;
    for (const c of file.calls) {
      if (c.role === 'test' || !NETWORK_CALL.test(c.name)) continue;
      first ??= c;
      if (early(c)) {
        earlyFetch = true;
        break;
      }
    }
    if (!first) return [];
    const hits: RuleHit[] = [];
    for (const c of file.calls) {
      if (c.role === 'test') continue;
      const isExec = DYNAMIC_EXEC.test(c.name);
      const isRun = PROCESS_CALL.test(c.name) || RUN_FILE.test(c.name);
      if (!isExec && !isRun) continue;
      const atInstallOrImport = early(c) || earlyFetch;
      const severity = atInstallOrImport ? 'critical' : isExec ? 'high' : 'medium';
      hits.push(
        callHit(c, severity, `${c.name} in a file that fetches with ${first.name} (line ${first.line})`),
      );
    }
    return hits;
  },
};
