import { inTestsOrDocsPath } from './context.js';
import type { Rule, RuleHit } from './types.js';

// `run = exec`, `e = getattr(__builtins__, 'exec')`, `x = __builtins__.__dict__['eval']`: renaming the
// built-in code runners so that a reader (or a scanner) searching for exec( finds nothing.
const ALIAS =
  /^\s*[A-Za-z_]\w*\s*=\s*(exec|eval|compile|__import__|builtins\.(exec|eval)|__builtins__\.(exec|eval)|getattr\(\s*(__builtins__|builtins)\s*,\s*['"](exec|eval|__import__)['"]\s*\)|(__builtins__|builtins)\.__dict__\[\s*['"](exec|eval)['"]\s*\])\s*(#.*)?$/;

/**
 * What every line ALIAS matches contains, tested once on the whole source: an `=` and, after spaces, a runner
 * name that ends its line (before spaces and a comment), a builtins attribute, or getattr on builtins. Most
 * files have no such text, and their lines need no test of their own.
 */
const ALIAS_TEXT =
  /=\s*(?:(?:exec|eval|compile|__import__)\s*(?:#|\n|$)|(?:__builtins__|builtins)\.|getattr\(\s*(?:__builtins__|builtins)\s*,)/;

export const execAlias: Rule = {
  id: 'exec-alias',
  category: 'obfuscation',
  severity: 'high',
  description:
    'Binds exec, eval, compile or __import__ to another name (directly, via getattr or __builtins__).',
  rationale: 'Renaming the code runners hides where code is executed; honest code calls them by their name.',
  check: (file) => {
    const hits: RuleHit[] = [];
    if (!ALIAS_TEXT.test(file.source)) return hits;
    file.lines.forEach((line, index) => {
      if (line.length > 300 || !ALIAS.test(line)) return;
      const role = inTestsOrDocsPath(file.path) ? 'test' : /^\s/.test(line) ? 'runtime' : 'import';
      hits.push({
        line: index + 1,
        role,
        severity: role === 'test' ? 'low' : 'high',
        message: 'code runner renamed',
      });
    });
    return hits;
  },
};
