import { callHit } from './context.js';
import type { Rule } from './types.js';

const LITERAL_ONLY = /^[rRuU]?(['"])[\w.]+\1$/;

export const dynamicImport: Rule = {
  id: 'dynamic-import',
  category: 'dynamic-code',
  severity: 'high',
  description:
    'Imports a module whose name is computed (__import__ / importlib.import_module of a non-literal), or reaches exec/eval through __import__.',
  rationale:
    "Computing module names (''.join, chr(), decoded strings) hides which modules the code uses from readers and scanners.",
  check: (file) =>
    file.calls.flatMap((c) => {
      if (/^(builtins|__builtin__)\.(exec|eval|compile)$/.test(c.name)) {
        return [
          callHit(c, c.role === 'test' ? 'medium' : 'high', `${c.name} reached through the builtins module`),
        ];
      }
      if (c.name !== '__import__' && c.name !== 'importlib.import_module') return [];
      const arg = c.args[0] ?? '';
      // A plain variable (plugin loaders) is common in benign code; obfuscation builds the name with calls.
      if (LITERAL_ONLY.test(arg) || /^[\w.]+$/.test(arg) || arg === '') return [];
      if (!/[()[\]+]/.test(arg)) return [];
      return [callHit(c, c.role === 'test' ? 'low' : 'high', `${c.name} of a computed name: ${arg}`)];
    }),
};
