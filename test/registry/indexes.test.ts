// Where a package is fetched from (the index its lockfile locks it to, only when the trusted configuration
// names it), where credentials may go (their own index's origin, https or loopback, never after a redirect
// to another origin), what is analysed per target platform, and the run-level index health check.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createIndexClient,
  type IndexClientOptions,
  indexKey,
  indexProblems,
  matchesPin,
  RegistryError,
} from '../../src/registry/index.js';
import type { PackageRef } from '../../src/types.js';
import { expectFinding, expectValue } from '../helpers/registry.js';
import { makeWheel } from '../fixtures/archives.js';
import {
  type IndexServer,
  type IndexServerOptions,
  type ServedVersion,
  servedRelease,
  startIndexServer,
} from '../servers/index-server.js';

const servers: IndexServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: IndexServerOptions): Promise<IndexServer> {
  const server = await startIndexServer({ failOnUnexpected: true, ...options });
  servers.push(server);
  return server;
}

const ref = (name: string, version: string | null, extra: Partial<PackageRef> = {}): PackageRef => ({
  name,
  version,
  hashes: [],
  file: 'requirements.txt',
  line: 4,
  ...extra,
});

const client = (options: IndexClientOptions) => createIndexClient({ retries: 0, retryBaseMs: 1, ...options });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const demo = () => ({ demo: { versions: [servedRelease('demo', '1.0')] } });
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the index a lockfile names', () => {
  it('never asks an index the configuration does not name, and fails the package with a decisive finding', async () => {
    const trusted = await serve({ projects: demo() });
    const attacker = await serve({
      projects: { 'evil-pkg': { versions: [servedRelease('evil-pkg', '1.0')] } },
    });
    const c = client({ indexUrl: trusted.url, token: 'private-token' });
    // requirements.txt: `--extra-index-url <attacker>` then `evil-pkg==1.0` (the parser keeps the URL per file).
    const signal = await expectFinding(c.resolve(ref('evil-pkg', '1.0'), [attacker.url]));
    expect(signal).toMatchObject({ id: 'untrusted-index', severity: 'high' });
    expect(signal.decisive).toBeFalsy();
    expect(signal.message).toContain(`evil-pkg: requirements.txt:4 has pip fetch it from ${attacker.url}`);
    expect(signal.message).toMatch(/index-url, extra-index-urls, allowed-indexes/);
    // uv.lock / poetry.lock: the package's own source.
    const locked = await expectFinding(
      c.resolve(ref('evil-pkg', '1.0', { source: attacker.url, file: 'uv.lock' })),
    );
    expect(locked.id).toBe('untrusted-index');
    expect(attacker.requests).toEqual([]);
    expect(trusted.requests).toEqual([]);
    // The history signals' page goes through the same rule.
    await expect(c.getProject('evil-pkg', ref('evil-pkg', '1.0', { source: attacker.url }))).rejects.toThrow(
      /does not name/,
    );
  });

  it('never trusts a file:// or relative registry a lockfile names (a wheel committed with the PR)', async () => {
    const c = client({
      indexUrl: 'https://pypi.org/simple/',
      fetch: async () => new Response('', { status: 500 }),
    });
    for (const source of ['file:///home/runner/work/repo/wheels', '../wheels']) {
      const signal = await expectFinding(c.resolve(ref('demo', '1.0', { source, file: 'uv.lock' })));
      expect(signal.id).toBe('untrusted-index');
    }
    const { untrustedLockfileIndexes, maskUrl } = await import('../../src/registry/index.js');
    expect(
      untrustedLockfileIndexes(
        [{ file: 'uv.lock', packages: [{ source: './wheels' }] }],
        c.isTrusted,
        maskUrl,
      ),
    ).toHaveLength(1);
  });

  it('masks credentials written in an untrusted URL', async () => {
    const c = client({ indexUrl: 'https://pypi.org/simple/' });
    const signal = await expectFinding(
      c.resolve(ref('x', '1.0', { source: 'https://bob:hunter2@evil.example/simple' })),
    );
    expect(signal.message).not.toContain('hunter2');
    expect(signal.message).toContain('https://***@evil.example/simple');
  });

  it('fetches from the locked index alone when the configuration names it (uv, poetry, Pipfile)', async () => {
    const main = await serve({ projects: {} });
    const mirror = await serve({ projects: demo() });
    const c = client({ indexUrl: main.url, extraIndexUrls: [mirror.url] });
    const r = await expectValue(c.resolve(ref('demo', '1.0', { source: mirror.url.replace(/\/$/, '') })));
    expect(r.indexes).toEqual([mirror.url]);
    expect(r.files.map((f) => f.index)).toEqual([mirror.url, mirror.url]);
    expect(main.requests).toEqual([]);
  });

  it('asks the locked index and the extra ones for requirements files, as pip merges them', async () => {
    const main = await serve({ projects: { demo: null } });
    const extra = await serve({ projects: demo() });
    const c = client({ indexUrl: 'https://pypi.org/simple/', extraIndexUrls: [main.url, extra.url] });
    const r = await expectValue(c.resolve(ref('demo', '1.0', { source: main.url }), [main.url, extra.url]));
    expect(r.indexes).toEqual([main.url, extra.url]);
    expect(r.files).toHaveLength(2);
  });

  it('accepts an index listed in allowed-indexes, without sending it the token', async () => {
    const allowed = await serve({ projects: demo() });
    const c = client({ indexUrl: 'https://pypi.org/simple/', allowedIndexes: [allowed.url], token: 'tok' });
    const r = await expectValue(c.resolve(ref('demo', '1.0', { source: allowed.url })));
    await expectValue(c.download(r.files[0]!, ref('demo', '1.0')));
    expect(allowed.requests.length).toBe(2);
    expect(allowed.requests.every((q) => !q.hadAuth)).toBe(true);
  });

  it('treats the old pypi.python.org spelling and a missing slash as the public index', () => {
    expect(indexKey('https://pypi.python.org/simple')).toBe('https://pypi.org/simple/');
    expect(indexKey('https://user:pw@PyPI.org:443/simple?x=1#frag')).toBe('https://pypi.org/simple/');
    expect(indexKey('http://127.0.0.1:80/simple')).toBe('http://127.0.0.1/simple/');
  });
});

