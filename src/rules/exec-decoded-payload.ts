import type { CallSite, ParsedFile } from '../python/index.js';
import { callHit, DECODE_CALL, DYNAMIC_EXEC, lastAssignment } from './context.js';
import type { Rule, RuleHit } from './types.js';

// The argument text of exec/eval/compile names a decoder: base64, zlib/lzma/bz2, hex, codecs (rot13), marshal,
// or a decryption (Fernet(key).decrypt(token), AES ... .decrypt): the code is kept encrypted in the package.
const DECODER_IN_ARGUMENT =
  /\b(b64decode|b32decode|b16decode|b85decode|a85decode|urlsafe_b64decode|decodebytes|decodestring|decompress|fromhex|unhexlify|a2b_base64|marshal\.loads|codecs\.decode|rot13|rot_13|decrypt|Fernet)\b/;

export const execDecodedPayload: Rule = {
  id: 'exec-decoded-payload',
  category: 'dynamic-code',
  severity: 'critical',
  description:
    'Executes code that is decoded or decrypted at run time (exec/eval/compile of base64, zlib, hex, rot13, marshal or Fernet/AES data).',
  rationale:
    'Hiding the real code in an encoded blob and executing it is how most malicious packages evade review; benign code has no reason to.',
  check: (file) => {
    let decoders: Map<number, string[]> | undefined;
    let comparisons = MAX_COMPARISONS;
    const hits: RuleHit[] = [];
    for (const c of file.calls) {
      if (!DYNAMIC_EXEC.test(c.name) && c.name !== 'compile') continue;
      let decoded = decoderByText(c);
      if (!decoded) {
        decoders ??= decoderTextsByLine(file);
        const texts = decoders.get(c.line);
        if (texts) {
          const cost = texts.length * c.args.length;
          // Past the allowance, a decoder on the exec's line is taken as its argument.
          decoded = cost > comparisons || texts.some((t) => c.args.some((a) => a.includes(t)));
          comparisons -= cost;
        }
      }
      const via = decoded ? undefined : decodedLocal(file, c);
      if (decoded || via) hits.push(callHit(c, 'critical', `${c.name} of decoded data${via ?? ''}`));
    }
    return hits;
  },
};

const decoderByText = (call: CallSite) => call.args.some((a) => DECODER_IN_ARGUMENT.test(a));

/**
 * Argument-decoder comparisons per file: a line packed with thousands of exec and decoder calls would
 * otherwise cost their product. Files written by people stay far below it.
 */
const MAX_COMPARISONS = 100_000;

/**
 * Aliased decoders (from base64 import b64decode as d; exec(d(x))): exec is fed by a decoder when the text of
 * a call on the same line, resolved to a decoder, is inside one of exec's arguments. The distinct texts of
 * such calls per line, built once per file (no exec or compile name is a decoder's, so a call is never
 * compared with itself).
 */
function decoderTextsByLine(file: ParsedFile): Map<number, string[]> {
  const byLine = new Map<number, Set<string>>();
  for (const inner of file.calls) {
    if (inner.name === '<expr>.decode') continue;
    if (!DECODE_CALL.test(inner.name) && !/(^|\.)decrypt$/.test(inner.name)) continue;
    const texts = byLine.get(inner.line) ?? new Set<string>();
    texts.add(inner.text);
    byLine.set(inner.line, texts);
  }
  return new Map([...byLine].map(([line, texts]) => [line, [...texts]]));
}

// How far up a local's assignment is looked for, and how many assignments are followed (`a = b64decode(x)`,
// `b = zlib.decompress(a)`, `exec(b)`): bounded, since a hostile file can hold thousands of exec calls.
const LOOKBACK = 200;
const HOPS = 3;
const IDENTIFIER_ARGUMENT = /^\s*([A-Za-z_]\w*)(\.decode\([^()]*\))?\s*$/;

/**
 * exec of a name the same function (or the module) assigned from a decoder a few statements before: the
 * decoder and the exec on separate lines, which is how most droppers are written. Returns the message tail.
 */
function decodedLocal(file: ParsedFile, call: CallSite): string | undefined {
  let name = IDENTIFIER_ARGUMENT.exec(call.args[0] ?? '')?.[1];
  const start = call.inDef !== undefined ? (file.defs[call.inDef]?.line ?? 1) : 1;
  const floor = Math.max(start, call.line - LOOKBACK);
  let to = call.line - 1;
  for (let hop = 0; name && hop < HOPS; hop++) {
    const line = lastAssignment(file, name, floor, to);
    if (line === undefined) return undefined;
    const value = assignedValue(file, line);
    if (value.decoded) return ` (decoded into ${name} on line ${line})`;
    name = value.name;
    to = line - 1;
  }
  return undefined;
}

const assignedValues = new WeakMap<ParsedFile, Map<number, { decoded: boolean; name?: string }>>();

/** What an assignment line gives: a decoder's output, or another name. Read once per line. */
function assignedValue(file: ParsedFile, line: number): { decoded: boolean; name?: string } {
  let cache = assignedValues.get(file);
  if (!cache) {
    cache = new Map();
    assignedValues.set(file, cache);
  }
  let value = cache.get(line);
  if (!value) {
    const text = /^\s*[A-Za-z_]\w*\s*=(?!=)\s*(.*)$/.exec(file.lines[line - 1] ?? '')?.[1] ?? '';
    value = DECODER_IN_ARGUMENT.test(text)
      ? { decoded: true }
      : { decoded: false, name: IDENTIFIER_ARGUMENT.exec(text)?.[1] };
    cache.set(line, value);
  }
  return value;
}
