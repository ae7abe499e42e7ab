// Static unpacking of encoded payloads: malware hides its real code in base64, hex or zlib-compressed
// literals that it decodes and runs. Decoding a literal is pure data work (nothing is run), and the decoded
// text, when it is Python, is analysed like any other file, its hits located at the literal's line.
import { inflateSync } from 'node:zlib';

const MAX_DECODED = 2 * 1024 * 1024;
const MIN_LITERAL = 40;
const MAX_LAYERS = 4;
const BASE64 = /^[A-Za-z0-9+/\-_\s]+={0,2}\s*$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;
// A character neither hex, base64 (either alphabet, padding) nor whitespace: no layer can be peeled, forwards
// or reversed. Most long literals are prose (docstrings, messages), so this one test spares them the
// compaction and the reversal.
const NOT_ENCODED = /[^A-Za-z0-9+/\-_=\s]/;
const PYTHON_HINT =
  /\b(import|exec|eval|def|lambda|subprocess|socket|os\.|requests|urllib|base64|print|open)\b|__import__/;

function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < MIN_LITERAL || !BASE64.test(compact)) return undefined;
  if (!/[A-Z]/.test(compact) || !/[a-z]/.test(compact)) return undefined;
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length > 0 ? bytes : undefined;
}

function inflate(bytes: Uint8Array): Uint8Array | undefined {
  // zlib header (0x78 ..) as Python's zlib.compress writes it.
  if (bytes.length < 3 || bytes[0] !== 0x78) return undefined;
  try {
    return inflateSync(bytes, { maxOutputLength: MAX_DECODED });
  } catch {
    return undefined;
  }
}

function printableShare(text: string): number {
  let printable = 0;
  const n = Math.min(text.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  }
  return n > 0 ? printable / n : 0;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

export interface DecodedPayload {
  /** The layers peeled, outermost first ('base64', 'zlib', 'hex', 'reversed'). */
  layers: string[];
  text: string;
  /** True when the decoded text looks like Python source. */
  python: boolean;
}

/** Peels base64 / hex / zlib / reversed-string layers off a literal; undefined when it decodes to nothing readable. */
export function decodePayload(literal: string): DecodedPayload | undefined {
  if (literal.length < MIN_LITERAL) return undefined;
  const layers: string[] = [];
  let current: string = literal;
  for (let depth = 0; depth < MAX_LAYERS; depth++) {
    let bytes: Uint8Array | undefined;
    let layer = '';
    const trimmed = current.trim();
    if (NOT_ENCODED.test(trimmed)) break;
    if (HEX.test(trimmed) && trimmed.length >= MIN_LITERAL) {
      bytes = Buffer.from(trimmed, 'hex');
      layer = 'hex';
    } else {
      bytes = decodeBase64(trimmed);
      layer = 'base64';
      if (!bytes && depth === 0) {
        // `payload[::-1]`: a reversed base64 string is a common wrapper.
        const reversed = [...trimmed].reverse().join('');
        bytes = decodeBase64(reversed);
        layer = 'reversed+base64';
      }
    }
    if (!bytes) break;
    const inflated = inflate(bytes);
    if (inflated) {
      layers.push(layer, 'zlib');
      bytes = inflated;
    } else layers.push(layer);
    const text = utf8.decode(bytes.length > MAX_DECODED ? bytes.subarray(0, MAX_DECODED) : bytes);
    if (printableShare(text) < 0.9) {
      // Binary after decoding: report it only if it is not just noise (a compressed or marshalled blob).
      return layers.length > 0 && bytes.length >= 16
        ? { layers, text: latin1.decode(bytes.subarray(0, 64)), python: false }
        : undefined;
    }
    current = text;
    if (PYTHON_HINT.test(text) && /[\n;(]/.test(text)) return { layers, text, python: true };
  }
  return layers.length > 0 ? { layers, text: current, python: PYTHON_HINT.test(current) } : undefined;
}
