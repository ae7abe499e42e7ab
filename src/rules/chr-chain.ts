import type { Rule, RuleHit } from './types.js';

// chr(104)+chr(116)+... : strings built from character codes so they never appear in the source.
const MIN_CHR_PER_LINE = 8;
// ''.join(map(chr, [104, 116, ...])) and ''.join(chr(c) for c in [...]): one chr over a list of codes,
// whatever the join is called (obfuscators alias it: `_ = "".join; _([chr(x) for x in [...]])`).
const CHR_OVER_CODES = /\bchr\b[\s\S]*\[\s*(\d+\s*,\s*){7,}\d+/;

export const chrChain: Rule = {
  id: 'chr-chain',
  category: 'obfuscation',
  severity: 'medium',
  description:
    'Builds strings from character codes: many chr() calls on one line, or chr mapped over a list of codes.',
  rationale: 'Spelling URLs and commands as character codes hides them from text search and reviewers.',
  check: (file) => {
    const perLine = new Map<number, { count: number; role: RuleHit['role'] }>();
    for (const c of file.calls) {
      if (c.name !== 'chr' && c.args.some((a) => a.includes('chr') && CHR_OVER_CODES.test(a))) {
        perLine.set(c.line, { count: MIN_CHR_PER_LINE, role: c.role });
        continue;
      }
      if (c.name !== 'chr') continue;
      const entry = perLine.get(c.line) ?? { count: 0, role: c.role };
      entry.count++;
      perLine.set(c.line, entry);
    }
    return [...perLine]
      .filter(([, e]) => e.count >= MIN_CHR_PER_LINE)
      .map(([line, e]) => ({
        line,
        role: e.role,
        severity: e.role === 'test' ? 'low' : e.role === 'install' ? 'high' : 'medium',
        message: `string built from ${e.count}+ character codes`,
      }));
  },
};
