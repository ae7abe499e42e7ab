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

  it('invalid JSON is an error with a line', () => {
    const bad = parseLockfile('{\n  "_meta": {},\n  "default": {"a": {},,}\n}', 'Pipfile.lock');
    expect(bad.status).toBe('error');
    expect(bad.error).toMatch(/^Pipfile\.lock:3: invalid JSON/);
    // Node gives no position for this one: the line comes from re-reading the text.
    const truncated = parseLockfile('{\n  "_meta": {\n  "default": ,\n}', 'Pipfile.lock');
    expect(truncated.error).toMatch(/^Pipfile\.lock:\d+: invalid JSON/);
  });
});
