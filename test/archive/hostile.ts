// Hostile archives for the reader's tests and for scripts/inspect-bombs.ts, built in memory. What
// test/fixtures/archives.ts cannot express (a header that lies about its size, bombs made of repeated
// gzip members, a zip64 directory, zip entries that share one body) is written here byte by byte.
import { execFileSync } from 'node:child_process';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { compress as lzmaAlone } from '../../src/archive/lzma1.js';
import {
  type FixtureEntry,
  makeSdist,
  makeTar,
  makeTarGz,
  makeWheel,
  makeZip,
} from '../fixtures/archives.js';

const MiB = 1024 * 1024;

/** A tar header block for one regular file of `size` bytes (the content is not included). */
export function tarFileHeader(path: string, size: number): Buffer {
  const header = Buffer.from(makeTar([{ path, data: '' }]).subarray(0, 512));
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write('        ', 148, 'ascii');
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/**
 * A .tar.gz whose one file is `mib` MiB of zeros, made of one compressed MiB repeated as gzip members
 * (a multi-member gzip is one stream to every reader), so building it costs nothing.
 */
export function gzipBomb(mib: number): Buffer {
  const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
  return Buffer.concat([gzipSync(tarFileHeader('bomb-1.0/bomb.bin', mib * MiB)), ...Array(mib).fill(member)]);
}

/** A zip of `count` entries of `mib` MiB of zeros each (each entry keeps its own compressed copy). */
export function zipBomb(count: number, mib: number): Buffer {
  const body = deflateRawSync(Buffer.alloc(mib * MiB), { level: 9 });
  const size = mib * MiB;
  const crc = crc32(Buffer.alloc(size)) >>> 0;
  return rawZip(
    Array.from({ length: count }, (_, i) => ({ name: `bomb/${i}.bin`, body, size, crc, method: 8 })),
  );
}

/** A zip whose central directory lists `count` entries that all point at the same deflated body. */
export function overlappingZipBomb(count: number, mib: number): Buffer {
  const size = mib * MiB;
  const body = deflateRawSync(Buffer.alloc(size), { level: 9 });
  return rawZip([{ name: 'bomb/0.bin', body, size, crc: crc32(Buffer.alloc(size)) >>> 0, method: 8 }], count);
}

/** A zip64 zip of `count` empty stored files (more than the 65,535 a plain zip directory can count). */
export function manyEntriesZip(count: number): Buffer {
  const empty = Buffer.alloc(0);
  return rawZip(
    Array.from({ length: count }, (_, i) => ({ name: `many/${i}`, body: empty, size: 0, crc: 0, method: 0 })),
  );
}

/** A .tar.gz of `count` empty files (one header template, patched per entry: makeTar is slow at 150k). */
export function manyEntriesTarGz(count: number): Buffer {
  const template = makeTar([{ path: 'many/x', data: '' }]).subarray(0, 512);
  const tar = Buffer.alloc(count * 512 + 1024);
  for (let i = 0; i < count; i++) {
    const h = tar.subarray(i * 512, i * 512 + 512);
    template.copy(h);
    h.fill(0, 0, 100);
    h.write(`many/${i}`, 0, 'ascii');
    h.write('        ', 148, 'ascii');
    let sum = 0;
    for (let j = 0; j < 512; j++) sum += h[j]!;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  }
  return gzipSync(tar, { level: 1 });
}

interface RawEntry {
  name: string;
  body: Buffer;
  size: number;
  crc: number;
  method: number;
}

/**
 * Local headers, a central directory and an end record (zip64 when there are more than 65,535
 * entries). With `repeat`, the directory lists the first entry `repeat` times, all at offset 0.
 */
function rawZip(entries: RawEntry[], repeat?: number): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const dir = (e: RawEntry, name: Buffer, at: number) => {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(e.method, 10);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.body.length, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(at, 42);
    return Buffer.concat([c, name]);
  };
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const l = Buffer.alloc(30);
    l.writeUInt32LE(0x04034b50, 0);
    l.writeUInt16LE(20, 4);
    l.writeUInt16LE(0x0800, 6);
    l.writeUInt16LE(e.method, 8);
    l.writeUInt32LE(e.crc, 14);
    l.writeUInt32LE(e.body.length, 18);
    l.writeUInt32LE(e.size, 22);
    l.writeUInt16LE(name.length, 26);
    locals.push(l, name, e.body);
    if (repeat === undefined) central.push(dir(e, name, offset));
    offset += l.length + name.length + e.body.length;
  }
  if (repeat !== undefined) {
    const first = entries[0]!;
    for (let i = 0; i < repeat; i++) central.push(dir(first, Buffer.from(first.name, 'utf8'), 0));
  }
  const cd = Buffer.concat(central);
  const count = central.length;
  const parts = [...locals, cd];
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (count > 0xffff) {
    const z64 = Buffer.alloc(56);
    z64.writeUInt32LE(0x06064b50, 0);
    z64.writeBigUInt64LE(44n, 4);
    z64.writeUInt16LE(45, 12);
    z64.writeUInt16LE(45, 14);
    z64.writeBigUInt64LE(BigInt(count), 24);
    z64.writeBigUInt64LE(BigInt(count), 32);
    z64.writeBigUInt64LE(BigInt(cd.length), 40);
    z64.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(z64, locator);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
  } else {
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
  }
  parts.push(end);
  return Buffer.concat(parts);
}

