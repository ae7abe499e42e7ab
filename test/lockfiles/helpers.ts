import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLockfile } from '../../src/lockfiles/index.js';
import type { ParseOptions } from '../../src/lockfiles/parser.js';
import type { LockfileFormat, LockfileResult } from '../../src/types.js';

const here = new URL('.', import.meta.url).pathname;

/** Parses a fixture with the path the tests use in assertions (test/lockfiles/<format>/fixtures/<file>). */
export function parseFixture(format: LockfileFormat, file: string, opts: ParseOptions = {}): LockfileResult {
  const path = `test/lockfiles/${format}/fixtures/${file}`;
  const root = join(here, '../..');
  const readFile = (p: string) => {
    try {
      return readFileSync(join(root, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  return parseLockfile(readFileSync(join(root, path), 'utf8'), path, { format, readFile, ...opts });
}

export function byName(result: LockfileResult, name: string) {
  const found = result.packages.filter((p) => p.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, got ${found.length}`);
  return found[0]!;
}
