// What both readers share: the byte, ratio, entry and depth budgets, counted as bytes arrive (never
// from headers), and the entries read so far. A hit limit stops the read; the view keeps what came before.
import type { ArchiveEntry, Gap } from '../types.js';
import { sniff } from './detect.js';
import { type ArchiveLimits, type LimitName, RATIO_FLOOR_BYTES } from './limits.js';
import { nameFlags, pathParts } from './names.js';

const MB = 1024 * 1024;
/** Link targets are names, not content: keep a bounded prefix. */
export const MAX_LINK_TARGET = 4096;
/** Notes kept per archive, so a stream of broken headers cannot grow the list without bound. */
const MAX_NOTES = 50;
/** Gaps listed one by one per archive; past this one more gap counts the rest. */
const MAX_GAPS = 50;

export class Collector {
  readonly entries: ArchiveEntry[] = [];
  readonly limitsHit: LimitName[] = [];
  readonly notes: string[] = [];
  /** Members pip would write that the reader could not give in full (see ArchiveView.gaps). */
  readonly gaps: Gap[] = [];
  private gapsDropped = 0;
  bytesRead = 0;
  /** Zip only: declared sizes of entry parts never inflated (past the per-file cap); they count for the limits. */
  claimed = 0;
  /** First fatal problem: a limit, a corrupt stream, an unreadable entry. */
  error?: string;
  /** Set when a limit stops the read: readers check it and stop feeding. */
  stopped = false;

  constructor(
    readonly limits: ArchiveLimits,
    readonly inputBytes: number,
  ) {}

  /** Counts n more uncompressed bytes; false (and stopped) when that passes the total or the ratio. */
  count(n: number): boolean {
    if (this.stopped) return false;
    this.bytesRead += n;
    return this.check();
  }

  /**
   * Counts bytes an entry declares but that are never inflated (zip entries past the per-file cap),
   * so that a zip bomb meets the same total and ratio limits as a tar bomb without being inflated.
   */
  claim(n: number): boolean {
    if (this.stopped) return false;
    this.claimed += n;
    return this.check();
  }

  private check(): boolean {
    const { totalBytes, ratio } = this.limits;
    const size = this.bytesRead + this.claimed;
    const what = this.claimed > 0 ? 'uncompressed size (read and declared)' : 'uncompressed size';
    if (size > totalBytes) {
      return this.hit('totalBytes', `${what} passes the ${fmtBytes(totalBytes)} limit`);
    }
    if (size > RATIO_FLOOR_BYTES && size > ratio * Math.max(this.inputBytes, 1)) {
      return this.hit(
        'ratio',
        `compression ratio passes ${ratio}:1 (${fmtBytes(size)} from ${fmtBytes(this.inputBytes)})`,
      );
    }
    return true;
  }

  /** The most uncompressed bytes `count` will still accept (total and ratio limits). */
  get budget(): number {
    const { totalBytes, ratio } = this.limits;
    const byRatio = Math.max(RATIO_FLOOR_BYTES, ratio * this.inputBytes);
    return Math.max(0, Math.min(totalBytes, byRatio) - this.bytesRead - this.claimed);
  }

  /**
   * Records an entry (name flags, depth and count limits) and returns it, or undefined when a limit
   * stops the read before it.
   */
  add(
    path: string,
    type: ArchiveEntry['type'],
    extra: Partial<ArchiveEntry> & { invalidUtf8?: boolean } = {},
  ) {
    if (this.stopped) return undefined;
    if (this.entries.length >= this.limits.entries) {
      this.hit('entries', `more than ${this.limits.entries} entries`);
      return undefined;
    }
    const { invalidUtf8, ...fields } = extra;
    const entry: ArchiveEntry = { path, type, size: 0, ...fields };
    const flags = nameFlags(path, this.limits.depth, invalidUtf8);
    if (flags.length > 0) entry.nameFlags = flags;
    this.entries.push(entry);
    if (flags.includes('too-deep')) {
      this.hit('depth', `entry path is ${pathParts(path).length} levels deep (limit ${this.limits.depth})`);
    }
    return entry;
  }

  /** A problem that makes the result an error without stopping the read (first one wins the message). */
  fail(message: string): void {
    this.error ??= message;
    this.note(message);
  }

  note(message: string): void {
    if (this.notes.length < MAX_NOTES) this.notes.push(message);
    else if (this.notes.length === MAX_NOTES) this.notes.push('(further notes dropped)');
  }

  /** A member pip would write that cannot be read (the archive goes on; the package is unscannable). */
  gap(path: string, reason: string, stage: Gap['stage'] = 'archive'): void {
    if (this.gaps.length < MAX_GAPS) this.gaps.push({ stage, path, reason });
    else this.gapsDropped++;
  }

  /** The gaps, with one more that counts those past the list's bound. */
  allGaps(): Gap[] {
    if (this.gapsDropped === 0) return this.gaps;
    return [...this.gaps, { stage: 'archive', reason: `${this.gapsDropped} more members could not be read` }];
  }

  private hit(limit: LimitName, message: string): false {
    if (!this.limitsHit.includes(limit)) this.limitsHit.push(limit);
    this.fail(`limit: ${message}`);
    this.stopped = true;
    return false;
  }

  /** The per-file cap is not an error: big files are normal; the entry says it was cut. */
  truncated(entry: ArchiveEntry): void {
    entry.truncated = true;
    if (!this.limitsHit.includes('fileBytes')) this.limitsHit.push('fileBytes');
  }
}

/**
 * Gathers one file's content up to the per-file cap while counting every byte. `finish` sets
 * `size`, `data` and notes a nested archive by its magic bytes (noted, never opened).
 */
export class FileSink {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  size = 0;

  constructor(
    readonly entry: ArchiveEntry,
    private readonly cap: number,
  ) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    if (this.kept >= this.cap) return;
    const room = this.cap - this.kept;
    // Views until finish() copies them once: chunks may share a larger decompressor buffer.
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(part);
    this.kept += part.length;
  }

  finish(collector: Collector, cut: boolean): ArchiveEntry {
    const data = this.kept === 0 ? new Uint8Array(0) : Buffer.concat(this.chunks, this.kept);
    this.chunks = [];
    return keep(collector, this.entry, data, this.size, cut || this.size > this.kept);
  }
}

/** Sets an entry's content (owned by the entry, at most the cap), its size as read, and notes. */
export function keep(
  collector: Collector,
  entry: ArchiveEntry,
  data: Uint8Array,
  size: number,
  cut: boolean,
): ArchiveEntry {
  entry.size = size;
  entry.data = data;
  if (cut) collector.truncated(entry);
  const nested = data.length >= 4 ? nestedContainer(data) : undefined;
  if (nested) entry.nested = nested;
  return entry;
}

function nestedContainer(data: Uint8Array): ArchiveEntry['nested'] {
  const kind = sniff(data.subarray(0, 512));
  return kind === 'unknown' ? undefined : kind;
}

export function fmtBytes(n: number): string {
  return n >= MB ? `${+(n / MB).toFixed(1)} MB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KB` : `${n} bytes`;
}
