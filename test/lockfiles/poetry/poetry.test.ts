import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lockfiles/index.js';
import { byName, parseFixture } from '../helpers.js';

describe('poetry.lock', () => {
  it('1.x: hashes from [metadata.files], category as group, line of name', () => {
    const r = parseFixture('poetry', 'lock-1x-hashes-in-metadata-files.lock');
    expect(byName(r, 'certifi')).toMatchObject({ version: '2023.7.22', line: 2, groups: ['main'] });
    expect(byName(r, 'certifi').hashes).toHaveLength(2);
    expect(byName(r, 'pytest')).toMatchObject({ line: 10, groups: ['dev'] });
    expect(byName(r, 'pytest').hashes).toEqual([
      'sha256:78bf16451a2eb8c7a2ea98e32dc119fd2aa758f1d5d66dbf0a59d69a3969df32',
    ]);
  });

  it('2.x: files per package, legacy source is a private index, git is vcs', () => {
    const r = parseFixture('poetry', 'lock-2x-files-git-and-legacy-sources.lock');
    expect(byName(r, 'idna').hashes).toHaveLength(2);
    expect(byName(r, 'idna').source).toBeUndefined();
    expect(byName(r, 'internal-lib').source).toBe('https://pypi.corp.example.com/simple');
    expect(byName(r, 'my-fork')).toMatchObject({ source: 'vcs', url: 'https://github.com/org/my-fork.git' });
    expect(r.indexUrls).toEqual(['https://pypi.corp.example.com/simple']);
  });

  it('an unknown lock-version is an error naming the file and line', () => {
    const r = parseLockfile(
      '[[package]]\nname = "a"\nversion = "1"\n\n[metadata]\nlock-version = "9.0"\n',
      'poetry.lock',
    );
    expect(r.status).toBe('error');
    expect(r.error).toBe("poetry.lock:5: unknown poetry lock-version '9.0'");
  });

  it('invalid TOML is an error with the line', () => {
    const r = parseLockfile('[[package]]\nname = "a"\nversion = \n', 'poetry.lock');
    expect(r.status).toBe('error');
    expect(r.issues[0]!.line).toBe(3);
    expect(r.error).toMatch(/^poetry\.lock:3: invalid TOML/);
  });

  it('a poetry.lock holding JSON is an error, not an empty list', () => {
    const r = parseLockfile('{"_meta": {}}', 'poetry.lock');
    expect(r.status).toBe('error');
  });
});
