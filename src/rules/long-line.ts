import { roleOfLine } from './context.js';
import type { Rule, RuleHit } from './types.js';

// Generated code that is not data: a very long line full of calls/semicolons, typical of one-line droppers.
const LONG = 2000;
const CODE_MARKS = 20;

/**
 * `/^\S.*\s{200,}\S/` in one pass: the regular expression backtracks over every start of the run when no code
 * follows it (a long line ending in spaces cost the square of its length). `.` stops at the first line
 * terminator, so the run must start at or before it; the first run of 200 spaces decides, since a later one
 * could only start inside it.
 */
function hiddenRight(line: string): boolean {
  const first = /^\S.*?(?=\s{200})/.exec(line);
  if (!first) return false;
  const spaces = /\s+/y;
  spaces.lastIndex = first[0].length;
  spaces.exec(line);
  return spaces.lastIndex < line.length;
}

/** At least CODE_MARKS semicolons or opening parentheses, counted without building a list of them. */
function codeLike(line: string): boolean {
  let marks = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c === 59 || c === 40) && ++marks >= CODE_MARKS) return true;
  }
  return false;
}

export const longLine: Rule = {
  id: 'long-line',
  category: 'obfuscation',
  severity: 'medium',
  description:
    'Has a line of 2,000+ characters of code (not a single data literal), often pushed far right of the visible screen.',
  rationale:
    'Droppers hide code after hundreds of spaces or pack a whole program on one line so a reviewer does not see it.',
  check: (file) => {
    const hits: RuleHit[] = [];
    // No line can be long in a short file: most files need no look at their lines.
    if (file.source.length < LONG) return hits;
    file.lines.forEach((line, index) => {
      if (line.length < LONG) return;
      const hidden = hiddenRight(line);
      if (!hidden && !codeLike(line)) return;
      const role = roleOfLine(file, index + 1) ?? 'import';
      hits.push({
        line: index + 1,
        role,
        snippet: hidden ? line.trim().slice(0, 200) : undefined,
        severity: role === 'test' ? 'low' : hidden ? 'high' : 'medium',
        message: hidden ? 'code hidden after a long run of spaces' : `${line.length}-character line of code`,
      });
    });
    return hits;
  },
};
