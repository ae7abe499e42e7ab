// Decompression as a stream of chunks pushed to a consumer that can stop it at any time, so that a
// bomb costs at most one chunk beyond the limit. Which library for which format, and why:
// - gzip: node:zlib's streaming Gunzip, which honours back-pressure (about 80 MB RSS while reading
//   300 MB out of a 1 MB bomb) and handles multi-member files.
// - bzip2: seek-bzip (pure JS, synchronous) writes through a `writeByte` sink we supply; throwing from
//   the sink stops it, which bounds it. About 7-100 MB/s; bzip2 sdists are rare (none in the corpus).
//   The WebAssembly alternative (@foxglove/wasm-bz2) only decodes whole buffers, so it cannot be bounded.
// - xz: xz-decompress (xz-embedded in WebAssembly) is a pull-based ReadableStream with 64 KiB outputs.
import { createGunzip, gunzipSync } from 'node:zlib';
import bzip from 'seek-bzip';
// CommonJS whose named export Node cannot detect: take the module object.
import xz from 'xz-decompress';

export const CHUNK = 64 * 1024;

/** Receives each decompressed chunk; returns false to stop decompression. */
export type ChunkSink = (chunk: Uint8Array) => boolean;

/**
 * Resolves with undefined when the stream ended or the sink stopped it, else with why it is broken.
 * `budget` is how many bytes the sink will accept at most (a hint: the sink enforces it).
 */
export type Decompressor = (
  input: Uint8Array,
  budget: number,
  sink: ChunkSink,
) => Promise<string | undefined>;

export const plain: Decompressor = async (input, _budget, sink) => {
  for (let at = 0; at < input.length; at += CHUNK) {
    if (!sink(input.subarray(at, at + CHUNK))) return undefined;
  }
  return undefined;
};

/**
 * gzip in one synchronous call when the output fits the budget (`maxOutputLength` makes zlib stop
 * there), fed on in 64 KiB slices: the async stream's thread-pool round trips made small sdists 3x
 * slower. A stream over the budget or a broken one is read again through the bounded stream, which
 * delivers what precedes the limit or the damage.
 */
export const gunzip: Decompressor = async (input, budget, sink) => {
  let whole: Buffer | undefined;
  try {
    whole = gunzipSync(input, {
      chunkSize: CHUNK,
      maxOutputLength: Math.max(1, Math.min(budget + 1, MAX_ONE_SHOT)),
    });
  } catch {
    whole = undefined;
  }
  if (whole && whole.length <= budget) return plain(whole, budget, sink);
  return gunzipStream(input, budget, sink);
};

/**
 * Above this the stream is used: the one-shot call holds its whole output (and a bomb would make it
 * fill this much before failing), while its gain is the per-archive overhead on small archives.
 */
const MAX_ONE_SHOT = 32 * 1024 * 1024;

/**
 * 'data' events rather than for-await: an async iterator throws away output that was already made when
 * the stream then fails (trailing garbage after the last member, a bad checksum at the very end), and
 * that output is what precedes the damage. The sink is synchronous, so nothing piles up.
 */
const gunzipStream: Decompressor = (input, _budget, sink) =>
  new Promise((resolve) => {
    const stream = createGunzip({ chunkSize: CHUNK });
    let settled = false;
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      stream.destroy();
      resolve(error);
    };
    stream.on('data', (chunk: Buffer) => {
      if (!settled && !sink(chunk)) settle();
    });
    stream.on('end', () => settle());
    stream.on('error', (err) => settle(`corrupt gzip stream: ${err.message}`));
    stream.end(input);
  });

class Stop extends Error {}

/** A .tar.bz2: every bzip2 stream in turn, as Python's bz2 module reads a file (pbzip2 writes several). */
export const bunzip2: Decompressor = (input, budget, sink) => bunzip2Streams(input, budget, sink, true);

/** A zip entry (method 12): Python's zipfile stops at the end of the first stream. */
export const bunzip2One: Decompressor = (input, budget, sink) => bunzip2Streams(input, budget, sink, false);

const bunzip2Streams = async (
  input: Uint8Array,
  _budget: number,
  sink: ChunkSink,
  multistream: boolean,
): Promise<string | undefined> => {
  const buffer = new Uint8Array(CHUNK);
  let used = 0;
  const flush = () => {
    const ok = used === 0 || sink(buffer.slice(0, used));
    used = 0;
    if (!ok) throw new Stop();
  };
  try {
    bzip.decode(
      input,
      {
        writeByte(b: number) {
          buffer[used++] = b;
          if (used === CHUNK) flush();
        },
      },
      multistream,
    );
    flush();
  } catch (err) {
    if (err instanceof Stop) return undefined;
    try {
      flush(); // what decoded before the damage
    } catch {}
    return `corrupt bzip2 stream: ${(err as Error).message}`;
  }
  return undefined;
};

// xz-embedded's return codes (xz.h), for readable errors.
const XZ_ERRORS: Record<string, string> = {
  '2': 'unsupported integrity check',
  '3': 'out of memory',
  '4': 'dictionary too large',
  '5': 'not an xz stream',
  '6': 'unsupported xz options',
  '7': 'corrupt data',
  '8': 'truncated input',
};

export const unxz: Decompressor = async (input, _budget, sink) => {
  const { XzReadableStream } = xz;
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(input);
      controller.close();
    },
  });
  const reader = new XzReadableStream(source).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      if (value.length > 0 && !sink(value)) {
        await reader.cancel().catch(() => {});
        return undefined;
      }
    }
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    const code = /error code (\d+)/.exec(message)?.[1];
    return `corrupt xz stream: ${(code && XZ_ERRORS[code]) ?? message}`;
  }
};
