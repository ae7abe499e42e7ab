import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lockfiles/index.js';
import { byName, parseFixture } from '../helpers.js';

describe('pdm.lock', () => {
  const r = parseFixture('pdm', 'lock-version-4-groups-git-and-self.lock');

  it('lists each package once (extras entries merge), with groups, markers, hashes and lines', () => {
    expect(byName(r, 'colorama')).toMatchObject({
      line: 11,
      groups: ['dev'],
      markers: 'sys_platform == "win32"',
    });
    expect(byName(r, 'requests')).toMatchObject({ line: 22, extras: ['socks'] });
    expect(byName(r, 'requests').hashes).toEqual([
      'sha256:942c5a758f98d790eaed1a29cb6eefc7ffb0d1cf7af05c3d2791656dbd6ad1e1',
    ]);
    expect(byName(r, 'private-tool')).toMatchObject({ source: 'vcs' });
  });

  it('the editable project itself is skipped with a message', () => {
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('myapp') }),
    ]);
  });

  it('a bad entry is an error at its line; the other entries still parse', () => {
    const lock = [
      '[metadata]',
      'lock_version = "4.4"',
      '[[package]]',
      'name = "bad name"',
      '[[package]]',
      'version = "1.0"',
      '[[package]]',
      'name = "odd"',
      'version = "2.0"',
      // A table where strings belong: String() threw on it, and the whole file was an internal error.
      'extras = [{x = 1}]',
      'groups = "dev"',
      'files = [1, {hash = "sha256:AA"}]',
      '[[package]]',
      'name = "fine"',
      'version = "3.0"',
      '',
    ].join('\n');
    const result = parseLockfile(lock, 'pdm.lock');
    expect(result.issues).toEqual([
      { file: 'pdm.lock', line: 4, kind: 'error', message: 'invalid package name (8 characters, not shown)' },
      { file: 'pdm.lock', line: 5, kind: 'error', message: 'package entry without a name' },
    ]);
    expect(result.packages.map((p) => [p.name, p.version, p.line, p.hashes, p.groups])).toEqual([
      ['odd', '2.0', 8, ['sha256:AA'], undefined],
      ['fine', '3.0', 14, [], undefined],
    ]);
    expect(byName(result, 'odd').extras).toEqual(['[object Object]']);
  });

  it('an unknown lock_version is an error', () => {
    const bad = parseLockfile('[metadata]\nlock_version = "5.0"\n', 'pdm.lock');
    expect(bad.error).toBe("pdm.lock:2: unknown pdm lock_version '5.0'");
  });
});
