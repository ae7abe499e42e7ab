import { roleOfLine } from './context.js';
import type { Rule, RuleHit } from './types.js';

/**
 * `/\bHyperion\b.*obfusc|by\s+billythegoat356/i` without the backtracking of `.*` over a line of many
 * Hyperions: within a stretch `.` can cross, only the first Hyperion can start the match.
 */
function hyperion(line: string): boolean {
  for (const stretch of line.split(/[\r\u2028\u2029]/)) {
    const at = /\bHyperion\b/i.exec(stretch);
    if (at && /obfusc/i.test(stretch.slice(at.index + at[0].length))) return true;
  }
  return /by\s+billythegoat356/i.test(line);
}

const MARKERS: [string, (line: string) => boolean][] = [
  ['PyArmor', (l) => /__pyarmor__|pyarmor_runtime|__armor_enter__|__armor_wrap__/.test(l)],
  ['pyobfuscate', (l) => /pyobfuscate|PyObfuscator/i.test(l)],
  ['Hyperion', hyperion],
  [
    'Kramer / BlankOBF / specter',
    (l) => /\b(BlankOBF|Kramer|SpecterOBF|pyfuscate|Development\s*\.\s*Obfuscator)\b/.test(l),
  ],
];
/**
 * A word every marker contains (case-folded): one pass over the file finds the lines worth testing, since
 * testing each marker on every line cost more than anything else in most files.
 */
const ANY_MARKER =
  /pyarmor|armor_(enter|wrap)|pyobfuscat|hyperion|billythegoat356|blankobf|kramer|specterobf|pyfuscate|obfuscator/gi;
const SCANNED = 4000;

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
    const source = file.source;
    // Line numbers as file.lines counts them: one per \n before the match.
    let line = 0;
    let lineEnd = source.indexOf('\n');
    let tested = -1;
    for (const m of source.matchAll(ANY_MARKER)) {
      while (lineEnd >= 0 && m.index > lineEnd) {
        line++;
        lineEnd = source.indexOf('\n', lineEnd + 1);
      }
      if (line === tested) continue;
      tested = line;
      const text = file.lines[line] ?? '';
      const marker = MARKERS.find(([, matches]) =>
        matches(text.length > SCANNED ? text.slice(0, SCANNED) : text),
      );
      if (marker) {
        const role = roleOfLine(file, line + 1) ?? 'import';
        hits.push({ line: line + 1, role, severity: role === 'test' ? 'low' : 'high', message: marker[0] });
      }
    }
    return hits;
  },
};
