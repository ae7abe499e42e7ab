import type { Rule } from './types.js';

// _0x1a2b (JavaScript-obfuscator style) and IlIlIl / O0O0O0 look-alike names.
const HEX_NAME = /^_0x[0-9a-fA-F]{3,}$/;
const LOOKALIKE = /^(?=[Il1]*[Il][Il1]*$)(?=.*I)(?=.*l)[Il1]{6,}$|^(?=.*O)(?=.*0)[O0]{6,}$|^_*[Il]{8,}$/;
const MIN_DISTINCT = 3;

export const obfuscatedIdentifiers: Rule = {
  id: 'obfuscated-identifiers',
  category: 'obfuscation',
  severity: 'high',
  description: 'Uses several machine-generated names such as _0x1a2b or IlIlIl / O0O0O.',
  rationale: 'Obfuscators rename everything to unreadable look-alikes; people never write such names.',
  check: (file) => {
    const names = new Set(file.identifiers.filter((n) => HEX_NAME.test(n) || LOOKALIKE.test(n)));
    if (names.size < MIN_DISTINCT) return [];
    const sample = [...names].slice(0, 5);
    const first = sample[0] ?? '';
    const index = file.lines.findIndex((l) => l.includes(first));
    const line = index >= 0 ? index + 1 : 1;
    const role = file.path.match(/(^|\/)(tests?|docs?)\//) ? 'test' : 'import';
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
