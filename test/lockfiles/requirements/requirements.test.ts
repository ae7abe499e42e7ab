import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lockfiles/index.js';
import { normalizeName } from '../../../src/names.js';
import { parseRequirements } from '../../../src/lockfiles/requirements/index.js';
import { byName, parseFixture } from '../helpers.js';

/** pip's ${NAME} syntax, written without a template-looking literal. */
const v = (name: string) => `$${'{'}${name}}`;

describe('requirements parser', () => {
  it('keeps hashes from continuation lines and points at the line naming the package', () => {
    const r = parseFixture('requirements', 'hashes-on-continuation-lines.txt');
    const certifi = byName(r, 'certifi');
    expect(certifi.line).toBe(6);
    expect(certifi.hashes).toEqual([
      'sha256:539cc1d13202e33ca466e88b2807e29f4c13049d6d87031a3c110744495cb082',
      'sha256:92d6037539857d8206b8f6ae472e8b77db8058fec5937a1ef3f54304089edbb9',
    ]);
    expect(byName(r, 'charset-normalizer').hashes).toHaveLength(1);
    expect(byName(r, 'idna').line).toBe(13);
    expect(r.issues).toEqual([]);
  });

  it('reads markers, extras, === pins, ranges and records index URLs', () => {
    const r = parseFixture('requirements', 'markers-extras-and-options.txt');
    const requests = byName(r, 'requests');
    expect(requests).toMatchObject({
      version: '2.31.0',
      extras: ['socks', 'security'],
      markers: 'python_version < "3.9"',
      source: 'https://pypi.example.com/simple',
      line: 7,
    });
    expect(byName(r, 'zope-interface').markers).toBe('sys_platform == "win32"');
    expect(byName(r, 'typing-extensions').version).toBe('4.7.1');
    expect(byName(r, 'django')).toMatchObject({ version: null, specifier: '>=4.2,<5.0' });
    expect(byName(r, 'numpy')).toMatchObject({ version: null, specifier: '' });
    expect(r.indexUrls).toEqual(['https://pypi.example.com/simple', 'https://extra.example.com/simple']);
    // --find-links: pip may install from a folder the gate does not read, so the file fails closed.
    expect(r.issues.map((i) => [i.line, i.kind])).toEqual([[3, 'error']]);
    expect(r.issues[0]!.message).toContain('--find-links');
  });

  it('reports direct references with their kind, skips the project itself, and a nameless direct reference is an error', () => {
    const r = parseFixture('requirements', 'direct-url-and-vcs-references.txt');
    expect(byName(r, 'vcs-pkg')).toMatchObject({ source: 'vcs', version: null, line: 3 });
    expect(byName(r, 'editable-pkg')).toMatchObject({ source: 'vcs', line: 2 });
    expect(byName(r, 'pkg')).toMatchObject({
      source: 'url',
      url: 'https://example.com/files/pkg-1.0.tar.gz',
    });
    expect(byName(r, 'wheel-pkg')).toMatchObject({ source: 'url', version: '2.0' });
    const skipped = r.issues.map((i) => [i.line, i.kind]);
    expect(skipped).toEqual([
      [1, 'skipped'],
      [5, 'error'],
    ]);
    expect(r.issues[1]!.message).toMatch(/direct path reference names no package: pip installs it/);
  });

  it('follows -r and -c relative to the including file; included packages carry their own file and line', () => {
    const r = parseFixture('requirements', 'includes-relative-to-file.txt');
    expect(byName(r, 'itsdangerous')).toMatchObject({
      file: 'test/lockfiles/requirements/fixtures/includes-relative-to-file/common.txt',
      line: 1,
    });
    expect(byName(r, 'click').file).toBe(
      'test/lockfiles/requirements/fixtures/includes-relative-to-file/sub/base.txt',
    );
    // The constraint pins the unpinned flask (and brings its hash) but werkzeug is not added.
    expect(byName(r, 'flask')).toMatchObject({ version: '3.0.0', hashes: ['sha256:cafe'], line: 3 });
    expect(r.packages.some((p) => p.name === 'werkzeug')).toBe(false);
  });

  it('reports a missing include with the file and line, and still lists the rest', () => {
    const r = parseLockfile('six==1.16.0\n-r nope.txt\n', 'reqs/requirements.txt', {
      readFile: () => undefined,
    });
    expect(r.status).toBe('ok');
    expect(r.packages).toHaveLength(1);
    expect(r.issues).toEqual([
      {
        file: 'reqs/requirements.txt',
        line: 2,
        kind: 'error',
        message: 'the file named by -r on this line was not found',
      },
    ]);
  });

  it('detects include cycles', () => {
    const files: Record<string, string> = {
      'a.txt': '-r b.txt\nsix==1.0\n',
      'b.txt': '-r a.txt\nidna==3.4\n',
    };
    const r = parseLockfile(files['a.txt']!, 'a.txt', { format: 'requirements', readFile: (p) => files[p] });
    expect(r.packages.map((p) => p.name).sort()).toEqual(['idna', 'six']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ file: 'b.txt', line: 1, kind: 'error' });
    expect(r.issues[0]!.message).toBe(
      'include cycle: the file named by -r on this line is already being read (2 file(s) deep)',
    );
  });

  it('expands pip environment variables from the given environment only', () => {
    const text = `flask==${v('FLASK_VERSION')}\n--index-url https://${v('TOKEN')}@corp.example.com/simple\n`;
    const r = parseLockfile(text, 'requirements.txt', { env: { FLASK_VERSION: '3.0.0', TOKEN: 't' } });
    expect(byName(r, 'flask')).toMatchObject({
      version: '3.0.0',
      source: 'https://t@corp.example.com/simple',
    });
    const missing = parseLockfile(`flask==${v('FLASK_VERSION')}\n`, 'requirements.txt', { env: {} });
    expect(missing.status).toBe('error');
    expect(missing.error).toContain('requirements.txt:1');
  });

  it('accepts --hash with a space, options between name and hash, and CRLF line endings', () => {
    const text =
      'six==1.16.0 --config-settings=x=y --hash sha256:aa \\\r\n  --hash=sha512:bb\r\nidna==3.4\r\n';
    const r = parseLockfile(text, 'requirements.txt');
    expect(byName(r, 'six').hashes).toEqual(['sha256:aa', 'sha512:bb']);
    expect(byName(r, 'idna').line).toBe(3);
  });

  it('a file that is not a requirements file is an error naming the file and line, not an empty list', () => {
    const r = parseLockfile('{"_not": "requirements"}\n', 'requirements.txt');
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/^requirements\.txt:1: /);
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const r = parseRequirements(text, 'r.txt', { readFile: () => 'x==1\n' });
        for (const p of r.packages) expect(p.line).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    const linesArb = fc.array(
      fc.oneof(
        fc.constantFrom(
          '-r x.txt',
          '-c y.txt',
          '--hash=sha256:aa',
          '\\',
          '#',
          '-e',
          '@',
          ';',
          '[',
          '==',
          v('A'),
        ),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(linesArb, (parts) => {
        parseRequirements(parts.join(' \n'), 'r.txt', {
          readFile: (p) => (p === 'x.txt' ? '-r r.txt\n' : undefined),
        });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips names through PEP 503 normalization', () => {
    const nameArb = fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,20}[A-Za-z0-9])?$/);
    fc.assert(
      fc.property(nameArb, fc.constantFrom('', '==1.0', '>=2'), (name, spec) => {
        const r = parseRequirements(`${name}${spec}\n`, 'r.txt');
        expect(r.packages.map((p) => p.name)).toEqual([normalizeName(name)]);
        expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
        expect(normalizeName(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
      { numRuns: 500 },
    );
  });
});
