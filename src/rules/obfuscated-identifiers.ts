import { inTestsOrDocsPath } from './context.js';
import type { Rule } from './types.js';

// _0x1a2b (JavaScript-obfuscator style), IlIlIl / O0O0O0 look-alike names, and names of underscores only
// (___, ____: three or more; _ and __ are gettext's and throwaway names).
const HEX_NAME = /^_0x[0-9a-fA-F]{3,}$/;
const LOOKALIKE =
  /^(?=[Il1]*[Il][Il1]*$)(?=.*I)(?=.*l)[Il1]{6,}$|^(?=.*O)(?=.*0)[O0]{6,}$|^_*[Il]{8,}$|^_{3,}$/;
const MIN_DISTINCT = 3;
/** The characters such a name can start with: _ I l O, and 0 1 for the look-alike patterns. */
const FIRST_CHARS = new Set([95, 73, 108, 79, 48, 49]);

export const obfuscatedIdentifiers: Rule = {
  id: 'obfuscated-identifiers',
  category: 'obfuscation',
  severity: 'high',
  description:
    'Uses several machine-generated names such as _0x1a2b, IlIlIl / O0O0O, or names made of three or more underscores.',
  rationale: 'Obfuscators rename everything to unreadable look-alikes; people never write such names.',
  check: (file) => {
    const names = new Set<string>();
    for (const name of file.identifiers) {
      // Every such name starts with one of these; most names are ruled out without a regular expression.
      const c = name.charCodeAt(0);
      if (!FIRST_CHARS.has(c)) continue;
      if (!names.has(name) && (HEX_NAME.test(name) || LOOKALIKE.test(name))) names.add(name);
    }
    if (names.size < MIN_DISTINCT) return [];
    const sample: string[] = [];
    for (const name of names) if (sample.push(name) >= 5) break;
    const first = sample[0] ?? '';
    const index = file.lines.findIndex((l) => l.includes(first));
    const line = index >= 0 ? index + 1 : 1;
    const role = inTestsOrDocsPath(file.path) ? 'test' : 'import';
    return [
      {
        line,
        role,
        severity: role === 'test' ? 'low' : 'high',
        message: `${names.size} obfuscated names, e.g. ${sample.join(', ')}`,
      },
    ];
  },
};