describe('credentials', () => {
  const auth = { username: '__token__', password: 'tok-123' };

  it('go to the index they were given for and not to another loopback host or port', async () => {
    const other = await serve({ projects: demo(), bind: '127.0.0.2' });
    const viaName = await serve({ projects: demo(), hostname: 'localhost' });
    // The private index lists its files on two other hosts: neither may see the token.
    const main = await serve({ projects: demo(), auth, filesAt: other.origin });
    const c = client({
      indexUrl: main.url,
      extraIndexUrls: [viaName.url],
      allowedIndexes: [],
      token: 'tok-123',
    });
    const r = ref('demo', '1.0');
    const page = await c.getProject('demo');
    expect(page.foundOn).toEqual([main.url, viaName.url]);
    expect(main.requests.every((q) => q.authorized && q.hadAuth)).toBe(true);
    // localhost is configured too, as an extra index: the token is the private index-url's, not its.
    expect(viaName.requests.length).toBeGreaterThan(0);
    expect(viaName.requests.every((q) => !q.hadAuth)).toBe(true);
    const mainFile = page.files.find((f) => f.index === main.url)!;
    await expectValue(c.download(mainFile, r));
    expect(other.requests.map((q) => [q.kind, q.hadAuth])).toEqual([['file', false]]);
  });

  it('are dropped on a redirect to another origin and kept on a same-origin one', async () => {
    const elsewhere = await serve({ projects: demo(), bind: '127.0.0.2' });
    const main = await serve({ projects: demo(), auth });
    const c = client({ indexUrl: main.url, token: 'tok-123' });
    const r = ref('demo', '1.0');
    const { files } = await expectValue(c.resolve(r));
    main.setFault({ kind: 'redirect', to: elsewhere.origin, on: 'file', times: 1 });
    await expectValue(c.download(files[0]!, r));
    expect(elsewhere.requests.map((q) => [q.kind, q.hadAuth])).toEqual([['file', false]]);
    main.setFault({
      kind: 'redirect',
      to: `/files/demo/${encodeURIComponent(files[1]!.filename)}`,
      on: 'file',
      times: 1,
    });
    await expectValue(c.download(files[1]!, r));
    expect(main.requests.filter((q) => q.kind === 'file').map((q) => [q.status, q.authorized])).toEqual([
      [302, true],
      [302, true],
      [200, true],
    ]);
  });

  it('go to the first private index only: not to a public mirror listed as another extra index', async () => {
    const seen: [string, string | null][] = [];
    const fake: typeof fetch = async (url, init) => {
      seen.push([new URL(String(url)).host, new Headers(init?.headers).get('authorization')]);
      return new Response('not found', { status: 404 });
    };
    const c = createIndexClient({
      fetch: fake,
      token: 'tok',
      extraIndexUrls: [
        'https://repo.corp.example/simple/',
        'https://download.pytorch.org/whl/cpu',
        'https://repo.corp.example/other/simple/',
      ],
    });
    await c.getProject('demo');
    expect(seen.sort()).toEqual([
      ['download.pytorch.org', null],
      ['pypi.org', null],
      ['repo.corp.example', basic('__token__', 'tok')],
      ['repo.corp.example', basic('__token__', 'tok')],
    ]);
  });

  it('never travel over plain http to another machine, nor to public PyPI', async () => {
    const seen: [string, string | null][] = [];
    const fake: typeof fetch = async (url, init) => {
      seen.push([String(url), new Headers(init?.headers).get('authorization')]);
      if (String(url) === 'https://private.example/simple/demo/')
        return new Response('', {
          status: 301,
          headers: { location: 'http://private.example/simple/demo/' },
        });
      return new Response('not found', { status: 404 });
    };
    const notices: string[] = [];
    const c = createIndexClient({
      fetch: fake,
      token: 'tok',
      extraIndexUrls: [
        'http://plain.example/simple/',
        'https://u:pw@private.example/simple/',
        'https://files.pythonhosted.org/simple/',
      ],
      onNotice: (m) => notices.push(m),
    });
    await c.getProject('demo');
    expect(seen.sort()).toEqual([
      ['http://plain.example/simple/demo/', null],
      // https -> http on the same host is another origin: the credentials stay behind.
      ['http://private.example/simple/demo/', null],
      ['https://files.pythonhosted.org/simple/demo/', null],
      ['https://private.example/simple/demo/', basic('u', 'pw')],
      ['https://pypi.org/simple/demo/', null],
    ]);
    expect(notices.join('\n')).toMatch(/plain\.example.*not sent over plain http/);
  });

  it('refuses a redirect to a non-http scheme and a redirect loop', async () => {
    const main = await serve({ projects: demo() });
    const c = client({ indexUrl: main.url });
    main.setFault({ kind: 'redirect', to: 'file:///etc', on: 'page', times: 1 });
    expect((await rejection(c.getProject('demo'))).message).toMatch(/redirected to a file: URL/);
    main.setFault({ kind: 'redirect', to: '/simple/demo/', on: 'page' });
    expect((await rejection(client({ indexUrl: main.url }).getProject('demo'))).message).toMatch(
      /more than 10 redirects/,
    );
  });
});

