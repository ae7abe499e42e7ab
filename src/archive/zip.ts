// Zip (wheels, eggs, zip sdists) through yauzl over the in-memory buffer: names as raw bytes
// (decodeStrings: false, so yauzl neither rejects nor rewrites hostile names), entry sizes checked
// against what actually inflates (validateEntrySizes), one entry at a time (lazyEntries).
import type { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import type { ArchiveEntry } from '../types.js';
import { type Collector, FileSink, keep, MAX_LINK_TARGET } from './collector.js';
import { bunzip2One } from './decompress.js';
import { unlzma } from './lzma.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Entry name as UTF-8 (with replacement), and whether the bytes were valid UTF-8. */
function decodeName(raw: Uint8Array): { name: string; invalid: boolean } {
  try {
    return { name: utf8.decode(raw), invalid: false };
  } catch {
    return { name: lenient.decode(raw), invalid: true };
  }
}

const S_IFMT = 0o170000;
const UNIX_HOSTS = new Set([3, 19]); // 3 = Unix, 19 = OS X: the high 16 attribute bits are st_mode

/** The entry's type from its Unix mode when the zip records one, else from its name. */
function entryType(e: yauzl.Entry, name: string): { type: ArchiveEntry['type']; mode?: number } {
  const host = e.versionMadeBy >>> 8;
  const mode = (e.externalFileAttributes >>> 16) & 0xffff;
  if (UNIX_HOSTS.has(host) && mode !== 0) {
    const fmt = mode & S_IFMT;
    const type: ArchiveEntry['type'] =
      fmt === 0o120000
        ? 'symlink'
        : fmt === 0o040000
          ? 'dir'
          : fmt === 0o020000 || fmt === 0o060000 || fmt === 0o010000 || fmt === 0o140000
            ? 'device'
            : name.endsWith('/')
              ? 'dir'
              : 'file';
    return { type, mode: mode & 0o7777 };
  }
  // MS-DOS directory attribute, or the trailing slash every zip tool writes for directories.
  return { type: name.endsWith('/') || (e.externalFileAttributes & 0x10) !== 0 ? 'dir' : 'file' };
}

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false },
      (err, zip) => (err || !zip ? reject(err ?? new Error('no zip')) : resolve(zip)),
    );
  });
}

function openStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) =>
      err || !stream ? reject(err ?? new Error('no stream')) : resolve(stream),
    );
  });
}

/** The next central-directory entry, or undefined at the end; rejects on a corrupt directory. */
function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: yauzl.Entry) => done(() => resolve(e));
    const onEnd = () => done(() => resolve(undefined));
    const onError = (err: Error) => done(() => reject(err));
    const done = (settle: () => void) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      settle();
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/**
 * Streams an entry into `sink` up to `cap` bytes, counting every byte against the archive's budget,
 * then stops reading it: the rest is not needed for analysis and is never inflated. Says whether the
 * entry ended, was cut at the cap (more data followed), or a limit stopped the read.
 */
async function drain(
  stream: Readable,
  collector: Collector,
  sink: { push(c: Uint8Array): void },
  cap: number,
): Promise<'end' | 'cut' | 'stopped'> {
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (read >= cap) return 'cut';
      const part = read + chunk.length > cap ? chunk.subarray(0, cap - read) : chunk;
      read += part.length;
      if (!collector.count(part.length)) return 'stopped';
      sink.push(part);
      if (part.length < chunk.length) return 'cut';
    }
    return 'end';
  } finally {
    stream.destroy();
  }
}

/** Reads a zip held in `bytes` into `collector`. */
export async function readZip(bytes: Uint8Array, collector: Collector): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (err) {
    collector.fail(`corrupt zip: ${(err as Error).message}`);
    return;
  }
  try {
    for (;;) {
      let raw: yauzl.Entry | undefined;
      try {
        raw = await nextEntry(zip);
      } catch (err) {
        collector.fail(`corrupt zip: ${(err as Error).message}`);
        return;
      }
      if (!raw) return;
      await readEntry(zip, raw, bytes, collector);
      if (collector.stopped) return;
    }
  } finally {
    zip.close();
  }
}

