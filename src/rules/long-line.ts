import type { Rule } from './types.js';

// Generated code that is not data: a very long line full of calls/semicolons, typical of one-line droppers.
const LONG = 2000;

export const longLine: Rule = {
  id: 'long-line',
  category: 'obfuscation',
  severity: 'medium',
  description:
    'Has a line of 2,000+ characters of code (not a single data literal), often pushed far right of the visible screen.',
  rationale:
    'Droppers hide code after hundreds of spaces or pack a whole program on one line so a reviewer does not see it.',
  check: (file) =>
    file.lines.flatMap((line, index) => {
      if (line.length < LONG) return [];
      const hiddenRight = /^\S.*\s{200,}\S/.test(line);
      const codeLike = (line.match(/;|\(/g)?.length ?? 0) >= 20;
      if (!hiddenRight && !codeLike) return [];
      const role = file.calls.find((c) => c.line === index + 1)?.role ?? 'import';
      return [
        {
          line: index + 1,
          role,
          snippet: hiddenRight ? line.trim().slice(0, 200) : undefined,
          severity: role === 'test' ? 'low' : hiddenRight ? 'high' : 'medium',
          message: hiddenRight
            ? 'code hidden after a long run of spaces'
            : `${line.length}-character line of code`,
        },
      ];
    }),
};
