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

  it('an unknown lock_version is an error', () => {
    const bad = parseLockfile('[metadata]\nlock_version = "5.0"\n', 'pdm.lock');
    expect(bad.error).toBe("pdm.lock:2: unknown pdm lock_version '5.0'");
  });
});