/** A release with an honest sdist and pure wheel and, for Linux only, a malicious manylinux wheel. */
function linuxOnlyPayload(): ServedVersion {
  const release = servedRelease('fastlib', '2.0');
  release.files.push({
    filename: 'fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    bytes: makeWheel({ name: 'fastlib', version: '2.0', files: { 'fastlib/__init__.py': 'import os\n' } }),
  });
  release.files.push({
    filename: 'fastlib-2.0-cp312-cp312-manylinux_2_17_aarch64.whl',
    bytes: makeWheel({ name: 'fastlib', version: '2.0', files: { 'fastlib/_arm.py': 'x = 1\n' } }),
  });
  return release;
}

describe('what pip would install on the targets', () => {
  it('analyses the manylinux wheel pip picks on Linux beside the pure one, and notes the rest', async () => {
    const server = await serve({ projects: { fastlib: { versions: [linuxOnlyPayload()] } } });
    const r = await expectValue(client({ indexUrl: server.url }).resolve(ref('fastlib', '2.0')));
    expect(r.files.map((f) => f.filename)).toEqual([
      'fastlib-2.0.tar.gz',
      'fastlib-2.0-py3-none-any.whl',
      'fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    ]);
    expect(r.notes).toEqual([
      expect.stringMatching(
        /^fastlib==2\.0: not analysed \(no target installs it .*\): fastlib-2\.0-cp312-cp312-manylinux_2_17_aarch64\.whl$/,
      ),
    ]);
    expect(r.gaps).toEqual([]);
  });

  it('follows the configured platforms', async () => {
    const server = await serve({ projects: { fastlib: { versions: [linuxOnlyPayload()] } } });
    const r = await expectValue(
      client({
        indexUrl: server.url,
        platforms: ['linux-aarch64'],
        pythonMinors: [12],
      }).resolve(ref('fastlib', '2.0')),
    );
    expect(r.files.map((f) => f.filename)).toEqual([
      'fastlib-2.0.tar.gz',
      'fastlib-2.0-cp312-cp312-manylinux_2_17_aarch64.whl',
    ]);
    expect(() => client({ platforms: ['beos'] })).toThrow(RegistryError);
  });

  it('caps the files per release: what is left is a gap, never a silent skip', async () => {
    const release = servedRelease('many', '1.0');
    for (const minor of [9, 10, 11, 12, 13, 14])
      release.files.push({
        filename: `many-1.0-cp3${minor}-cp3${minor}-win_amd64.whl`,
        bytes: makeWheel({ name: 'many', version: '1.0' }),
      });
    const server = await serve({ projects: { many: { versions: [release] } } });
    const r = await expectValue(
      client({ indexUrl: server.url, maxFilesPerRelease: 4 }).resolve(ref('many', '1.0')),
    );
    expect(r.files).toHaveLength(4);
    expect(r.gaps.map((g) => [g.stage, g.artifact])).toEqual([
      ['download', 'many-1.0-cp311-cp311-win_amd64.whl'],
      ['download', 'many-1.0-cp312-cp312-win_amd64.whl'],
      ['download', 'many-1.0-cp313-cp313-win_amd64.whl'],
      ['download', 'many-1.0-cp314-cp314-win_amd64.whl'],
    ]);
    expect(r.gaps[0]!.reason).toMatch(
      /8 files would be installed on the target platforms, more than the 4 analysed per release/,
    );
  });

  it('bounds what a release of thousands of files costs: 24 analysed, the rest in 21 gaps', async () => {
    const files = Array.from({ length: 5000 }, (_, i) => ({
      filename: `big-1.0-${i}-cp312-cp312-beos_${i}.whl`,
      url: `https://i.example/f/${i}.whl`,
      hashes: {},
    }));
    const body = JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'big', files });
    const page: typeof fetch = async () =>
      new Response(body, { headers: { 'content-type': 'application/vnd.pypi.simple.v1+json' } });
    const r = await expectValue(
      client({ indexUrl: 'https://i.example/simple/', fetch: page }).resolve(ref('big', '1.0')),
    );
    expect(r.files).toHaveLength(24);
    expect(r.gaps).toHaveLength(21);
    expect(r.gaps[20]!.reason).toMatch(/5000 files would be installed .* 4956 more files were not analysed$/);
    expect(r.notes[0]).toMatch(/no file installs on the target platforms/);
  });

  it('says when the lockfile pins hashes of files the gate did not analyse', async () => {
    const release = linuxOnlyPayload();
    const server = await serve({ projects: { fastlib: { versions: [release] } } });
    const hashes = release.files.map((f) => `sha256:${server.sha256(f.bytes)}`);
    const r = await expectValue(
      client({ indexUrl: server.url }).resolve(ref('fastlib', '2.0', { hashes, file: 'uv.lock', line: 9 })),
    );
    expect(r.files).toHaveLength(3);
    expect(r.notes[1]).toBe(
      'fastlib==2.0: uv.lock:9 pins the hashes of 1 file(s) the gate did not analyse (no target platform installs them): fastlib-2.0-cp312-cp312-manylinux_2_17_aarch64.whl',
    );
  });

  it('analyses every locked wheel a target could install, not only the one pip prefers there', async () => {
    const release = servedRelease('glib', '1.0');
    const wheel = (platform: string, body: string) => ({
      filename: `glib-1.0-cp312-cp312-${platform}.whl`,
      bytes: makeWheel({ name: 'glib', version: '1.0', files: { 'glib/x.py': body } }),
    });
    release.files.push(wheel('manylinux_2_17_x86_64', 'a = 1\n'), wheel('manylinux_2_28_x86_64', 'b = 2\n'));
    const server = await serve({ projects: { glib: { versions: [release] } } });
    const c = client({ indexUrl: server.url, pythonMinors: [12] });
    const unlocked = await expectValue(c.resolve(ref('glib', '1.0')));
    expect(unlocked.files.map((f) => f.filename)).toEqual([
      'glib-1.0.tar.gz',
      'glib-1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
      'glib-1.0-py3-none-any.whl',
    ]);
    expect(unlocked.notes[0]).toMatch(
      /not analysed \(pip picks another file wherever it fits .*\): glib-1\.0-cp312-cp312-manylinux_2_17_x86_64\.whl$/,
    );
    const hashes = release.files.map((f) => `sha256:${server.sha256(f.bytes)}`);
    const locked = await expectValue(c.resolve(ref('glib', '1.0', { hashes })));
    expect(locked.files.map((f) => f.filename)).toEqual([
      'glib-1.0.tar.gz',
      'glib-1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
      'glib-1.0-py3-none-any.whl',
      'glib-1.0-cp312-cp312-manylinux_2_17_x86_64.whl',
    ]);
    expect(locked.notes).toEqual([]);
  });

  it('only analyses files the lockfile hashes allow, since pip refuses the others', async () => {
    const release = linuxOnlyPayload();
    const server = await serve({ projects: { fastlib: { versions: [release] } } });
    const hashes = [`sha256:${server.sha256(release.files[1]!.bytes)}`];
    const r = await expectValue(client({ indexUrl: server.url }).resolve(ref('fastlib', '2.0', { hashes })));
    expect(r.files.map((f) => f.filename)).toEqual(['fastlib-2.0-py3-none-any.whl']);
    expect(r.notes[0]).toMatch(
      /not analysed \(not among the files the lockfile hashes allow: pip refuses it\): fastlib-2\.0\.tar\.gz, /,
    );
  });

  it('matches ==1.0 to 1.0+local as pip does, and analyses the local version pip prefers', async () => {
    const local = servedRelease('torchish', '1.0+cpu');
    const server = await serve({
      projects: { torchish: { versions: [servedRelease('torchish', '1.0'), local] } },
    });
    const c = client({ indexUrl: server.url });
    const r = await expectValue(c.resolve(ref('torchish', '1.0')));
    expect(r.files.map((f) => f.filename)).toEqual([
      'torchish-1.0+cpu.tar.gz',
      'torchish-1.0+cpu-py3-none-any.whl',
    ]);
    expect(r.notes).toEqual([
      'torchish==1.0: not analysed (an sdist of a version no target picks): torchish-1.0.tar.gz',
      expect.stringMatching(
        /^torchish==1\.0: not analysed \(pip picks another file wherever it fits .*\): torchish-1\.0-py3-none-any\.whl$/,
      ),
    ]);
    const exact = await expectValue(c.resolve(ref('torchish', '1.0+cpu')));
    expect(exact.files).toHaveLength(2);
    expect(matchesPin('1.0+cpu', '1.0')).toBe(true);
    expect(matchesPin('1.0', '1.0+cpu')).toBe(false);
    expect(matchesPin('1.0.0+x', '1.0')).toBe(true);
    expect(matchesPin('1.0.1', '1.0')).toBe(false);
  });
});

