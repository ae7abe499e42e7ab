// The file-reading edge for CLI and action: parse a file on disk with its includes read from disk too.
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { LockfileResult } from '../types.js';
import { errorResult } from './common.js';
import { parseLockfile } from './index.js';
import type { ParseOptions } from './parser.js';

/** Reads `path` (relative to `cwd`) and parses it; a file that cannot be read is an error result. */
export function parseLockfileFromDisk(
  path: string,
  cwd: string,
  opts: Omit<ParseOptions, 'readFile'> = {},
): LockfileResult {
  const abs = (p: string) => (isAbsolute(p) ? p : join(cwd, p));
  const readFile = (p: string): string | undefined => {
    try {
      return readFileSync(abs(p), 'utf8');
    } catch {
      return undefined;
    }
  };
  let content: string;
  try {
    content = readFileSync(abs(path), 'utf8');
  } catch (err) {
    return errorResult(path, opts.format ?? 'requirements', `cannot read file: ${(err as Error).message}`);
  }
  return parseLockfile(content, path, { ...opts, readFile });
}
