// Tar (plain or compressed) read as Python's tarfile reads it (tar-format.ts), over a stream of
// decompressed chunks: headers and metadata are held whole (bounded), file data goes straight to a
// per-file sink up to the cap, and the read stops at the first zero block as tarfile does.
import type { ArchiveEntry } from '../types.js';
import { type Collector, FileSink, keep, MAX_LINK_TARGET } from './collector.js';
import type { Decompressor } from './decompress.js';
import { isTarHeader, sniff } from './detect.js';
import {
  applyPax,
  assembleSparse,
  BLOCK,
  blocks,
  HeaderError,
  hasData,
  isUnknownType,
  MAX_META_BYTES,
  MAX_SPARSE_REGIONS,
  nts,
  parseHeader,
  parsePax,
  parseSparseExtension,
  paxSparse,
  type RawMember,
  sparseMapFromData,
} from './tar-format.js';

/** What the parser asks of the stream: `take` n bytes whole, or pass n bytes to a sink (or skip them). */
type Need = { take: number } | { stream: number; sink?: (chunk: Uint8Array) => void };
/** Resumes a `stream` need that was met (a `take` resumes with its bytes; both with undefined at the end). */
const MET = new Uint8Array(0);
type Parser = Generator<Need, void, Uint8Array | undefined>;

class Truncated extends Error {}

/** Extended headers (long names, pax) chained before one member; tarfile recurses, so keep it bounded. */
const MAX_CHAIN = 64;

const TYPES: Record<string, ArchiveEntry['type']> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  S: 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'device',
  '4': 'device',
  '6': 'device',
  '5': 'dir',
};