describe('index health', () => {
  it('fails the run when the index answered nothing useful for most pins, naming it', async () => {
    const server = await serve({ projects: { a: null, b: null, c: null, demo: demo().demo } });
    const c = client({ indexUrl: server.url });
    for (const name of ['a', 'b', 'c', 'demo']) await c.resolve(ref(name, '1.0')).catch(() => {});
    expect(c.health()).toEqual([
      {
        index: server.url,
        asked: 4,
        found: 1,
        unknownProject: 3,
        missingRelease: 0,
        failed: 0,
        unserved: ['a', 'b', 'c'],
      },
    ]);
    expect(indexProblems(c.health())).toEqual([
      `index ${server.url} served nothing for 3 of the 4 package(s) asked (3 unknown project(s): a, b, c): a mistyped index-url or extra-index-urls, a missing index token, or projects the index removed`,
    ]);
  });

  it('flags an index-url that answers every page with an unrelated HTML page (a website, not an index)', async () => {
    const site: typeof fetch = async () =>
      new Response('<html><body><a href="/about">About us</a></body></html>', {
        headers: { 'content-type': 'text/html' },
      });
    const c = client({ indexUrl: 'https://www.example.com/', fetch: site });
    for (const name of ['a', 'b', 'c']) await c.resolve(ref(name, '1.0')).catch(() => {});
    expect(indexProblems(c.health())).toEqual([
      expect.stringContaining(
        'index https://www.example.com/ served nothing for 3 of the 3 package(s) asked (3 missing release(s): a, b, c)',
      ),
    ]);
  });

  it('passes an index that served most pins, and flags one that served none', () => {
    const h = {
      index: 'https://i/',
      asked: 10,
      found: 6,
      unknownProject: 4,
      missingRelease: 0,
      failed: 0,
      unserved: ['a', 'b', 'c', 'd', 'e'],
    };
    expect(indexProblems([h])).toEqual([]);
    expect(indexProblems([{ ...h, asked: 1, found: 0, unknownProject: 1, unserved: ['gone'] }])).toEqual([
      expect.stringContaining('served nothing for 1 of the 1 package(s) asked (1 unknown project(s): gone)'),
    ]);
    expect(indexProblems([{ ...h, asked: 20, found: 2, unknownProject: 18 }])[0]).toContain(
      'a, b, c, d, e, ...)',
    );
    expect(indexProblems([{ ...h, asked: 2, found: 1, unknownProject: 1 }])).toEqual([]);
  });
});

