import type { Rule, RuleHit } from './types.js';

const MARKERS: [string, RegExp][] = [
  ['PyArmor', /__pyarmor__|pyarmor_runtime|__armor_enter__|__armor_wrap__/],
  ['pyobfuscate', /pyobfuscate|PyObfuscator/i],
  ['Hyperion', /\bHyperion\b.*obfusc|by\s+billythegoat356/i],
  ['Kramer / BlankOBF / specter', /\b(BlankOBF|Kramer|SpecterOBF|pyfuscate|Development\s*\.\s*Obfuscator)\b/],
];

export const obfuscatorMarker: Rule = {
  id: 'obfuscator-marker',
  category: 'obfuscation',
  severity: 'high',
  description:
    'Shows the fingerprint of a Python obfuscator (PyArmor, pyobfuscate, Hyperion, BlankOBF, ...).',
  rationale:
    'Open-source packages ship readable code; malware is wrapped in obfuscators so nobody can read it.',
  check: (file) => {
    const hits: RuleHit[] = [];
    file.lines.forEach((line, index) => {
      const marker = MARKERS.find(([, pattern]) =>
        pattern.test(line.length > 4000 ? line.slice(0, 4000) : line),
      );
      if (marker) {
        const role = file.calls.find((c) => c.line === index + 1)?.role ?? 'import';
        hits.push({ line: index + 1, role, severity: role === 'test' ? 'low' : 'high', message: marker[0] });
      }
    });
    return hits;
  },
};