/** Methods Python's zipfile reads (so pip installs): stored, deflate, bzip2, lzma. */
const METHOD_NAMES: Record<number, string> = {
  0: 'stored',
  8: 'deflate',
  12: 'bzip2',
  14: 'lzma',
  9: 'deflate64',
  93: 'zstandard',
  95: 'xz',
  98: 'ppmd',
  99: 'aes',
};

async function readEntry(
  zip: yauzl.ZipFile,
  raw: yauzl.Entry,
  bytes: Uint8Array,
  collector: Collector,
): Promise<void> {
  const { name, invalid } = decodeName(raw.fileNameRaw ?? (raw.fileName as unknown as Buffer));
  const { type, mode } = entryType(raw, name);
  const encrypted = raw.isEncrypted();
  const entry = collector.add(name, type, {
    ...(mode !== undefined ? { mode } : {}),
    ...(encrypted ? { encrypted: true } : {}),
    invalidUtf8: invalid,
  });
  // pip (unzip_file for sdists, the wheel installer) writes every entry whose name does not end in a
  // slash as a regular file holding the entry's bytes, whatever mode the zip records: a "symlink" or
  // "device" entry becomes a file, so its content is read like any file's.
  if (!entry || /[/\\]$/.test(name)) return;
  const method = raw.compressionMethod;
  if (encrypted) {
    collector.gap(name, 'encrypted zip entry cannot be read');
    return;
  }
  if (!(method in READABLE)) {
    const what = METHOD_NAMES[method] ? `${method}, ${METHOD_NAMES[method]}` : `${method}`;
    collector.gap(name, `zip compression method ${what} is not supported by the reader`);
    return;
  }
  try {
    if (method === 12 || method === 14) await readDecoded(method, raw, bytes, entry, collector);
    else if (!readWhole(raw, bytes, entry, collector)) {
      const sink = new FileSink(entry, collector.limits.fileBytes);
      const how = await drain(await openStream(zip, raw), collector, sink, collector.limits.fileBytes);
      sink.finish(collector, how !== 'end');
      // The part past the cap is not inflated; its declared size still counts against the limits.
      if (how === 'cut') collector.claim(Math.max(0, raw.uncompressedSize - sink.size));
    }
    if (type === 'symlink' && entry.data) {
      entry.linkTarget = decodeName(entry.data.subarray(0, MAX_LINK_TARGET)).name;
    }
  } catch (err) {
    unreadable(collector, entry, `corrupt zip entry: ${(err as Error).message}`);
  }
}

const READABLE: Record<number, true> = { 0: true, 8: true, 12: true, 14: true };

/** A member whose bytes cannot be had: its partial content is dropped, and the package has a gap. */
function unreadable(collector: Collector, entry: ArchiveEntry, reason: string): void {
  delete entry.data;
  collector.gap(entry.path, reason);
  collector.note(`${entry.path}: ${reason}`);
}

/**
 * bzip2 (12) and lzma (14) entries, decoded up to the per-file cap (and the declared size, where
 * Python's zipfile stops too); what lies past the cap is claimed, never decoded.
 */