describe('configuration', () => {
  it('reads allowed-indexes and platforms from the config file, and names an unknown platform', async () => {
    const { parseConfigFile, resolveConfig } = await import('../../src/config.js');
    const file = parseConfigFile(
      'allowed-indexes: [https://download.pytorch.org/whl/cpu]\nplatforms: [linux-aarch64]\n',
      'cfg.yml',
    );
    const config = resolveConfig({}, file);
    expect(config.allowedIndexes).toEqual(['https://download.pytorch.org/whl/cpu']);
    expect(config.platforms).toEqual(['linux-aarch64']);
    expect(resolveConfig({}, {}).platforms).toEqual(['linux-x86_64', 'windows-amd64', 'macos-arm64']);
    expect(() => parseConfigFile('platforms: [beos]\n', 'cfg.yml')).toThrow(/cfg\.yml:1: platforms\.0/);
  });
});

describe('the run-level check', () => {
  it('fails the run on an index problem whatever fail-on-unscannable says, naming the index', async () => {
    const { outcome } = await import('../../src/policy.js');
    const { buildReport } = await import('../../src/scan.js');
    const now = new Date('2026-01-01T00:00:00Z');
    const benign = {
      ref: ref('demo', '1.0'),
      status: 'ok' as const,
      verdict: 'benign' as const,
      artifacts: [],
      evidence: [],
      signals: [],
      reasons: [],
    };
    const report = buildReport({
      tool: { name: 't', version: '0' },
      mode: 'full',
      lockfiles: [],
      packages: [benign],
      startedAt: now,
      now,
    });
    const problem = 'index https://typo.example/simple/ served nothing for 3 of the 4 package(s) asked';
    expect(outcome(report, 'never', { failOnUnscannable: false, problems: [problem] })).toMatchObject({
      failed: true,
      reason: problem,
    });
    expect(outcome(report, 'malicious', { problems: [] }).failed).toBe(false);
  });

  it('gives each package of a requirements file the index URLs the file declares', async () => {
    const { declaredIndexes, refKey } = await import('../../src/registry/index.js');
    const a = ref('a', '1.0');
    const b = ref('b', '1.0', { file: 'uv.lock' });
    const map = declaredIndexes([
      { format: 'requirements', indexUrls: ['https://x/simple/'], packages: [a] },
      { format: 'uv', indexUrls: ['https://y/simple/'], packages: [b] },
    ]);
    expect(map.get(refKey(a))).toEqual(['https://x/simple/']);
    expect(map.has(refKey(b))).toBe(false);
  });
});

