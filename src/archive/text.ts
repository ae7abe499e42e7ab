// Text decoding for consumers of ArchiveEntry.data. `decodeText` reads UTF-8 with replacement, saying
// when it was lossy (metadata, configuration, text files: the tools that read those use UTF-8).
// `decodeSource` reads Python source as CPython does (PEP 263): a BOM or a `coding` declaration in the
// first two lines picks the codec for the whole file, because pip runs setup.py through tokenize.open()
// and imports modules through the C tokenizer, and both decode the whole file with it. A declaration
// the gate cannot decode as CPython would leaves the file undecodable: the caller records a gap.
import iconv from 'iconv-lite';

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export interface DecodedText {
  text: string;
  /** True when some bytes were not valid in the encoding and were replaced by U+FFFD. */
  lossy: boolean;
  /** decodeSource only: the codec a declaration or BOM named (normalised), when not plain UTF-8. */
  encoding?: string;
  /**
   * decodeSource only: why the text is not what CPython would read (an encoding the gate cannot
   * decode); `text` is then the UTF-8 reading, which is not what Python runs.
   */
  undecodable?: string;
}

export function decodeText(data: Uint8Array): DecodedText {
  try {
    return { text: strict.decode(data), lossy: false };
  } catch {
    return { text: lenient.decode(data), lossy: true };
  }
}

