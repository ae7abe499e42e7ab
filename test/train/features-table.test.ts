import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../src/features/index.js';
import { makeSdist, makeWheel } from '../fixtures/archives.js';
import { writeFeatureTable } from '../../train/features.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s), cwd, env: {} },
    out,
    err,
  };
}

describe('npm run features -- --corpus --out', () => {
  it('writes one row per archive, caches by sha256, and reports an unreadable file without stopping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmg-features-'));
    const corpus = join(dir, 'archives');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(corpus);
    writeFileSync(
      join(corpus, 'a'),
      makeSdist({ name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': 'import os\n' } }),
    );
    writeFileSync(
      join(corpus, 'b'),
      makeWheel({ name: 'beta', version: '2.0', files: { 'beta/__init__.py': 'x = 1\n' } }),
    );
    writeFileSync(join(corpus, 'c'), 'not an archive');
    const run = io(dir);
    const code = await writeFeatureTable(
      ['--corpus', 'archives', '--out', 'table.jsonl', '--cache', 'cache'],
      run.io,
    );
    expect(code).toBe(1);
    const rows = readFileSync(join(dir, 'table.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows[0].status).toBe('ok');
    expect(Object.keys(rows[0].features)).toEqual([...FEATURE_NAMES]);
    expect(rows[1].features['files.py_count']).toBe(1);
    expect(rows[2].status).toBe('error');
    expect(run.err.join('')).toMatch(/archives\/c: /);
    const cached = readdirSync(join(dir, 'cache'));
    expect(cached).toHaveLength(1);
    expect(readdirSync(join(dir, 'cache', cached[0]!))).toHaveLength(3);
    // A second run reads the cache and writes the same table.
    const again = io(dir);
    await writeFeatureTable(['--corpus', 'archives', '--out', 'table2.jsonl', '--cache', 'cache'], again.io);
    expect(readFileSync(join(dir, 'table2.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'table.jsonl'), 'utf8'),
    );
  });

  it('needs --corpus and --out (a usage error: exit 2)', async () => {
    await expect(writeFeatureTable([], io(tmpdir()).io)).rejects.toThrow(/--corpus and --out are required/);
  });
});
