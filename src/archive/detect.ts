// Formats recognised by their first bytes, never by the file name: real malicious uploads include
// wheels named .tar.gz.
import type { ArchiveEntry } from '../types.js';
import { checksumValid } from './tar-format.js';

export type Container = NonNullable<ArchiveEntry['nested']> | 'unknown';

const startsWith = (b: Uint8Array, magic: number[], at = 0) =>
  b.length >= at + magic.length && magic.every((m, i) => b[at + i] === m);

const ZIP_EOCD = [0x50, 0x4b, 0x05, 0x06];

/** What container the bytes start with (for nested-archive notes too, so it looks at a prefix only). */
export function sniff(b: Uint8Array): Container {
  if (startsWith(b, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(b, [0x42, 0x5a, 0x68]) && b.length > 3 && b[3]! >= 0x31 && b[3]! <= 0x39) return 'bzip2';
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (
    startsWith(b, [0x50, 0x4b, 0x03, 0x04]) ||
    startsWith(b, ZIP_EOCD) ||
    startsWith(b, [0x50, 0x4b, 0x07, 0x08])
  )
    return 'zip';
  if (startsWith(b, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(b, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return 'rar';
  if (isTarHeader(b)) return 'tar';
  return 'unknown';
}

/** A ustar magic at 257, or an old-style (v7) header whose checksum holds as tarfile checks it (signed or unsigned sum). */
export function isTarHeader(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  if (startsWith(b, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return true; // "ustar"
  return checksumValid(b.subarray(0, 512));
}

/**
 * A zip whose first bytes are something else (a self-extractor stub, junk): Python's zipfile, and so
 * pip, finds the end-of-central-directory record from the end, so such a wheel installs. Returns how
 * many bytes precede the zip (the record's own offsets say where the directory should be), or
 * undefined when there is no end record.
 */
export function zipPrefix(b: Uint8Array): number | undefined {
  const from = Math.max(0, b.length - (0xffff + 22));
  for (let i = b.length - 22; i >= from; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      const view = new DataView(b.buffer, b.byteOffset + i, 22);
      const cdSize = view.getUint32(12, true);
      const cdOffset = view.getUint32(16, true);
      // zip64 keeps the real offsets elsewhere; read such a zip as it is.
      if (cdSize === 0xffffffff || cdOffset === 0xffffffff) return 0;
      return Math.max(0, i - cdSize - cdOffset);
    }
  }
  return undefined;
}
