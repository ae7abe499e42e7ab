// `inspect` end to end through the CLI's main() with an injected io: one JSON line per file, in order,
// the exit code, and nothing written anywhere (no name in an archive is ever followed).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { gzipBomb, makeSdist, makeTarGz, makeWheel, makeZip, pkg, zipBomb } from './hostile.js';

const cwd = mkdtempSync(join(tmpdir(), 'pmg-inspect-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const marker = `pmg-escape-${randomBytes(6).toString('hex')}`;

const files: Record<string, Buffer> = {
  'demo_pkg-1.0.tar.gz': makeSdist({ ...pkg, files: { 'demo_pkg/__init__.py': 'x = 1\n' } }),
  'demo_pkg-1.0-py3-none-any.whl': makeWheel(pkg),
  // A wheel named as an sdist, and a sample named by its sha256 with no extension.
  'misnamed-1.0.tar.gz': makeWheel(pkg),
  '83f0d4d2cab9de0d3afb37b08181c9cf61761b518e6dafbd8876a0ca941ba3db': makeSdist(pkg),
  'traversal.tar.gz': makeTarGz([
    { path: `../../${marker}/pwned.py`, data: 'x' },
    { path: `/tmp/${marker}/abs.py`, data: 'x' },
    { path: 'p/link', type: 'symlink', linkTarget: `/tmp/${marker}` },
    { path: 'p/link/through.py', data: 'x' },
    { path: 'p/\x1b[2J\x1b]0;owned\x07.py', data: 'x' },
  ]),
  'notes.txt': Buffer.from('not an archive\n'),
  empty: Buffer.alloc(0),
  'bomb.tar.gz': gzipBomb(512),
  'bomb.zip': zipBomb(100, 10),
  'secret.zip': makeZip([{ path: 'p/\x1b[31mevil.py', data: 'x', encrypted: true }]),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(cwd, name), bytes);

const run = (argv: string[]) => runCli(argv, cwd);

describe('inspect --json', () => {
  it('prints one object per file, in order, and exits 1 when any file could not be read', async () => {
    const before = readdirSync(cwd).sort();
    const names = Object.keys(files);
    const { code, lines, stderr } = await run(['inspect', ...names, '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(lines).toHaveLength(names.length);
    const out = Object.fromEntries(lines.map((l) => JSON.parse(l)).map((o) => [o.file, o]));
    expect(lines.map((l) => JSON.parse(l).file)).toEqual(names);

    expect(out['demo_pkg-1.0.tar.gz']).toMatchObject({
      status: 'ok',
      format: 'sdist',
      kind: 'sdist',
      container: 'tar.gz',
      files: 3,
    });
    expect(out['demo_pkg-1.0.tar.gz'].error).toBeUndefined();
    expect(out['demo_pkg-1.0.tar.gz'].bytes).toBeGreaterThan(0);
    expect(out['demo_pkg-1.0-py3-none-any.whl']).toMatchObject({
      status: 'ok',
      format: 'wheel',
      container: 'zip',
    });
    expect(out['misnamed-1.0.tar.gz']).toMatchObject({ status: 'ok', format: 'wheel', container: 'zip' });
    expect(out['83f0d4d2cab9de0d3afb37b08181c9cf61761b518e6dafbd8876a0ca941ba3db']).toMatchObject({
      status: 'ok',
      format: 'sdist',
    });
    expect(out['traversal.tar.gz']).toMatchObject({ status: 'ok', files: 5 });
    expect(out['notes.txt']).toMatchObject({ status: 'error', format: 'unknown', files: 0 });
    expect(out['notes.txt'].error).toMatch(/not an archive/);
    expect(out.empty).toMatchObject({ status: 'error', error: 'empty input' });
    expect(out['bomb.tar.gz']).toMatchObject({
      status: 'error',
      limitsHit: expect.arrayContaining(['ratio']),
    });
    expect(out['bomb.zip'].status).toBe('error');
    expect(out['bomb.zip'].error).toMatch(/^limit: /);
    // An entry the reader cannot read is a gap: the archive was read, the package is unscannable.
    expect(out['secret.zip']).toMatchObject({
      status: 'ok',
      verdict: 'unscannable',
      gaps: [{ stage: 'archive', path: 'p/\x1b[31mevil.py', reason: 'encrypted zip entry cannot be read' }],
    });

    // Nothing was written: not beside the inputs, not where the hostile names point.
    expect(readdirSync(cwd).sort()).toEqual(before);
    expect(existsSync(join(cwd, '..', '..', marker))).toBe(false);
    expect(existsSync(join('/tmp', marker))).toBe(false);
  });

  it('exits 0 when every file was read', async () => {
    const { code, lines } = await run(['inspect', '--json', 'demo_pkg-1.0.tar.gz', 'misnamed-1.0.tar.gz']);
    expect(code).toBe(0);
    expect(lines.map((l) => JSON.parse(l).status)).toEqual(['ok', 'ok']);
  });

  it('reports a missing file as an error line, not a crash', async () => {
    const { code, lines } = await run(['inspect', '--json', 'no-such-file', 'demo_pkg-1.0.tar.gz']);
    expect(code).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      file: 'no-such-file',
      status: 'error',
      error: 'cannot read file: ENOENT',
    });
    expect(JSON.parse(lines[1]!).status).toBe('ok');
    const dir = await run(['inspect', '--json', '.']);
    expect(JSON.parse(dir.lines[0]!)).toMatchObject({ status: 'error', error: 'not a regular file' });
  });

  it('exits 2 on usage errors', async () => {
    expect((await run(['inspect', '--json'])).code).toBe(2);
    const bad = await run(['inspect', '--bogus', 'empty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: pypi-malware-gate inspect/);
  });
});

describe('inspect (text)', () => {
  it('prints one readable line per file, with hostile names kept off the terminal', async () => {
    const { code, lines } = await run(['inspect', 'demo_pkg-1.0.tar.gz', 'secret.zip', 'empty']);
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(
        /^demo_pkg-1\.0\.tar\.gz: ok sdist tar\.gz, 3 files, \d+ bytes -> (benign|suspicious) \(score [\d.]+\)$/,
      ),
      expect.stringMatching(/^secret\.zip: ok sdist zip, 1 file, 0 bytes -> unscannable \(score [\d.]+\)$/),
      'empty: error "empty input" (unknown unknown, 0 files, 0 bytes -> unscannable)',
    ]);
    expect(lines.join('\n')).not.toContain('\x1b');
  });
});
