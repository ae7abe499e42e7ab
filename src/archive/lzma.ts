// Zip method 14 (LZMA, as Python's zipfile writes and reads it): a 2-byte version, a 2-byte length of
// the properties, 5 bytes of properties (lc/lp/pb and the dictionary size), then a raw LZMA1 stream.
// lzma1 (a maintained TypeScript port of LZMA-JS) decodes the .lzma "alone" format, whose 13-byte
// header holds the same properties and the uncompressed size; this wrapper builds that header from
// the zip's, with a size no larger than the caller's limit (the decoder stops there: a bomb costs at
// most the limit) and a dictionary no larger than that size (the decoder allocates the dictionary up
// front, and a hostile header can claim 4 GB; no match can reach further back than the output anyway).
// xz-decompress (xz-embedded) reads LZMA2 only, which cannot carry an LZMA1 stream.
import { decompress } from './lzma1.js';
import type { ChunkSink } from './decompress.js';

const CHUNK = 64 * 1024;

/** Decodes at most `limit` bytes into `sink`; resolves with why the entry is unreadable, if it is. */
export function unlzma(body: Uint8Array, limit: number, sink: ChunkSink): string | undefined {
  if (body.length < 9) return 'corrupt lzma entry: header too short';
  const propsLength = body[2]! | (body[3]! << 8);
  if (propsLength !== 5) return `corrupt lzma entry: ${propsLength} bytes of properties, 5 expected`;
  const props = body.subarray(4, 9);
  if (props[0]! >= 9 * 5 * 5) return 'corrupt lzma entry: invalid lc/lp/pb byte';
  // lzma1 0.3.0 reads this byte as signed: from 128 up (valid, though no encoder default comes near)
  // it derives negative lc/lp/pb and then allocates 2^28 literal coders. A gap, not a crash.
  if (props[0]! >= 128) return `lzma properties byte ${props[0]} (lc/lp/pb) is not supported by the reader`;
  const size = Math.max(0, Math.floor(limit));
  const declaredDictionary = new DataView(props.buffer, props.byteOffset + 1, 4).getUint32(0, true);
  const header = new Uint8Array(13);
  header[0] = props[0]!;
  new DataView(header.buffer).setUint32(1, Math.max(4096, Math.min(declaredDictionary, size)), true);
  new DataView(header.buffer).setBigUint64(5, BigInt(size), true);
  if (size === 0) return undefined;
  let out: Uint8Array;
  try {
    const input = new Uint8Array(13 + body.length - 9);
    input.set(header, 0);
    input.set(body.subarray(9), 13);
    out = decompress(input);
  } catch (err) {
    return `corrupt lzma entry: ${(err as Error).message}`;
  }
  // A match may run a few bytes past the size the header gave.
  if (out.length > size) out = out.subarray(0, size);
  for (let at = 0; at < out.length; at += CHUNK) {
    if (!sink(out.subarray(at, at + CHUNK))) return undefined;
  }
  return undefined;
}