describe('lockfiles that name an untrusted index', () => {
  it('are a run-level problem even when no package changed', async () => {
    const { untrustedLockfileIndexes, maskUrl } = await import('../../src/registry/index.js');
    const c = client({
      indexUrl: 'https://pypi.org/simple/',
      allowedIndexes: ['https://download.pytorch.org/whl/cpu'],
    });
    expect(c.isTrusted('https://pypi.python.org/simple')).toBe(true);
    expect(c.isTrusted('https://download.pytorch.org/whl/cpu/')).toBe(true);
    expect(c.isTrusted('not a url')).toBe(false);
    const problems = untrustedLockfileIndexes(
      [
        {
          file: 'requirements.txt',
          indexUrls: ['https://u:secret@attacker.example/simple/'],
          packages: [{}],
        },
        { file: 'uv.lock', packages: [{ source: 'https://pypi.org/simple' }, { source: 'path' }] },
        { file: 'poetry.lock', packages: [{ source: 'https://evil.example/simple' }] },
      ],
      c.isTrusted,
      maskUrl,
    );
    expect(problems).toEqual([
      'requirements.txt has pip fetch packages from https://***@attacker.example/simple/, which the configuration does not name (index-url, extra-index-urls, allowed-indexes in the base branch): add it there if it is trusted',
      expect.stringMatching(/^poetry\.lock has pip fetch packages from https:\/\/evil\.example\/simple,/),
    ]);
  });
});
