// Tar (plain or inside gzip/bzip2/xz) through node-tar's Parser, fed the decompressed stream in
// 64 KiB chunks. The Parser only parses: nothing is extracted, no path is touched. Every byte is
// counted as it leaves the decompressor, so header sizes are never trusted.
import { Parser, type ReadEntry } from 'tar';
import type { ArchiveEntry } from '../types.js';
import { type Collector, FileSink, MAX_LINK_TARGET } from './collector.js';
import type { Decompressor } from './decompress.js';
import { isTarHeader, sniff } from './detect.js';

const TYPES: Record<string, ArchiveEntry['type']> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'dir',
  GNUDumpDir: 'dir',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
  CharacterDevice: 'device',
  BlockDevice: 'device',
  FIFO: 'device',
};

/** Reads a tar stream out of `input` with `decompress` into `collector`. */
export async function readTar(
  input: Uint8Array,
  decompress: Decompressor,
  collector: Collector,
): Promise<void> {
  const parser = new Parser({ strict: false });
  let open: { sink?: FileSink; entry: ArchiveEntry } | undefined;
  let started = false;
  let invalidHeaders = 0;
  // Python's tarfile (so pip) stops at the end-of-archive marker; node-tar ignores what follows but
  // keeps buffering it (quadratic copies: 12 s for one 3 MB sample), so stop feeding it there.
  let sawEnd = false;
  parser.on('eof', () => {
    sawEnd = true;
  });

  parser.on('entry', (raw: ReadEntry) => {
    const type = TYPES[raw.type] ?? 'other';
    const entry = collector.add(raw.path, type, {
      mode: raw.mode,
      ...(raw.linkpath ? { linkTarget: raw.linkpath.slice(0, MAX_LINK_TARGET) } : {}),
    });
    if (!entry) {
      raw.resume();
      return;
    }
    if (type !== 'file') {
      // Links and devices carry no content worth keeping; their bytes are still counted upstream.
      raw.on('data', (c: Buffer) => {
        entry.size += c.length;
      });
      raw.on('end', () => {
        open = undefined;
      });
      open = { entry };
      return;
    }
    const sink = new FileSink(entry, collector.limits.fileBytes);
    open = { sink, entry };
    raw.on('data', (c: Buffer) => sink.push(c));
    raw.on('end', () => {
      sink.finish(collector, false);
      open = undefined;
    });
  });
  parser.on('warn', (code: string, message: string) => {
    if (code === 'TAR_ENTRY_INVALID') {
      invalidHeaders++;
      if (invalidHeaders === 1) collector.fail(`corrupt tar header: ${message}`);
    } else if (code === 'TAR_BAD_ARCHIVE') {
      collector.fail(`corrupt tar: ${message}`);
    } else {
      collector.note(`tar: ${message}`);
    }
  });
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('close', resolve);
    parser.on('abort', resolve);
  });
  parser.on('error', (err: Error) => collector.fail(`corrupt tar: ${err.message}`));

  let head: Uint8Array | undefined;
  const streamError = await decompress(input, collector.budget, (chunk) => {
    if (!started) {
      // The first 512 bytes decide whether this is a tar at all. node-tar would also gunzip a stream
      // that starts with gzip magic: a compressed stream inside a compressed stream is not a tar here.
      head = head ? Buffer.concat([head, chunk]) : chunk;
      if (head.length < 512) return collector.count(chunk.length);
      started = true;
      if (!isTarHeader(head)) {
        const inner = sniff(head);
        collector.fail(inner === 'unknown' ? 'not a tar archive' : `not a tar archive (holds ${inner} data)`);
        return false;
      }
      if (!collector.count(chunk.length)) return false;
      parser.write(Buffer.from(head.buffer, head.byteOffset, head.length));
      head = undefined;
      return !collector.stopped && !sawEnd;
    }
    if (!collector.count(chunk.length)) return false;
    parser.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    return !collector.stopped && !sawEnd;
  });
  if (streamError) collector.fail(streamError);

  if (!started) {
    // The whole stream was shorter than one tar header.
    const inner = head && head.length > 0 ? sniff(head) : undefined;
    collector.fail(
      inner === undefined
        ? 'empty archive stream'
        : inner === 'unknown'
          ? 'not a tar archive (too short)'
          : `not a tar archive (holds ${inner} data)`,
    );
    return;
  }
  if (collector.stopped || streamError) {
    // Keep what the open entry had so far; the parser is dropped mid-stream on purpose.
    if (open?.sink) open.sink.finish(collector, true);
    return;
  }
  parser.end();
  await ended;
  if (open?.sink) open.sink.finish(collector, true);
  if (invalidHeaders > 1) collector.note(`${invalidHeaders} corrupt tar headers skipped`);
}
