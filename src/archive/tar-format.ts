// Tar headers read the way Python's tarfile reads them (TarInfo.frombuf, _proc_member and the pax and
// GNU helpers in CPython's Lib/tarfile.py), because that is what pip extracts: the gate must see the
// members pip sees, with the names, types and data pip gets. Hand-written rather than node-tar: node-tar
// drops the data of GNU sparse members and of types it does not know (tarfile extracts both as regular
// files), drops the pax keys of the sparse formats, and skips data after link and device headers that
// tarfile reads as the next header (a member hidden from one reader is visible to the other).

export const BLOCK = 512;
/** Long names, pax records and sparse maps are held in memory whole; past this a header is refused. */
export const MAX_META_BYTES = 1024 * 1024;
/** Sparse regions per member (tarfile looks each position up in the map: keep that bounded). */
export const MAX_SPARSE_REGIONS = 4096;

export const blocks = (n: number) => Math.ceil(n / BLOCK) * BLOCK;

const REGULAR = new Set(['0', '\0', '7', 'S']);
/** tarfile.SUPPORTED_TYPES: anything else is extracted as a regular file, its data `size` bytes. */
const SUPPORTED = new Set(['0', '\0', '1', '2', '5', '6', '7', '3', '4', 'L', 'K', 'S']);

export class HeaderError extends Error {}

export interface RawMember {
  name: string;
  linkname: string;
  mode: number;
  /** Logical size (after pax and sparse information). */
  size: number;
  /** Type flag as stored (one character; '\0' for the old regular-file flag). */
  type: string;
  /** Bytes of data that follow the header(s) in the archive (before padding to a block). */
  dataLength: number;
  /** The size field as the header stored it (for old GNU sparse members, the stored data). */
  headerSize: number;
  /** (offset, length) regions of a sparse member; the data holds them one after another. */
  sparse?: [number, number][];
  /** GNU sparse 1.0: the map is at the start of the data, in decimal lines. */
  sparseMapInData?: boolean;
  /** Names were not valid UTF-8 (replaced). */
  invalidUtf8?: boolean;
}

export const isRegular = (m: RawMember) => REGULAR.has(m.type);
/** tarfile reads data after regular members and after members of types it does not know. */
export const hasData = (m: RawMember) => REGULAR.has(m.type) || !SUPPORTED.has(m.type);
export const isUnknownType = (m: RawMember) => !SUPPORTED.has(m.type);

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** tarfile.nts: up to the first NUL, decoded (UTF-8 here; replacement marks invalid bytes). */
export function nts(b: Uint8Array): { text: string; invalid: boolean } {
  const end = b.indexOf(0);
  const s = end < 0 ? b : b.subarray(0, end);
  try {
    return { text: utf8.decode(s), invalid: false };
  } catch {
    return { text: lenient.decode(s), invalid: true };
  }
}

/** tarfile.nti: base-256 (0x80 / 0xff first byte) or octal text (int(s.strip() or "0", 8)). */
export function nti(b: Uint8Array): number {
  if (b[0] === 0o200 || b[0] === 0o377) {
    let n = 0n;
    for (let i = 1; i < b.length; i++) n = (n << 8n) + BigInt(b[i]!);
    if (b[0] === 0o377) n = -(256n ** BigInt(b.length - 1) - n);
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER))
      throw new HeaderError('number out of range');
    return Number(n);
  }
  const end = b.indexOf(0);
  const raw = b.subarray(0, end < 0 ? b.length : end);
  if (raw.some((c) => c > 0x7f)) throw new HeaderError('invalid header');
  return pyInt(String.fromCharCode(...raw), 8);
}

/** Python's int(text, base) for the forms tar fields use: whitespace, a sign, 0o/0x prefix, underscores. */
export function pyInt(text: string, base: 8 | 10): number {
  let s = text.replace(/^[\s\v\f]+|[\s\v\f]+$/g, '');
  if (s === '') {
    if (base === 8) return 0; // nti: s.strip() or "0"
    throw new HeaderError('invalid number');
  }
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (base === 8 && /^0[oO]/.test(s)) s = s.slice(2).replace(/^_/, '');
  const digits = base === 8 ? /^[0-7](_?[0-7])*$/ : /^[0-9](_?[0-9])*$/;
  if (!digits.test(s)) throw new HeaderError('invalid number');
  const n = Number.parseInt(s.replace(/_/g, ''), base);
  if (!Number.isSafeInteger(n)) throw new HeaderError('number out of range');
  return sign * n;
}

