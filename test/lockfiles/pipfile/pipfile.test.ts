import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lockfiles/index.js';
import { byName, parseFixture } from '../helpers.js';

describe('Pipfile.lock', () => {
  const r = parseFixture('pipfile', 'default-develop-sources-git-and-self.json');

  it('reads default and develop, "==x" versions, index names resolved to URLs', () => {
    expect(byName(r, 'requests')).toMatchObject({
      version: '2.31.0',
      line: 24,
      extras: ['socks'],
      groups: ['default'],
      markers: "python_version >= '3.7'",
    });
    expect(byName(r, 'requests').source).toBeUndefined();
    expect(byName(r, 'corp-lib').source).toBe('https://pypi.corp.example.com/simple');
    expect(byName(r, 'pytest')).toMatchObject({ groups: ['develop'], line: 49 });
    expect(byName(r, 'forked')).toMatchObject({ source: 'vcs', version: null });
    expect(r.issues).toEqual([expect.objectContaining({ kind: 'skipped', line: 43 })]);
  });

  it('a bad entry is an error at its line; the other entries still parse', () => {
    const lock = JSON.stringify(
      {
        _meta: { sources: [{ name: 'corp', url: 'https://corp.example/simple' }, 7] },
        default: {
          'bad name': { version: '==1.0' },
          notobject: ['==1.0'],
          elsewhere: { version: '==1.0', index: 'nowhere' },
          odd: { version: 1, hashes: 'sha256:AA', markers: false, index: 'corp' },
        },
        develop: 'x',
      },
      null,
      4,
    );
    const result = parseLockfile(lock, 'Pipfile.lock');
    expect(result.issues).toEqual([
      {
        file: 'Pipfile.lock',
        line: 12,
        kind: 'error',
        message: 'invalid package name (8 characters, not shown)',
      },
      { file: 'Pipfile.lock', line: 15, kind: 'error', message: 'notobject: entry is not an object' },
      {
        file: 'Pipfile.lock',
        line: 18,
        kind: 'error',
        message:
          "elsewhere: its index 'nowhere' is not one of _meta.sources, so where it comes from is unknown",
      },
      { file: 'Pipfile.lock', line: 29, kind: 'error', message: '"develop" is not an object' },
    ]);
    expect(result.packages).toEqual([
      {
        name: 'odd',
        version: null,
        specifier: '',
        hashes: [],
        file: 'Pipfile.lock',
        line: 22,
        groups: ['default'],
        source: 'https://corp.example/simple',
      },
    ]);
  });

  it('invalid JSON is an error with a line', () => {
    const bad = parseLockfile('{\n  "_meta": {},\n  "default": {"a": {},,}\n}', 'Pipfile.lock');
    expect(bad.status).toBe('error');
    expect(bad.error).toMatch(/^Pipfile\.lock:3: invalid JSON/);
    // Node gives no position for this one: the line comes from re-reading the text.
    const truncated = parseLockfile('{\n  "_meta": {\n  "default": ,\n}', 'Pipfile.lock');
    expect(truncated.error).toMatch(/^Pipfile\.lock:\d+: invalid JSON/);
  });
});
