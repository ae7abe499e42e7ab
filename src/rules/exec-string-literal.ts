import { DYNAMIC_EXEC, callHit } from './context.js';
import type { Rule } from './types.js';

// A literal at least this long passed to exec/eval is a program, not an expression.
const LONG = 120;

export const execStringLiteral: Rule = {
  id: 'exec-string-literal',
  category: 'dynamic-code',
  severity: 'high',
  description: 'Executes a long string literal with exec/eval, or compiles and executes it.',
  rationale:
    'Code kept in a string is invisible to tools that read the module; droppers embed their second stage this way.',
  check: (file) =>
    file.calls
      .filter(
        (c) =>
          DYNAMIC_EXEC.test(c.name) &&
          /^[rRbBuU]{0,2}['"]/.test(c.args[0] ?? '') &&
          (c.args[0]?.length ?? 0) >= LONG,
      )
      .map((c) =>
        callHit(
          c,
          c.role === 'test' ? 'low' : 'high',
          `${c.name} of a ${c.args[0]?.length ?? 0}+ character literal`,
        ),
      ),
};