/** tarfile.calc_chksums: the checksum field may hold the unsigned or the signed byte sum. */
export function checksumValid(buf: Uint8Array): boolean {
  let stored: number;
  try {
    stored = nti(buf.subarray(148, 156));
  } catch {
    return false;
  }
  let unsigned = 256;
  let signed = 256;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = buf[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

export type Header =
  | { kind: 'eof' }
  | { kind: 'member'; member: RawMember; sparseStructs?: [number, number][]; extended?: boolean };

/** TarInfo.frombuf. Throws HeaderError for a bad checksum or field. */
export function parseHeader(buf: Uint8Array): Header {
  if (buf.every((b) => b === 0)) return { kind: 'eof' };
  if (!checksumValid(buf)) throw new HeaderError('bad checksum');
  const name = nts(buf.subarray(0, 100));
  const link = nts(buf.subarray(157, 257));
  const prefix = nts(buf.subarray(345, 500));
  const type = String.fromCharCode(buf[156]!);
  const member: RawMember = {
    name: name.text,
    linkname: link.text,
    mode: nti(buf.subarray(100, 108)),
    size: nti(buf.subarray(124, 136)),
    type,
    dataLength: 0,
    headerSize: 0,
  };
  member.headerSize = member.size;
  if (member.size < 0) throw new HeaderError('negative size');
  if (name.invalid || link.invalid || prefix.invalid) member.invalidUtf8 = true;
  // Old V7 archives mark a directory as a regular file whose name ends in a slash.
  if (type === '\0' && member.name.endsWith('/')) member.type = '5';
  const header: Header = { kind: 'member', member };
  if (type === 'S') {
    // The old GNU sparse format keeps up to 4 (offset, numbytes) pairs in the header itself.
    const structs: [number, number][] = [];
    for (let i = 0, at = 386; i < 4; i++, at += 24) {
      structs.push([nti(buf.subarray(at, at + 12)), nti(buf.subarray(at + 12, at + 24))]);
    }
    header.sparseStructs = structs;
    header.extended = buf[482] !== 0;
    member.size = nti(buf.subarray(483, 495)); // the real size; the header's size is the stored data
  }
  if (member.type === '5') member.name = member.name.replace(/\/+$/, '');
  if (prefix.text !== '' && !['L', 'K', 'S'].includes(type)) member.name = `${prefix.text}/${member.name}`;
  return header;
}

/** One block of old-GNU sparse extension: up to 21 pairs (zero pairs dropped), and whether more follow. */
export function parseSparseExtension(buf: Uint8Array): { structs: [number, number][]; extended: boolean } {
  const structs: [number, number][] = [];
  for (let i = 0, at = 0; i < 21; i++, at += 24) {
    const offset = nti(buf.subarray(at, at + 12));
    const length = nti(buf.subarray(at + 12, at + 24));
    if (offset && length) structs.push([offset, length]);
  }
  return { structs, extended: buf[504] !== 0 };
}

export interface PaxRecords {
  /** keyword -> value, later records winning (as a dict). */
  values: Map<string, string>;
  /** Every record in order (GNU sparse 0.0 repeats its keywords). */
  raw: [string, string][];
}

const LENGTH_PREFIX = /^([0-9]{1,20}) /;

/** TarInfo._proc_pax's record parser; throws HeaderError where tarfile raises InvalidHeaderError. */
export function parsePax(buf: Uint8Array, into: Map<string, string>): PaxRecords {
  const raw: [string, string][] = [];
  let at = 0;
  while (at < buf.length && buf[at] !== 0) {
    const head = String.fromCharCode(...buf.subarray(at, Math.min(buf.length, at + 22)));
    const match = LENGTH_PREFIX.exec(head);
    if (!match) throw new HeaderError('invalid pax header');
    const length = Number.parseInt(match[1]!, 10);
    if (length < 5 || at + length > buf.length) throw new HeaderError('invalid pax header');
    const last = at + length - 1;
    const record = buf.subarray(at + match[1]!.length + 1, last);
    const eq = record.indexOf(0x3d);
    if (eq <= 0 || buf[last] !== 0x0a) throw new HeaderError('invalid pax header');
    raw.push([lenient.decode(record.subarray(0, eq)), lenient.decode(record.subarray(eq + 1))]);
    at += length;
  }
  for (const [k, v] of raw) into.set(k, v);
  return { values: into, raw };
}

const PAX_NUMBER = new Set(['size', 'mtime', 'uid', 'gid']);

/** TarInfo._apply_pax_info (the fields the gate uses). */
export function applyPax(member: RawMember, pax: Map<string, string>): void {
  for (const [key, value] of pax) {
    if (key === 'GNU.sparse.name' || key === 'path')
      member.name = key === 'path' ? value.replace(/\/+$/, '') : value;
    else if (key === 'GNU.sparse.size' || key === 'GNU.sparse.realsize' || key === 'size') {
      let n: number;
      try {
        n = pyInt(value, 10);
      } catch {
        if (!PAX_NUMBER.has(key)) throw new HeaderError(`invalid ${key}`); // int() raising escapes tarfile
        n = 0;
      }
      member.size = n;
    } else if (key === 'linkpath') member.linkname = value;
    if (value.includes('\ufffd') && (key === 'path' || key === 'linkpath' || key === 'GNU.sparse.name'))
      member.invalidUtf8 = true;
  }
}

/** Sparse maps from pax records: 0.1 (GNU.sparse.map), 0.0 (repeated offset/numbytes), else 1.0 or none. */
export function paxSparse(records: PaxRecords, member: RawMember): void {
  const values = records.values;
  const map = values.get('GNU.sparse.map');
  if (map !== undefined) {
    const numbers = map.split(',').map((x) => pyInt(x, 10));
    member.sparse = pairs(numbers);
  } else if (values.has('GNU.sparse.size')) {
    const offsets: number[] = [];
    const lengths: number[] = [];
    for (const [k, v] of records.raw) {
      if (k === 'GNU.sparse.offset') offsets.push(pyInt(v, 10));
      else if (k === 'GNU.sparse.numbytes') lengths.push(pyInt(v, 10));
    }
    member.sparse = offsets.slice(0, lengths.length).map((o, i) => [o, lengths[i]!]);
  } else if (values.get('GNU.sparse.major') === '1' && values.get('GNU.sparse.minor') === '0') {
    member.sparseMapInData = true;
  }
  if (member.sparse && member.sparse.length > MAX_SPARSE_REGIONS)
    throw new HeaderError(`sparse map of more than ${MAX_SPARSE_REGIONS} regions`);
}

function pairs(numbers: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) out.push([numbers[i]!, numbers[i + 1]!]);
  return out;
}

/**
 * GNU sparse 1.0: decimal lines at the start of the data (count, then offset/length pairs), read in
 * whole blocks. Returns the map and how many bytes of data it took, or undefined when the data held
 * so far is too short to tell.
 */
export function sparseMapFromData(data: Uint8Array): { map: [number, number][]; used: number } | undefined {
  let at = 0;
  const line = (): number | undefined => {
    const nl = data.indexOf(0x0a, at);
    if (nl < 0) return undefined;
    const n = pyInt(String.fromCharCode(...data.subarray(at, Math.min(nl, at + 40))), 10);
    if (nl - at > 40) throw new HeaderError('invalid sparse map');
    at = nl + 1;
    return n;
  };
  const count = line();
  if (count === undefined) return undefined;
  if (count < 0 || count > MAX_SPARSE_REGIONS) throw new HeaderError('invalid sparse map');
  const numbers: number[] = [];
  while (numbers.length < count * 2) {
    const n = line();
    if (n === undefined) return undefined;
    numbers.push(n);
  }
  return { map: pairs(numbers), used: blocks(at) };
}

/**
 * The logical content of a sparse member, up to `cap` bytes, as tarfile's _FileInFile builds it from
 * the regions (data) and the holes (zeros), for a map in order (the only kind GNU tar writes).
 * `stored` holds the regions' data one after another. Returns why it cannot: a map out of order, or
 * one that reads past what the archive holds here.
 */
export function assembleSparse(
  regions: [number, number][],
  size: number,
  stored: Uint8Array,
  storedComplete: boolean,
  cap: number,
): { data: Uint8Array; cut: boolean } | { problem: string } {
  type Piece = { data: boolean; start: number; stop: number; from: number };
  const map: Piece[] = [];
  let last = 0;
  let real = 0;
  for (const [offset, length] of regions) {
    if (offset < 0 || length < 0) return { problem: 'sparse map with a negative offset or length' };
    // Empty regions hold no data (GNU tar ends its maps with one at the file's size, and the old
    // header format keeps unused (0, 0) slots): the holes around them read as zeros either way.
    if (length === 0) continue;
    // GNU tar writes regions in order; tarfile's lookup of an unordered map costs a scan of the map per
    // read (quadratic here for a hostile map) and gives an order-dependent answer: not laid out.
    if (offset < last) return { problem: 'sparse map regions out of order or overlapping' };
    if (offset > last) map.push({ data: false, start: last, stop: offset, from: 0 });
    map.push({ data: true, start: offset, stop: offset + length, from: real });
    real += length;
    last = offset + length;
  }
  if (last < size) map.push({ data: false, start: last, stop: size, from: 0 });
  const want = Math.min(size, cap);
  const out = new Uint8Array(want);
  let position = 0;
  let index = 0;
  while (position < want) {
    let tries = 0;
    while (!(map[index] && map[index]!.start <= position && position < map[index]!.stop)) {
      index = (index + 1) % Math.max(map.length, 1);
      if (++tries > map.length) return { problem: 'sparse map leaves a hole tarfile cannot read' };
    }
    const piece = map[index]!;
    const length = Math.min(want - position, piece.stop - position);
    if (piece.data) {
      const from = piece.from + (position - piece.start);
      if (from + length > stored.length) {
        return {
          problem: storedComplete
            ? 'sparse map reads past the member data'
            : 'sparse map needs data past what the reader keeps of one member',
        };
      }
      out.set(stored.subarray(from, from + length), position);
    }
    position += length;
  }
  return { data: out, cut: size > want };
}