async function readDecoded(
  method: 12 | 14,
  raw: yauzl.Entry,
  bytes: Uint8Array,
  entry: ArchiveEntry,
  collector: Collector,
): Promise<void> {
  const cap = collector.limits.fileBytes;
  const start = dataStart(bytes, raw);
  const body = bytes.subarray(start, start + raw.compressedSize);
  const sink = new FileSink(entry, cap);
  let read = 0;
  let cut = false;
  const push = (chunk: Uint8Array): boolean => {
    const part = read + chunk.length > cap ? chunk.subarray(0, cap - read) : chunk;
    if (part.length > 0 && !collector.count(part.length)) return false;
    read += part.length;
    sink.push(part);
    if (part.length < chunk.length) cut = true;
    return !cut;
  };
  const error =
    method === 12
      ? await bunzip2One(body, Math.min(cap + 1, collector.budget), push)
      : unlzma(body, Math.min(raw.uncompressedSize, cap + 1), push);
  if (collector.stopped) {
    sink.finish(collector, true);
    return;
  }
  if (error) {
    sink.finish(collector, true);
    unreadable(collector, entry, error);
    return;
  }
  sink.finish(collector, cut);
  if (cut) collector.claim(Math.max(0, raw.uncompressedSize - read));
  else if (read !== raw.uncompressedSize) {
    unreadable(
      collector,
      entry,
      `corrupt zip entry: ${read} bytes of data, the directory says ${raw.uncompressedSize}`,
    );
  }
}

/**
 * The common case in one synchronous step: a stored entry, or a deflated one whose output fits both the
 * per-file cap and the remaining budget (zlib's maxOutputLength stops it there). yauzl's per-entry
 * streams cost a thread-pool round trip per entry, which made wheels of many small files 3x slower.
 * Returns false when the entry needs the bounded stream instead.
 */
function readWhole(raw: yauzl.Entry, bytes: Uint8Array, entry: ArchiveEntry, collector: Collector): boolean {
  const cap = collector.limits.fileBytes;
  const start = dataStart(bytes, raw);
  const body = bytes.subarray(start, start + raw.compressedSize);
  if (raw.compressionMethod === 0) {
    const kept = body.subarray(0, cap);
    if (!collector.count(kept.length)) return true;
    keep(collector, entry, Buffer.from(kept), body.length, body.length > cap);
    checkSize(collector, entry, raw, body.length);
    if (body.length > cap) collector.claim(body.length - cap);
    return true;
  }
  // The declared size only picks the path (a lie costs one wasted attempt, never memory).
  if (raw.uncompressedSize > cap) return false;
  const limit = Math.min(cap, collector.budget);
  let out: Buffer;
  try {
    // The declared size only sizes zlib's output buffer (a 16 KiB default for every small file cost
    // more than the inflating); a wrong size costs extra chunks, never more memory than the limit.
    const chunkSize = Math.min(Math.max(raw.uncompressedSize + 1, 64), 64 * 1024);
    out = inflateRawSync(body, { maxOutputLength: limit + 1, chunkSize });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return false;
    throw err;
  }
  if (out.length > limit) return false;
  if (!collector.count(out.length)) return true;
  keep(collector, entry, out, out.length, false);
  checkSize(collector, entry, raw, out.length);
  return true;
}

/** What yauzl's validateEntrySizes does for its streams: the data must be the size the directory says. */
function checkSize(collector: Collector, entry: ArchiveEntry, raw: yauzl.Entry, actual: number): void {
  if (actual !== raw.uncompressedSize) {
    unreadable(
      collector,
      entry,
      `corrupt zip entry: ${actual} bytes of data, the directory says ${raw.uncompressedSize}`,
    );
  }
}

/**
 * Where an entry's data starts: after its local header's name and extra field. Read here rather than
 * with yauzl's readLocalFileHeader, which costs a setImmediate per entry (a third of the time on
 * archives of many small files); the checks are the same (signature, data inside the file).
 */
function dataStart(bytes: Uint8Array, raw: yauzl.Entry): number {
  const at = raw.relativeOffsetOfLocalHeader;
  if (at + 30 > bytes.length) throw new Error('local file header lies outside the file');
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, 30);
  if (view.getUint32(0, true) !== 0x04034b50) throw new Error('invalid local file header signature');
  const start = at + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (start + raw.compressedSize > bytes.length) throw new Error('entry data runs past the end of the file');
  return start;
}
