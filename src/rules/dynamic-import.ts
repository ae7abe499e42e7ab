import { callHit } from './context.js';
import type { Rule } from './types.js';

// Names spelled so a reader cannot see them: joined characters, chr(), decoded or reversed strings. Plugin
// loaders build names too ('pkg.' + name), so plain concatenation does not count.
const HIDDEN_NAME =
  /chr\(|b64decode|\.decode\(|\[::-1\]|['"]{2}\.join|bytes\.fromhex|codecs\.|unhexlify|\\x[0-9a-f]{2}/i;

const IMPORTER = /^((builtins|__builtin__)\.)?__import__$|^importlib\.import_module$/;
const LITERAL = /^[rbuRBU]?(['"]).*\1$/s;

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
      const importer = IMPORTER.exec(c.name);
      if (!importer) return [];
      const arg = c.args[0] ?? '';
      if (HIDDEN_NAME.test(arg))
        return [callHit(c, c.role === 'test' ? 'low' : 'high', `${c.name} of a hidden name: ${arg}`)];
      // The importer itself reached by a spelled-out name (`globals()[chr..].get(chr..)`, getattr of a
      // folded string), then called on a name that is not written out: both halves hidden.
      if (c.resolved && arg && !LITERAL.test(arg))
        return [
          callHit(
            c,
            c.role === 'test' ? 'low' : 'high',
            `${c.name}, itself reached by a hidden name, imports ${arg}`,
          ),
        ];
      return [];
    }),
};
