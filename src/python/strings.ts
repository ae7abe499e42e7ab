// Best-effort decoding of a Python string literal's escapes. Hand-written: no maintained npm library decodes
// Python literal syntax (prefixes r/b/u/f, \x, \N{...}, octal), and only the value's bytes matter here.
import { SIMPLE_ESCAPES } from '../archive/text.js';

// With \0 and a backslash-newline (a line continuation), which unicodeEscape reads in branches of its own.
const SIMPLE: Record<string, string> = { ...SIMPLE_ESCAPES, '0': '\0', '\n': '' };

export function decodeEscapes(body: string, bytes: boolean): string {
  return body.replace(
    /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|.|\n)/g,
    (m, e: string) => {
      const c = e[0] ?? '';
      if (c === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
      if (!bytes && (c === 'u' || c === 'U')) {
        const code = Number.parseInt(e.slice(1), 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
      if (/[0-7]/.test(c) && !(e === '0')) return String.fromCharCode(Number.parseInt(e, 8) & 0xff);
      const simple = SIMPLE[e];
      return simple ?? m;
    },
  );
}

/** Splits a literal's prefix (r, b, f, u and combinations) from its quotes. */
export function literalPrefix(startToken: string): { raw: boolean; bytes: boolean; format: boolean } {
  const prefix = startToken.replace(/['"]+$/, '').toLowerCase();
  return { raw: prefix.includes('r'), bytes: prefix.includes('b'), format: prefix.includes('f') };
}
