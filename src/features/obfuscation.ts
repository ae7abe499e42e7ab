// Obfuscation features: long and high-entropy literals, base64/hex blobs, chr() chains, very long lines,
// machine-made identifiers and non-ASCII look-alike names. Test and doc files are left out: fixtures
// there are full of blobs and odd names for honest reasons.
import type { ParsedFile } from '../python/index.js';

const BASE64_BLOB = /^[A-Za-z0-9+/=_\-\s]{100,}$/;
const HEX_BLOB = /^(?:\\x)?[0-9a-fA-F\s]{100,}$/;
const HEX_NAME = /^_0x[0-9a-fA-F]{3,}$/;
const LOOKALIKE = /^[Il1O0_]{6,}$/;
const NON_ASCII = /[^\x00-\x7f]/;
const ENTROPY_SAMPLE = 4096;
const NOT_SPACE = /\S/;
const HASH = 35;

/** Counts per UTF-16 unit for shannonEntropy, zeroed again after each use (no Map per string). */
const unitCounts = new Uint32Array(65536);

/** Shannon entropy in bits per character over at most the first 4 KiB. */
export function shannonEntropy(text: string): number {
  const n = Math.min(text.length, ENTROPY_SAMPLE);
  if (n === 0) return 0;
  // Units in order of first appearance: the sum is taken in that order, so the float result stays the
  // same to the last bit (the model was trained on it).
  const seen: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const count = unitCounts[c] ?? 0;
    if (count === 0) seen.push(c);
    unitCounts[c] = count + 1;
  }
  let h = 0;
  for (const c of seen) {
    const p = (unitCounts[c] ?? 0) / n;
    unitCounts[c] = 0;
    h -= p * Math.log2(p);
  }
  return h;
}

export class ObfuscationStats {
  maxString = 0;
  strings100 = 0;
  strings1000 = 0;
  maxEntropy = 0;
  maxEntropyEarly = 0;
  base64Blobs = 0;
  hexBlobs = 0;
  maxLine = 0;
  lines500 = 0;
  codeLines = 0;
  hexNames = new Set<string>();
  lookalikeNames = new Set<string>();
  nonAsciiNames = new Set<string>();
  shortNames = 0;
  names = 0;
  semicolonLines = 0;
  chrCalls = 0;

  /** `names`: the file's distinct identifiers (the caller has them already). */
  add(file: ParsedFile, names: ReadonlySet<string>, isTest: boolean): void {
    if (isTest) return;
    for (const s of file.strings) {
      const n = s.length;
      if (n > this.maxString) this.maxString = n;
      if (n >= 100) this.strings100++;
      if (n >= 1000) this.strings1000++;
      if (n >= 50) {
        const h = shannonEntropy(s.value);
        if (h > this.maxEntropy) this.maxEntropy = h;
        if ((s.role === 'install' || s.role === 'import') && h > this.maxEntropyEarly)
          this.maxEntropyEarly = h;
        const sample = s.value.length > 20000 ? s.value.slice(0, 20000) : s.value;
        if (HEX_BLOB.test(sample)) this.hexBlobs++;
        else if (
          BASE64_BLOB.test(sample) &&
          /[A-Z]/.test(sample) &&
          /\d/.test(sample) &&
          !/\s{2}/.test(sample)
        )
          this.base64Blobs++;
      }
    }
    for (const line of file.lines) {
      const len = line.length;
      if (len > this.maxLine) this.maxLine = len;
      if (len > 500) this.lines500++;
      // The first character trimStart() would keep (\s is the set it trims), without a copy of the line.
      const first = line.search(NOT_SPACE);
      const comment = first >= 0 && line.charCodeAt(first) === HASH;
      if (first >= 0 && !comment) this.codeLines++;
      if (len < 2000 && !comment && line.includes(';') && /;\s*\S/.test(line) && !/['"]/.test(line))
        this.semicolonLines++;
    }
    // Distinct names per file: the share does not depend on how often a name is used.
    for (const id of names) {
      this.names++;
      if (id.length <= 2) this.shortNames++;
      if (HEX_NAME.test(id)) this.hexNames.add(id);
      else if (LOOKALIKE.test(id) && /[Il1]/.test(id) && /[Il]/.test(id)) this.lookalikeNames.add(id);
      if (NON_ASCII.test(id)) this.nonAsciiNames.add(id);
    }
    for (const c of file.calls) if (c.name === 'chr') this.chrCalls++;
  }

  toRecord(): Record<string, number> {
    return {
      'obf.max_string_len': this.maxString,
      'obf.strings_100': this.strings100,
      'obf.strings_1000': this.strings1000,
      'obf.max_entropy': this.maxEntropy,
      'obf.max_entropy_early': this.maxEntropyEarly,
      'obf.base64_blobs': this.base64Blobs,
      'obf.hex_blobs': this.hexBlobs,
      'obf.max_line_len': this.maxLine,
      'obf.lines_500': this.lines500,
      'obf.code_lines': this.codeLines,
      'obf.hex_names': this.hexNames.size,
      'obf.lookalike_names': this.lookalikeNames.size,
      'obf.non_ascii_names': this.nonAsciiNames.size,
      'obf.short_name_share': this.names > 0 ? this.shortNames / this.names : 0,
      'obf.semicolon_lines': this.semicolonLines,
      'obf.chr_calls': this.chrCalls,
    };
  }
}