/** A tar header block written field by field; `patch` writes more (sparse structs) before the checksum. */
export function rawTarHeader(o: {
  name: string;
  size: number;
  type: string;
  link?: string;
  mode?: number;
  patch?: (h: Buffer) => void;
}): Buffer {
  const h = Buffer.alloc(512);
  h.write(o.name, 0, 100, 'utf8');
  h.write(`${(o.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${o.size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write('14621411000\0', 136, 'ascii');
  h.write(o.type, 156, 'latin1');
  if (o.link) h.write(o.link, 157, 100, 'utf8');
  h.write('ustar  \0', 257, 'ascii');
  o.patch?.(h);
  h.write('        ', 148, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** Data padded to whole 512-byte blocks. */
export const blocks512 = (data: Uint8Array | string): Buffer => {
  const b = Buffer.from(data);
  return Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
};

/** A tar member: its header, then its data padded to blocks (`data` may differ from the header's size). */
export function rawTarMember(o: Parameters<typeof rawTarHeader>[0] & { data?: Uint8Array | string }): Buffer {
  return Buffer.concat([rawTarHeader(o), blocks512(o.data ?? '')]);
}

/** Pax records ("%d %s=%s\n", the length counting itself), as the body of an 'x' or 'g' header. */
export function paxRecords(records: [string, string][]): Buffer {
  return Buffer.concat(
    records.map(([k, v]) => {
      const rest = ` ${k}=${v}\n`;
      let n = Buffer.byteLength(rest) + 1;
      while (String(n).length + Buffer.byteLength(rest) !== n) n = String(n).length + Buffer.byteLength(rest);
      return Buffer.from(`${n}${rest}`);
    }),
  );
}

/** A pax extended header ('x') member carrying `records`. */
export function paxMember(records: [string, string][], type = 'x'): Buffer {
  const body = paxRecords(records);
  return rawTarMember({ name: 'PaxHeaders/x', size: body.length, type, data: body });
}

/** Writes a 12-byte octal number field. */
export const octal12 = (h: Buffer, at: number, n: number) =>
  h.write(`${n.toString(8).padStart(11, '0')}\0`, at, 'ascii');

/** Members followed by the end-of-archive blocks. */
export const tarOfMembers = (...members: Buffer[]) => Buffer.concat([...members, Buffer.alloc(1024)]);

/**
 * A zip whose entries use the compression methods Python's zipfile reads beyond deflate: 12 (a whole
 * bzip2 stream) and 14 (LZMA: version, properties length, 5 property bytes, raw LZMA1), or any other
 * method number with the bytes stored as given. `size` overrides the declared uncompressed size, `body`
 * the compressed bytes (damaged streams).
 */
export function methodZip(
  entries: { name: string; data: Uint8Array | string; method: number; size?: number; body?: Uint8Array }[],
): Buffer {
  return rawZip(
    entries.map((e) => {
      const data = typeof e.data === 'string' ? Buffer.from(e.data) : Buffer.from(e.data);
      const body = e.body
        ? Buffer.from(e.body)
        : e.method === 8
          ? deflateRawSync(data)
          : e.method === 12
            ? compress('bzip2', data)
            : e.method === 14
              ? zipLzmaBody(data)
              : data;
      return { name: e.name, body, size: e.size ?? data.length, crc: crc32(data) >>> 0, method: e.method };
    }),
  );
}

/** The body of a zip method-14 entry, from lzma1's .lzma ("alone") output: its 8-byte size dropped. */
export function zipLzmaBody(data: Uint8Array): Buffer {
  const alone = lzmaAlone(data, 1) as unknown as Uint8Array;
  const bytes = new Uint8Array(alone.buffer, alone.byteOffset, alone.byteLength);
  return Buffer.concat([Buffer.from([9, 20, 5, 0]), bytes.subarray(0, 5), bytes.subarray(13)]);
}

/** Compresses with the system's bzip2 or xz (Node has neither); input on stdin, nothing on disk. */
export function compress(tool: 'bzip2' | 'xz', data: Uint8Array): Buffer {
  return execFileSync(tool, ['-c'], { input: data, maxBuffer: 512 * MiB });
}

/** `mib` MiB of zeros behind one tar header, compressed by the system tool from a shell pipe. */
export function toolBomb(tool: 'bzip2' | 'xz', mib: number): Buffer {
  const header = tarFileHeader('bomb-1.0/bomb.bin', mib * MiB);
  return execFileSync('sh', ['-c', `{ cat; head -c ${mib * MiB} /dev/zero; } | ${tool} -c -1`], {
    input: header,
    maxBuffer: 64 * MiB,
  });
}

export const pkg = { name: 'demo-pkg', version: '1.0' };
export const sdistFiles = (extra: FixtureEntry[] = []): FixtureEntry[] => [
  { path: 'demo_pkg-1.0/PKG-INFO', data: 'Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n' },
  { path: 'demo_pkg-1.0/setup.py', data: 'from setuptools import setup\nsetup()\n' },
  { path: 'demo_pkg-1.0/demo_pkg/__init__.py', data: 'print("hi")\n' },
  ...extra,
];

export { makeSdist, makeTar, makeTarGz, makeWheel, makeZip };
