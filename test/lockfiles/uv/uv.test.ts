import { describe, expect, it } from 'vitest';
import { diffPackages, parseLockfile } from '../../../src/lockfiles/index.js';
import { parseFixture } from '../helpers.js';

describe('uv.lock', () => {
  const r = parseFixture('uv', 'root-project-markers-and-git.lock');

  it('skips the root project with a message and lists everything else', () => {
    expect(r.packages.map((p) => p.name)).toEqual(['anyio', 'numpy', 'numpy', 'tool']);
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'skipped', line: 22, message: expect.stringContaining('my-project') }),
    ]);
  });

  it('a table where strings belong costs only that field; the other entries still parse', () => {
    const lock = [
      'version = 1',
      '[[package]]',
      'name = "odd"',
      'version = "1.0"',
      // String() threw on smol-toml's prototype-less tables: the whole file was an internal error.
      'resolution-markers = [{x = 1}]',
      'wheels = [1, {hash = "sha256:AA"}]',
      '[[package]]',
      'name = "bad name"',
      '[[package]]',
      'name = "fine"',
      'version = "2.0"',
      '',
    ].join('\n');
    const result = parseLockfile(lock, 'uv.lock');
    expect(result.issues).toEqual([
      { file: 'uv.lock', line: 8, kind: 'error', message: 'invalid package name (8 characters, not shown)' },
    ]);
    expect(result.packages.map((p) => [p.name, p.line, p.hashes, p.markers])).toEqual([
      ['odd', 3, ['sha256:AA'], '[object Object]'],
      ['fine', 10, [], undefined],
    ]);
  });

  it('collects sdist and wheel hashes, lines and per-marker duplicates', () => {
    const anyio = r.packages[0]!;
    expect(anyio).toMatchObject({ line: 10, version: '4.2.0' });
    expect(anyio.hashes).toHaveLength(2);
    expect(anyio.source).toBeUndefined();
    const [old, cur] = r.packages.filter((p) => p.name === 'numpy');
    expect(old).toMatchObject({ version: '2.0.2', markers: "python_full_version < '3.10'", line: 30 });
    expect(cur).toMatchObject({ version: '2.1.3', markers: "python_full_version >= '3.10'", line: 39 });
    expect(r.packages[3]).toMatchObject({ source: 'vcs', name: 'tool' });
  });

  it('diffs a package locked twice for different markers entry by entry', () => {
    const bumped = r.packages.map((p) =>
      p.version === '2.1.3' ? { ...p, version: '2.2.0', hashes: [] } : p,
    );
    const d = diffPackages(r.packages, bumped);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.previous.version).toBe('2.1.3');
    expect(d.changed[0]!.ref.version).toBe('2.2.0');
  });

  it('an unknown version is an error naming the line', () => {
    const bad = parseLockfile('version = 7\n\n[[package]]\nname = "a"\n', 'uv.lock');
    expect(bad.status).toBe('error');
    expect(bad.error).toBe("uv.lock:1: unknown uv.lock version '7' (expected 1)");
  });
});