/** Reads a tar stream out of `input` with `decompress` into `collector`. */
export async function readTar(
  input: Uint8Array,
  decompress: Decompressor,
  collector: Collector,
): Promise<void> {
  const state: { open?: FileSink } = {};
  const feed = new Feeder(parseArchive(collector, state));
  let started = false;
  let head: Uint8Array | undefined;
  const streamError = await decompress(input, collector.budget, (chunk) => {
    if (!started) {
      // The first 512 bytes decide whether this is a tar at all. A compressed stream inside a
      // compressed stream is not a tar here.
      head = head ? Buffer.concat([head, chunk]) : chunk;
      if (head.length < BLOCK) return collector.count(chunk.length);
      started = true;
      if (!isTarHeader(head)) {
        const inner = sniff(head);
        collector.fail(inner === 'unknown' ? 'not a tar archive' : `not a tar archive (holds ${inner} data)`);
        return false;
      }
      if (!collector.count(chunk.length)) return false;
      const first = head;
      head = undefined;
      return feed.write(first) && !collector.stopped;
    }
    if (!collector.count(chunk.length)) return false;
    return feed.write(chunk) && !collector.stopped;
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
    state.open?.finish(collector, true);
    return;
  }
  feed.end();
}

/** Drives the parser with the chunks as they come (no chunk is kept past the call that needs it). */
class Feeder {
  private need: Need | undefined;
  private parts: Uint8Array[] = [];
  private have = 0;

  constructor(private readonly parser: Parser) {
    this.need = parser.next().value ?? undefined;
  }

  /** False once the parser is done (end of archive, or a problem): the stream need not go on. */
  write(chunk: Uint8Array): boolean {
    let at = 0;
    while (this.need && at < chunk.length) {
      const need = this.need;
      if ('take' in need) {
        const want = need.take - this.have;
        const part = chunk.subarray(at, at + want);
        at += part.length;
        if (this.have === 0 && part.length === need.take) {
          // The common case (a header inside one chunk): a view, parsed before this call returns.
          this.resume(part);
          continue;
        }
        // Pieces of a need that spans chunks are copied: the chunks are not the parser's to keep.
        this.parts.push(part.slice());
        this.have += part.length;
        if (this.have < need.take) return true;
        const whole = Buffer.concat(this.parts, this.have);
        this.parts = [];
        this.have = 0;
        this.resume(whole);
      } else {
        const n = Math.min(need.stream, chunk.length - at);
        need.sink?.(chunk.subarray(at, at + n));
        need.stream -= n;
        at += n;
        if (need.stream === 0) this.resume(MET);
      }
    }
    return this.need !== undefined;
  }

  /** The stream ended: whatever the parser still waits for will not come. */
  end(): void {
    while (this.need) this.resume(undefined);
  }

  private resume(value: Uint8Array | undefined): void {
    const next = this.parser.next(value);
    this.need = next.done ? undefined : next.value;
  }
}

function* take(n: number): Generator<Need, Uint8Array, Uint8Array | undefined> {
  if (n === 0) return new Uint8Array(0);
  const got = yield { take: n };
  if (!got) throw new Truncated();
  return got;
}

function* stream(
  n: number,
  sink?: (chunk: Uint8Array) => void,
): Generator<Need, void, Uint8Array | undefined> {
  if (n === 0) return;
  const got = yield { stream: n, ...(sink ? { sink } : {}) };
  if (!got) throw new Truncated();
}

function* parseArchive(collector: Collector, state: { open?: FileSink }): Parser {
  const globalPax = new Map<string, string>();
  for (;;) {
    let member: RawMember | 'eof';
    try {
      member = yield* fromTarfile(globalPax, 0);
    } catch (err) {
      if (err instanceof Truncated) collector.fail('corrupt tar: the stream ends inside a header');
      else if (err instanceof HeaderError) collector.fail(`corrupt tar header: ${err.message}`);
      else throw err;
      return;
    }
    if (member === 'eof') return; // tarfile stops at the first zero block
    try {
      yield* readMember(collector, member, state);
    } catch (err) {
      if (err instanceof Truncated) {
        state.open?.finish(collector, true);
        collector.fail(`corrupt tar: the stream ends inside ${member.name.slice(0, 200)}`);
      } else if (err instanceof HeaderError)
        collector.fail(`corrupt tar member ${member.name.slice(0, 200)}: ${err.message}`);
      else throw err;
      return;
    }
    state.open = undefined;
    if (collector.stopped) return;
  }
}

/** TarInfo.fromtarfile + _proc_member: one member, with the extended headers before it applied. */
function* fromTarfile(
  globalPax: Map<string, string>,
  depth: number,
): Generator<Need, RawMember | 'eof', Uint8Array | undefined> {
  if (depth > MAX_CHAIN) throw new HeaderError(`more than ${MAX_CHAIN} extended headers in a row`);
  const header = parseHeader(yield* take(BLOCK));
  if (header.kind === 'eof') return 'eof';
  const m = header.member;
  const next = function* () {
    const member = yield* fromTarfile(globalPax, depth + 1);
    if (member === 'eof') throw new HeaderError('extended header without a member');
    return member;
  };
  switch (m.type) {
    case 'L':
    case 'K': {
      const body = yield* meta(m.size);
      const member = yield* next();
      const text = nts(body);
      if (text.invalid) member.invalidUtf8 = true;
      if (m.type === 'L') member.name = text.text;
      else member.linkname = text.text;
      if (member.type === '5' && member.name.endsWith('/')) member.name = member.name.slice(0, -1);
      return member;
    }
    case 'S': {
      const structs = header.sparseStructs ?? [];
      let extended = header.extended;
      while (extended) {
        const block = parseSparseExtension(yield* take(BLOCK));
        structs.push(...block.structs);
        if (structs.length > MAX_SPARSE_REGIONS)
          throw new HeaderError(`sparse map of more than ${MAX_SPARSE_REGIONS} regions`);
        extended = block.extended;
      }
      m.sparse = structs;
      m.dataLength = m.headerSize;
      return m;
    }
    case 'x':
    case 'g':
    case 'X': {
      const body = yield* meta(m.size);
      const pax = m.type === 'g' ? globalPax : new Map(globalPax);
      const records = parsePax(body, pax);
      const member = yield* next();
      paxSparse(records, member);
      if (m.type !== 'g') {
        applyPax(member, pax);
        if (pax.has('size')) member.dataLength = hasData(member) ? member.size : 0;
      }
      return member;
    }
    default:
      m.dataLength = hasData(m) ? m.size : 0;
      applyPax(m, globalPax);
      if (m.type === '5') m.name = m.name.replace(/\/+$/, '');
      return m;
  }
}

/** A metadata body (long name, pax records) and its padding, held whole. */
function* meta(size: number): Generator<Need, Uint8Array, Uint8Array | undefined> {
  if (size > MAX_META_BYTES) throw new HeaderError(`extended header of ${size} bytes`);
  // Copied: it is used after the headers that follow it were read (a view could be of a chunk gone by then).
  return (yield* take(blocks(size))).slice(0, size);
}

function* readMember(
  collector: Collector,
  m: RawMember,
  state: { open?: FileSink },
): Generator<Need, void, Uint8Array | undefined> {
  const type = TYPES[m.type] ?? 'file';
  const entry = collector.add(m.name, type, {
    mode: m.mode & 0o7777,
    ...(m.linkname && (type === 'symlink' || type === 'hardlink')
      ? { linkTarget: m.linkname.slice(0, MAX_LINK_TARGET) }
      : {}),
    ...(m.invalidUtf8 ? { invalidUtf8: true } : {}),
  });
  const padded = blocks(m.dataLength);
  if (!entry) {
    yield* stream(padded);
    return;
  }
  if (isUnknownType(m)) {
    const flag = JSON.stringify(m.type).slice(1, -1);
    collector.note(
      `${m.name.slice(0, 200)}: tar type '${flag}' read as a regular file, as tarfile extracts it`,
    );
  }
  if (type !== 'file') {
    yield* stream(padded);
    return;
  }
  const cap = collector.limits.fileBytes;
  if (!m.sparse && !m.sparseMapInData) {
    const sink = new FileSink(entry, cap);
    state.open = sink;
    yield* stream(m.dataLength, (c) => sink.push(c));
    sink.finish(collector, false);
    state.open = undefined;
    yield* stream(padded - m.dataLength);
    return;
  }
  // Sparse: hold the stored data (up to the cap; a map that needs more is a gap), then lay it out.
  const held: Uint8Array[] = [];
  let kept = 0;
  yield* stream(m.dataLength, (c) => {
    if (kept >= cap) return;
    const part = c.subarray(0, cap - kept);
    held.push(part.slice());
    kept += part.length;
  });
  yield* stream(padded - m.dataLength);
  let stored: Uint8Array = Buffer.concat(held, kept);
  const complete = kept === m.dataLength;
  let regions = m.sparse ?? [];
  if (m.sparseMapInData) {
    const found = sparseMapFromData(stored);
    if (!found) {
      if (complete) throw new HeaderError('sparse map runs past the member data');
      unreadable(collector, entry, 'GNU sparse map longer than the reader keeps of one member');
      return;
    }
    regions = found.map;
    stored = stored.subarray(found.used);
  }
  const laid = assembleSparse(regions, m.size, stored, complete, cap);
  if ('problem' in laid) {
    unreadable(collector, entry, `GNU sparse member: ${laid.problem}`);
    return;
  }
  keep(collector, entry, laid.data, m.size, laid.cut);
}

function unreadable(collector: Collector, entry: ArchiveEntry, reason: string): void {
  collector.gap(entry.path, reason);
  collector.note(`${entry.path}: ${reason}`);
}
