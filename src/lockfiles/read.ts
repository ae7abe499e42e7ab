// The file-reading edge for CLI and action: reads stay inside the workspace (real paths, so no symlink
// leads out of it), never under .git/, and text is decoded as pip decodes a requirements file.
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { LockfileResult } from '../types.js';
import { errorResult } from './common.js';
import { formatFromName } from './detect.js';
import { parseLockfile } from './index.js';
import type { ParseOptions, ReadRefusal } from './parser.js';

/** Larger than any real dependency file; a bigger one is refused rather than read into memory. */
export const MAX_DEPENDENCY_FILE_BYTES = 64 * 1024 * 1024;

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/**
 * Text of a dependency file as pip's auto_decode reads it: a BOM (UTF-8, UTF-16 LE/BE) decides the
 * encoding, then a `# coding: x` declaration in the first two lines, else UTF-8. A BOM is not kept.
 * pip checks UTF-16 before UTF-32, so a UTF-32 LE file reads as UTF-16 there too; UTF-32 BE is
 * refused (no TextDecoder for it). An encoding TextDecoder does not know is an error.
 */
export function decodeDependencyFile(bytes: Uint8Array): string | { error: string } {
  for (const [bom, encoding] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b))
      return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes.subarray(bom.length));
  }
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return { error: 'UTF-32 encoded file: not supported, save it as UTF-8' };
  // pip: the first two lines, `^#.*coding[:=]\s*([-\w.]+)` on their bytes read as ASCII.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).split(/\r\n|\r|\n/, 2);
  for (const line of head) {
    const m = /^#.*coding[:=]\s*([-\w.]+)/.exec(line);
    if (!m) continue;
    try {
      return new TextDecoder(pythonCodecLabel(m[1]!)).decode(bytes);
    } catch {
      return { error: 'the coding declaration names an encoding that cannot be decoded' };
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Python's codec names as TextDecoder labels (Python accepts `_` for `-`, and latin-1 spelled so). */
function pythonCodecLabel(name: string): string {
  const n = name.toLowerCase().replace(/_/g, '-');
  if (/^(latin-?1|iso-?8859-1|l1)$/.test(n)) return 'latin1';
  if (n === 'utf-8-sig' || n === 'utf8') return 'utf-8';
  return n;
}

function isInside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Reads `path` (relative to the workspace root, posix or native) when its real path is a regular
 * file inside the root and not under .git/; undefined when it does not exist; a refusal otherwise.
 * The refusal never quotes the file's content.
 */
export function readWorkspaceFile(root: string, path: string): string | undefined | ReadRefusal {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const joined = isAbsolute(path) ? path : join(realRoot, path);
  let real: string;
  try {
    real = realpathSync(joined);
  } catch {
    return undefined;
  }
  if (!isInside(realRoot, real)) return { refused: 'its real path is outside the workspace (a symlink?)' };
  if (relative(realRoot, real).toLowerCase().split(sep).includes('.git'))
    return { refused: 'it is inside .git/, which holds no dependency files (and may hold the token)' };
  return readRegularFile(real);
}

/** Bytes of a regular file (not a FIFO or device), decoded; undefined when it cannot be opened. */
function readRegularFile(real: string): string | undefined | ReadRefusal {
  let fd: number;
  try {
    fd = openSync(real, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { refused: 'not a regular file' };
    if (stat.size > MAX_DEPENDENCY_FILE_BYTES)
      return { refused: `larger than ${MAX_DEPENDENCY_FILE_BYTES / 1024 / 1024} MB` };
    const bytes = new Uint8Array(stat.size);
    let off = 0;
    while (off < bytes.length) {
      const n = readSync(fd, bytes, off, bytes.length - off, off);
      if (n === 0) break;
      off += n;
    }
    const text = decodeDependencyFile(bytes.subarray(0, off));
    return typeof text === 'string' ? text : { refused: text.error };
  } finally {
    closeSync(fd);
  }
}

/** A ParseOptions.readFile confined to `root`: what the action and `scan` pass for -r/-c includes. */
export function workspaceReader(root: string): (path: string) => string | undefined | ReadRefusal {
  return (path) => readWorkspaceFile(root, path);
}

/**
 * Reads `path` (relative to `cwd`, or absolute) and parses it; a file that cannot be read is an error
 * result. The workspace its includes may not leave is `cwd` when the file is inside it, else the
 * file's own folder (the user named that file; what it includes is not trusted).
 */
export function parseLockfileFromDisk(
  path: string,
  cwd: string,
  opts: Omit<ParseOptions, 'readFile'> = {},
): LockfileResult {
  const abs = resolve(cwd, path);
  const inCwd = isInside(resolve(cwd), abs);
  const root = inCwd ? resolve(cwd) : dirname(abs);
  const rel = relative(root, abs).split(sep).join('/');
  const format = opts.format ?? formatFromName(path) ?? 'requirements';
  // The named file itself is read wherever it is (the user chose it); only its includes are confined.
  const top = readRegularFile(abs);
  if (top === undefined) return errorResult(path, format, 'cannot read file: not found');
  if (typeof top !== 'string') return errorResult(path, format, `cannot read file: ${top.refused}`);
  const result = parseLockfile(top, rel, { ...opts, readFile: workspaceReader(root) });
  // Report the file as the user named it; included files keep their workspace-relative paths.
  if (rel !== path) renameFile(result, rel, path);
  return result;
}

function renameFile(result: LockfileResult, from: string, to: string): void {
  result.file = to;
  for (const p of result.packages) if (p.file === from) p.file = to;
  for (const i of result.issues) if (i.file === from) i.file = to;
  if (result.error?.startsWith(from)) result.error = to + result.error.slice(from.length);
}
