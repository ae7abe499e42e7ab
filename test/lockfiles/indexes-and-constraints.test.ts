// pip's -c constraints applied as pip applies them, and every format's declared index kept per package
// (PackageRef.source) and per file (LockfileResult.indexUrls), with credentials never in a message.
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfiles/index.js';
import { maskCredentials } from '../../src/lockfiles/common.js';
import { byName, parseFixture } from './helpers.js';

const CONSTRAINTS =
  'test/lockfiles/requirements/fixtures/constraints-pin-unpinned-requirements/constraints.txt';

describe('-c constraints', () => {
  const r = parseFixture('requirements', 'constraints-pin-unpinned-requirements.txt');

  it('pins an unpinned requirement to the constraint, keeping its own line and naming the constraint', () => {
    expect(byName(r, 'requests')).toMatchObject({
      version: '2.31.0',
      line: 3,
      hashes: ['sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f'],
      constrainedBy: `${CONSTRAINTS}:1`,
    });
    expect(byName(r, 'requests').specifier).toBeUndefined();
    expect(byName(r, 'urllib3')).toMatchObject({
      version: '2.2.1',
      line: 4,
      constrainedBy: `${CONSTRAINTS}:2`,
    });
  });

  it('a constraint that is a direct reference makes the requirement that reference (pip installs it)', () => {
    expect(byName(r, 'certifi')).toMatchObject({
      source: 'url',
      url: 'https://mirror.example.com/certifi-2024.2.2-py3-none-any.whl',
      line: 6,
    });
  });

  it('a constraint under markers adds the constrained variant beside the requirement as written', () => {
    const colorama = r.packages.filter((p) => p.name === 'colorama');
    expect(colorama.map((p) => [p.version, p.markers ?? ''])).toEqual([
      [null, ''],
      ['0.4.6', 'sys_platform == "win32"'],
    ]);
  });

  it('adds no package for a constraint nothing requires, and reports a pin the constraint contradicts', () => {
    expect(r.packages.some((p) => p.name === 'unused')).toBe(false);
    expect(r.issues).toEqual([]);
    const conflict = parseLockfile('-c c.txt\nsix==1.15.0\n', 'requirements.txt', {
      readFile: () => 'six==1.16.0\n',
    });
    expect(conflict.issues).toEqual([
      expect.objectContaining({ line: 2, kind: 'error', message: expect.stringContaining('c.txt:1') }),
    ]);
  });

  it('a range constraint narrows an unpinned requirement', () => {
    const narrowed = parseLockfile('-c c.txt\nsix>=1.0\n', 'requirements.txt', { readFile: () => 'six<2\n' });
    expect(byName(narrowed, 'six')).toMatchObject({ version: null, specifier: '>=1.0,<2' });
  });
});

describe('index URLs are kept per package', () => {
  it('requirements: --index-url for every requirement, extras listed on the file; --no-index makes them unscannable', () => {
    const r = parseLockfile(
      '--index-url https://user:pw@pkgs.example.com/simple\n--extra-index-url https://attacker.example/simple/\nevil-pkg==1.0\n',
      'requirements.txt',
    );
    expect(byName(r, 'evil-pkg').source).toBe('https://user:pw@pkgs.example.com/simple');
    expect(r.indexUrls).toEqual([
      'https://user:pw@pkgs.example.com/simple',
      'https://attacker.example/simple/',
    ]);
    const offline = parseLockfile('--no-index\nsix==1.16.0\n', 'requirements.txt');
    expect(byName(offline, 'six').source).toBe('path');
  });

  it('Pipfile.lock: the first source for packages with no index, the named source otherwise', () => {
    const r = parseFixture('pipfile', 'sources-default-and-per-package-index.json');
    expect(byName(r, 'corp-utils').source).toBe('https://user:s3cret@pkgs.example.com/simple');
    expect(byName(r, 'requests').source).toBeUndefined(); // pypi: the default index
    expect(r.indexUrls).toEqual(['https://user:s3cret@pkgs.example.com/simple', 'https://pypi.org/simple']);
    const unknown = parseLockfile(
      '{"_meta": {"sources": []}, "default": {"a": {"version": "==1", "index": "nowhere"}}}',
      'Pipfile.lock',
    );
    expect(unknown.issues[0]).toMatchObject({ kind: 'error', message: expect.stringContaining("'nowhere'") });
  });

  it('pyproject: uv index sources, poetry per-dependency source, pdm sources on the file', () => {
    const r = parseFixture('pyproject', 'poetry-pdm-uv-index-sources.toml');
    expect(byName(r, 'torch').source).toBe('https://download.pytorch.org/whl/cpu');
    expect(byName(r, 'httpx').source).toBeUndefined();
    expect(byName(r, 'corp-utils').source).toBe('https://pkgs.example.com/simple');
    expect(r.indexUrls).toEqual([
      'https://pkgs.example.com/simple',
      'https://mirror.example.com/simple',
      'https://download.pytorch.org/whl/cpu',
    ]);
  });

  it('uv.lock, pylock.toml and poetry.lock keep the registry each package is locked to', () => {
    const uv = parseLockfile(
      'version = 1\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "https://pkgs.example.com/simple" }\n',
      'uv.lock',
    );
    expect(byName(uv, 'a').source).toBe('https://pkgs.example.com/simple');
    const pylock = parseLockfile(
      'lock-version = "1.0"\n[[packages]]\nname = "a"\nversion = "1"\nindex = "https://pkgs.example.com/simple"\n',
      'pylock.toml',
    );
    expect(byName(pylock, 'a').source).toBe('https://pkgs.example.com/simple');
    expect(pylock.indexUrls).toEqual(['https://pkgs.example.com/simple']);
    const poetry = parseLockfile(
      '[[package]]\nname = "a"\nversion = "1"\n[package.source]\ntype = "legacy"\nurl = "https://pkgs.example.com/simple"\nreference = "internal"\n[metadata]\nlock-version = "2.0"\n',
      'poetry.lock',
    );
    expect(byName(poetry, 'a').source).toBe('https://pkgs.example.com/simple');
  });

  it('masks credentials for messages', () => {
    expect(maskCredentials('https://user:s3cret@pkgs.example.com/simple')).toBe(
      'https://***@pkgs.example.com/simple',
    );
    expect(maskCredentials('https://pkgs.example.com/simple')).toBe('https://pkgs.example.com/simple');
  });
});

describe('an index a package is tied to but the file does not declare', () => {
  it("is an error at the dependency line, not a package (PyPI's release of that name is not what is installed)", () => {
    const r = parseLockfile(
      '[tool.poetry.dependencies]\ncorp = { version = "1.0", source = "nowhere" }\n',
      'pyproject.toml',
    );
    expect(r.packages).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({
        line: 2,
        kind: 'error',
        message: "corp: its index 'nowhere' is not declared in this file",
      }),
    ]);
  });
});

describe("uv's older index keys in pyproject.toml", () => {
  it('index-url replaces PyPI for every dependency; extra-index-url is listed on the file', () => {
    const r = parseLockfile(
      '[project]\ndependencies = ["six==1.16.0"]\n[tool.uv]\nindex-url = "https://pkgs.example.com/simple"\nextra-index-url = ["https://extra.example.com/simple"]\n',
      'pyproject.toml',
    );
    expect(byName(r, 'six').source).toBe('https://pkgs.example.com/simple');
    expect(r.indexUrls).toEqual(['https://pkgs.example.com/simple', 'https://extra.example.com/simple']);
  });
});
