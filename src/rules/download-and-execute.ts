import type { CallSite } from '../python/index.js';
import { callHit, DYNAMIC_EXEC, NETWORK_CALL, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

const early = (c: CallSite) => c.role === 'install' || c.role === 'import';
const RUN_FILE = /^(os\.chmod|os\.startfile)$/;
/** One string literal, nothing else: code or a command fixed in the source. */
const WHOLE_LITERAL =
  /^\s*[rRbBuU]{0,2}("{3}[\s\S]*"{3}|'{3}[\s\S]*'{3}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*$/;
/** One element of a command list written out in the source: a string (f-strings too) or the interpreter. */
const FIXED_ELEMENT = /^\s*([rRbBuUfF]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|sys\.executable)\s*$/;
/** A command with a URL, downloader, shell, interpreter code or temporary path: it can run what was fetched. */
const FETCHING_COMMAND =
  /https?:|ftp:|curl|wget|powershell|certutil|bitsadmin|\.exe\b|\.sh\b|\bsh\b|bash|cmd(\.exe)?\s*\/c|\s-c\b|["']-c["']|\/tmp\/|%TEMP%|AppData|Temp\\/i;

/** `[a, b, c]` or `(a, b)` whose every element is fixed in the source (split naively: a comma inside a string makes it "not fixed", which keeps the hit). */
function fixedList(arg: string): boolean {
  const m = /^\s*[[(]([\s\S]*)[\])]\s*$/.exec(arg);
  return m !== null && m[1]!.split(',').every((part) => part.trim() === '' || FIXED_ELEMENT.test(part));
}

/**
 * Whether the call can run what the file fetched: exec of one constant string cannot, nor a command written
 * out in full in the source (a string or a list of strings naming a tool: `git log`, `pip install x`) with no
 * URL, downloader, shell, interpreter code or temporary path in it. A command or code held in a variable,
 * built from pieces, or read from elsewhere can.
 */
function canRunFetched(c: CallSite, isExec: boolean): boolean {
  const first = c.args[0] ?? '';
  if (isExec) return !WHOLE_LITERAL.test(first);
  if (FETCHING_COMMAND.test(c.text)) return true;
  return !(WHOLE_LITERAL.test(first) || fixedList(first));
}

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
      if ((!isExec && !isRun) || !canRunFetched(c, isExec)) continue;
      const atInstallOrImport = early(c) || earlyFetch;
      const severity = atInstallOrImport ? 'critical' : isExec ? 'high' : 'medium';
      hits.push(
        callHit(c, severity, `${c.name} in a file that fetches with ${first.name} (line ${first.line})`),
      );
    }
    return hits;
  },
};