/** tokenize.cookie_re and blank_re (ASCII). */
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK = /^[ \t\f]*(?:[#\r\n]|$)/;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * The encoding a PEP 263 declaration names, as tokenize.detect_encoding finds it: on line 1, or on
 * line 2 when line 1 is blank or a comment; undefined when there is none (UTF-8).
 */
export function codingDeclaration(data: Uint8Array): string | undefined {
  let start = hasUtf8Bom(data) ? 3 : 0;
  for (let lineNo = 0; lineNo < 2; lineNo++) {
    const nl = data.indexOf(0x0a, start);
    const end = nl < 0 ? data.length : nl + 1;
    // The whole line, however long: tokenize reads it whole, so a declaration after 10,000 spaces counts.
    // (A declaration line that is not UTF-8 is a SyntaxError for Python; only ASCII can match anyway.)
    const line = latin1(data.subarray(start, end));
    const match = COOKIE.exec(line);
    if (match) return match[1];
    if (!BLANK.test(line) || nl < 0) return undefined;
    start = end;
  }
  return undefined;
}

function hasUtf8Bom(data: Uint8Array): boolean {
  return data.length >= 3 && UTF8_BOM.every((b, i) => data[i] === b);
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return s;
}

/** tokenize._get_normal_name, then codecs' own normalisation (lower case, runs of other characters to '_'). */
export function normaliseEncoding(name: string): string {
  const head = name.slice(0, 12).toLowerCase().replace(/_/g, '-');
  if (head === 'utf-8' || head.startsWith('utf-8-')) return 'utf_8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(head)) return 'latin_1';
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Python codec aliases that matter here and that iconv-lite spells differently or not at all. */
const ALIASES: Record<string, string> = {
  utf8: 'utf_8',
  u8: 'utf_8',
  utf: 'utf_8',
  cp65001: 'utf_8',
  utf8_ucs2: 'utf_8',
  utf8_ucs4: 'utf_8',
  utf_8_sig: 'utf_8_sig',
  utf7: 'utf_7',
  u7: 'utf_7',
  unicode_1_1_utf_7: 'utf_7',
  unicodeescape: 'unicode_escape',
  rawunicodeescape: 'raw_unicode_escape',
};

/**
 * Codecs Python's TextIOWrapper refuses ("is not a text encoding"): a file declaring one cannot run,
 * so it is read as UTF-8 (what the gate sees is at least what is there).
 */
const NOT_TEXT = new Set([
  'rot13',
  'rot_13',
  'base64',
  'base64_codec',
  'base_64',
  'hex',
  'hex_codec',
  'zlib',
  'zip',
  'zlib_codec',
  'bz2',
  'bz2_codec',
  'quopri',
  'quotedprintable',
  'quoted_printable',
  'quopri_codec',
  'uu',
  'uu_codec',
]);

/**
 * Text codecs that only the gate's iconv-lite would accept under these names but Python decodes
 * differently, or that Python has and iconv-lite does not: decoding them "nearly" would show the
 * rules a different program than the one Python runs.
 */
const REFUSED = new Set(['punycode', 'idna', 'undefined', 'mbcs', 'oem', 'ansi', 'dbcs']);

/** Why `decodeSource` could not read this source as CPython would, or undefined (cheap unless escapes are declared). */
export function sourceProblem(data: Uint8Array): string | undefined {
  const declared = codingDeclaration(data);
  if (declared === undefined) return undefined;
  const name = ALIASES[normaliseEncoding(declared)] ?? normaliseEncoding(declared);
  if (name === 'utf_8' || name === 'utf_8_sig' || NOT_TEXT.has(name) || hasUtf8Bom(data)) return undefined;
  if (name === 'unicode_escape' || name === 'raw_unicode_escape') return decodeSource(data).undecodable;
  if (name === 'ascii' || name === 'us_ascii' || name === '646') return undefined;
  if (!REFUSED.has(name) && iconv.encodingExists(name)) return undefined;
  return decodeSource(data).undecodable;
}

export function decodeSource(data: Uint8Array): DecodedText {
  const declared = codingDeclaration(data);
  if (declared === undefined) return decodeText(hasUtf8Bom(data) ? data.subarray(3) : data);
  let name = normaliseEncoding(declared);
  name = ALIASES[name] ?? name;
  const bom = hasUtf8Bom(data);
  if (name === 'utf_8' || name === 'utf_8_sig') return decodeText(bom ? data.subarray(3) : data);
  if (bom) {
    // tokenize: "encoding problem: utf-8" (a BOM with any other declaration does not run).
    return { ...decodeText(data.subarray(3)), encoding: name };
  }
  if (NOT_TEXT.has(name)) return { ...decodeText(data), encoding: name };
  if (name === 'unicode_escape') return { ...unicodeEscape(data, false), encoding: name };
  // raw_unicode_escape has no \N{}: it never reports a name it does not know.
  if (name === 'raw_unicode_escape') return { ...unicodeEscape(data, true), encoding: name };
  if (name === 'ascii' || name === 'us_ascii' || name === '646') {
    const text = latin1(data);
    return { text, lossy: /[^\x00-\x7f]/.test(text), encoding: 'ascii' };
  }
  if (!REFUSED.has(name) && iconv.encodingExists(name)) {
    const text = iconv.decode(Buffer.from(data.buffer, data.byteOffset, data.length), name, {
      stripBOM: false,
    });
    return { text, lossy: text.includes('\ufffd'), encoding: name };
  }
  return {
    ...decodeText(data),
    encoding: name,
    undecodable: `source declares encoding '${declared.slice(0, 40)}', which the gate cannot decode as Python would`,
  };
}

/**
 * CPython's unicode_escape and raw_unicode_escape decoders (hand-written: no npm library implements
 * Python's escape codecs). Bytes are Latin-1; unicode_escape also reads \\ \' \" \a \b \f \n \r \t \v,
 * octal, \xhh, \uXXXX, \UXXXXXXXX and \N{name}; raw_unicode_escape reads only \u and \U. An unknown
 * escape stays as written (as CPython keeps it, with a warning); a broken one is replaced and marked lossy.
 */
export function unicodeEscape(data: Uint8Array, raw: boolean): DecodedText & { undecodable?: string } {
  const out: string[] = [];
  let lossy = false;
  let undecodable: string | undefined;
  let run = 0; // start of the pending run of plain bytes
  const flush = (to: number) => {
    if (to > run) out.push(latin1(data.subarray(run, to)));
  };
  const hexAt = (at: number, n: number): number | undefined => {
    if (at + n > data.length) return undefined;
    let v = 0;
    for (let k = 0; k < n; k++) {
      const d = HEX.indexOf(String.fromCharCode(data[at + k]!).toLowerCase());
      if (d < 0) return undefined;
      v = v * 16 + d;
    }
    return v;
  };
  let i = 0;
  while (i < data.length) {
    if (data[i] !== 0x5c) {
      i++;
      continue;
    }
    if (raw) {
      // An escape only after an odd number of backslashes; the others stay as they are.
      let j = i;
      while (j < data.length && data[j] === 0x5c) j++;
      const count = j - i;
      const next = data[j];
      if (count % 2 === 1 && (next === 0x75 || next === 0x55)) {
        flush(j - 1);
        const n = next === 0x75 ? 4 : 8;
        const v = hexAt(j + 1, n);
        if (v === undefined || v > 0x10ffff) {
          out.push('\ufffd');
          lossy = true;
          i = Math.min(data.length, j + 1);
        } else {
          out.push(String.fromCodePoint(v));
          i = j + 1 + n;
        }
        run = i;
      } else {
        i = j;
      }
      continue;
    }
    flush(i);
    const c = data[i + 1];
    let produced: string | undefined;
    let next = i + 2;
    if (c === undefined) {
      produced = '\ufffd'; // "\ at end of string"
      lossy = true;
      next = i + 1;
    } else {
      const ch = String.fromCharCode(c);
      const simple = SIMPLE_ESCAPES[ch];
      if (simple !== undefined) produced = simple;
      else if (ch === '\n') produced = '';
      else if (ch >= '0' && ch <= '7') {
        let v = 0;
        let k = i + 1;
        while (k < data.length && k < i + 4 && data[k]! >= 0x30 && data[k]! <= 0x37) {
          v = v * 8 + (data[k]! - 0x30);
          k++;
        }
        produced = String.fromCodePoint(v);
        next = k;
      } else if (ch === 'x' || ch === 'u' || ch === 'U') {
        const n = ch === 'x' ? 2 : ch === 'u' ? 4 : 8;
        const v = hexAt(i + 2, n);
        if (v === undefined || v > 0x10ffff) {
          produced = '\ufffd';
          lossy = true;
        } else {
          produced = String.fromCodePoint(v);
          next = i + 2 + n;
        }
      } else if (ch === 'N') {
        const close = data.indexOf(0x7d, i + 3);
        const name =
          data[i + 2] === 0x7b && close > 0 && close - i < 100
            ? latin1(data.subarray(i + 3, close))
            : undefined;
        const known = name === undefined ? undefined : characterByName(name);
        if (known === undefined) {
          produced = '\ufffd';
          lossy = true;
          undecodable ??= `\\N{${(name ?? '').slice(0, 40)}} names a character the gate does not know`;
        } else {
          produced = known;
          next = close + 1;
        }
      } else {
        produced = `\\${ch}`;
      }
    }
    out.push(produced);
    i = next;
    run = i;
  }
  flush(data.length);
  const result: DecodedText & { undecodable?: string } = { text: out.join(''), lossy };
  if (undecodable) result.undecodable = undecodable;
  return result;
}

const HEX = '0123456789abcdef';

/** Python's one-letter and quote escapes (python/strings.ts reads string literals with them too). */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Unicode names of the printable ASCII characters and the usual aliases of tab, newline and carriage
 * return: enough to spell any Python program in \N{...}. Other names are not known here (Node has no
 * character-name table), so a file that uses one is undecodable rather than read wrongly.
 */
const ASCII_NAMES: string[] = [
  'SPACE',
  'EXCLAMATION MARK',
  'QUOTATION MARK',
  'NUMBER SIGN',
  'DOLLAR SIGN',
  'PERCENT SIGN',
  'AMPERSAND',
  'APOSTROPHE',
  'LEFT PARENTHESIS',
  'RIGHT PARENTHESIS',
  'ASTERISK',
  'PLUS SIGN',
  'COMMA',
  'HYPHEN-MINUS',
  'FULL STOP',
  'SOLIDUS',
  ...['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'].map(
    (d) => `DIGIT ${d}`,
  ),
  'COLON',
  'SEMICOLON',
  'LESS-THAN SIGN',
  'EQUALS SIGN',
  'GREATER-THAN SIGN',
  'QUESTION MARK',
  'COMMERCIAL AT',
  ...Array.from({ length: 26 }, (_, k) => `LATIN CAPITAL LETTER ${String.fromCharCode(65 + k)}`),
  'LEFT SQUARE BRACKET',
  'REVERSE SOLIDUS',
  'RIGHT SQUARE BRACKET',
  'CIRCUMFLEX ACCENT',
  'LOW LINE',
  'GRAVE ACCENT',
  ...Array.from({ length: 26 }, (_, k) => `LATIN SMALL LETTER ${String.fromCharCode(65 + k)}`),
  'LEFT CURLY BRACKET',
  'VERTICAL LINE',
  'RIGHT CURLY BRACKET',
  'TILDE',
];

const CHARACTER_NAMES = new Map<string, string>([
  ...ASCII_NAMES.map((name, k) => [name, String.fromCharCode(0x20 + k)] as [string, string]),
  ['CHARACTER TABULATION', '\t'],
  ['HORIZONTAL TABULATION', '\t'],
  ['TAB', '\t'],
  ['HT', '\t'],
  ['LINE FEED', '\n'],
  ['NEW LINE', '\n'],
  ['END OF LINE', '\n'],
  ['LF', '\n'],
  ['NL', '\n'],
  ['EOL', '\n'],
  ['CARRIAGE RETURN', '\r'],
  ['CR', '\r'],
  ['SP', ' '],
]);

/** unicodedata.lookup ignores case. */
function characterByName(name: string): string | undefined {
  return CHARACTER_NAMES.get(name.toUpperCase());
}
