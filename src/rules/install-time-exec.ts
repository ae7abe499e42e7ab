import type { CallSite } from '../python/index.js';
import { callHit, DYNAMIC_EXEC } from './context.js';
import type { Rule } from './types.js';

// setup.py idioms that exec a file of the project itself to read its version: not a payload.
const READS_OWN_FILE = /\bopen\s*\(|\.read(_text)?\s*\(|__file__|version/i;

const isDynamic = (call: CallSite) => {
  const arg = call.args[0] ?? '';
  return arg !== '' && !/^[rRbBuUfF]{0,2}['"]/.test(arg) && !READS_OWN_FILE.test(arg);
};

export const installTimeExec: Rule = {
  id: 'install-time-exec',
  category: 'dynamic-code',
  severity: 'high',
  description:
    'Runs exec/eval/compile on a computed value while the package installs (setup.py, cmdclass) or is imported.',
  rationale:
    'Executing code built or fetched at install or import time hides what runs on the victim; honest setup.py files exec only their own version file.',
  check: (file) =>
    file.calls
      .filter(
        (c) =>
          (DYNAMIC_EXEC.test(c.name) || c.name === 'compile') &&
          (c.role === 'install' || c.role === 'import') &&
          isDynamic(c),
      )
      .map((c) =>
        callHit(
          c,
          c.role === 'install' ? 'high' : 'medium',
          `${c.name} of a computed value at ${c.role} time`,
        ),
      ),
};
