import { describe, expect, it } from 'vitest';
import { detectFormat, parseLockfile } from '../../../src/lockfiles/index.js';
import { byName, parseFixture } from '../helpers.js';

describe('pylock.toml (PEP 751)', () => {
  const r = parseFixture('pylock', 'pep751-sdist-wheels-vcs-directory.toml');

  it('takes hashes from the sdist table and the wheels array', () => {
    expect(byName(r, 'attrs')).toMatchObject({ line: 7, version: '23.2.0' });
    expect(byName(r, 'attrs').hashes).toEqual([
      'sha256:935dc3b529c262f6cf76e50877d35a4bd3c1de194fd41f47a2b7ae8f19971f30',
      'sha256:99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1',
    ]);
    expect(byName(r, 'attrs').source).toBeUndefined();
  });

  it('keeps other hash algorithms, private indexes, markers and vcs', () => {
    expect(byName(r, 'corp-lib')).toMatchObject({
      hashes: ['sha256:1111', 'blake2b:2222'],
      source: 'https://pypi.corp.example.com/simple',
      markers: "python_version >= '3.10'",
    });
    expect(byName(r, 'forked')).toMatchObject({ source: 'vcs', version: null });
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('myproject') }),
    ]);
  });

  it('a table where a hash belongs costs only that hash; the other entries still parse', () => {
    const lock = [
      'lock-version = "1.0"',
      '[[packages]]',
      'name = "odd"',
      'version = "1.0"',
      // String() threw on smol-toml's prototype-less tables: the whole file was an internal error.
      'sdist = {hashes = {sha256 = {x = 1}}}',
      'wheels = [1, {hashes = {SHA256 = "aa"}}]',
      '[[packages]]',
      'version = "1.0"',
      '[[packages]]',
      'name = "fine"',
      '',
    ].join('\n');
    const result = parseLockfile(lock, 'pylock.toml');
    expect(result.issues).toEqual([
      { file: 'pylock.toml', line: 7, kind: 'error', message: 'package entry without a name' },
    ]);
    expect(result.packages.map((p) => [p.name, p.version, p.line, p.hashes])).toEqual([
      ['odd', '1.0', 3, ['sha256:[object Object]', 'sha256:aa']],
      ['fine', null, 10, []],
    ]);
  });

  it('recognizes pylock.<name>.toml and rejects an unknown lock-version', () => {
    expect(detectFormat('sub/pylock.dev.toml')).toBe('pylock');
    const bad = parseLockfile('lock-version = "2.0"\n', 'pylock.toml');
    expect(bad.error).toBe("pylock.toml:1: unknown lock-version '2.0'");
  });
});
