// The index client against the loopback Simple API server: both page formats, resolution, verified
// downloads, and the transport behaviour (retries, timeouts, concurrency, size cap, credentials, cache).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createIndexClient, type IndexClientOptions, RegistryError } from '../../src/registry/index.js';
import type { PackageRef } from '../../src/types.js';
import { expectFinding, expectValue } from '../helpers/registry.js';
import {
  type IndexServer,
  type IndexServerOptions,
  servedRelease,
  startIndexServer,
} from '../servers/index-server.js';

const servers: IndexServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
  line: 3,
  ...extra,
});

/** A client with fast retries that records its waits and notices. */
function client(server: IndexServer, options: IndexClientOptions = {}) {
  const sleeps: number[] = [];
  const notices: string[] = [];
  const c = createIndexClient({
    indexUrl: server.url,
    retryBaseMs: 5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onNotice: (m) => notices.push(m),
    ...options,
  });
  return { c, sleeps, notices };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const demo = () => ({
  demo: {
    versions: [
      servedRelease('demo', '1.0', { uploadTime: '2024-01-01T00:00:00Z' }),
      servedRelease('demo', '1.1', { yanked: 'broken build', uploadTime: '2024-02-01T00:00:00Z' }),
    ],
  },
});

describe('project pages', () => {
  for (const htmlOnly of [false, true]) {
    it(`reads the ${htmlOnly ? 'PEP 503 HTML (server ignores Accept)' : 'PEP 691 JSON'} form`, async () => {
      const projects = demo();
      const server = await serve({ projects, htmlOnly });
      const { c } = client(server);
      const page = await c.getProject('demo');
      expect(server.requests[0]?.accept).toMatch(/^application\/vnd\.pypi\.simple\.v1\+json/);
      expect(server.requests[0]?.format).toBe(htmlOnly ? 'html' : 'json');
      expect(page.files.map((f) => [f.filename, f.version, f.kind, f.yanked])).toEqual([
        ['demo-1.0.tar.gz', '1.0', 'sdist', false],
        ['demo-1.0-py3-none-any.whl', '1.0', 'wheel', false],
        ['demo-1.1.tar.gz', '1.1', 'sdist', 'broken build'],
        ['demo-1.1-py3-none-any.whl', '1.1', 'wheel', 'broken build'],
      ]);
      expect(page.versions).toEqual(['1.0', '1.1']);
      expect(page.files.every((f) => /^[0-9a-f]{64}$/.test(f.hashes.sha256 ?? ''))).toBe(true);
      expect(page.files[0]?.url).toBe(server.fileUrl('demo', 'demo-1.0.tar.gz'));
      expect(page.files[0]?.index).toBe(server.url);
      // PEP 700 fields only exist in the JSON form.
      expect(page.files[0]?.uploadTime).toBe(htmlOnly ? undefined : '2024-01-01T00:00:00Z');
      const size = projects.demo.versions[0]!.files[0]!.bytes.byteLength;
      expect(page.files[0]?.size).toBe(htmlOnly ? undefined : size);
    });
  }

  it('asks for the PEP 503 normalized name, once per project', async () => {
    const server = await serve({ projects: { 'my-pkg': { versions: [servedRelease('my-pkg', '2.0')] } } });
    const { c } = client(server);
    const [a, b] = await Promise.all([c.getProject('My_Pkg'), c.getProject('my.pkg')]);
    expect(a).toBe(b);
    expect(server.requests.map((r) => r.path)).toEqual(['/simple/my-pkg/']);
  });

  it('returns an empty page when no index has the project', async () => {
    const server = await serve({ projects: { gone: null } });
    const page = await client(server).c.getProject('gone');
    expect(page).toEqual({ name: 'gone', files: [], versions: [], foundOn: [] });
  });

  it('reports an unreadable JSON page as an error naming the page', async () => {
    const server = await serve({ projects: {} });
    const fetchJunk: typeof fetch = async () =>
      new Response('{"files": [', { headers: { 'content-type': 'application/vnd.pypi.simple.v1+json' } });
    const err = await rejection(client(server, { fetch: fetchJunk }).c.getProject('demo'));
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toMatch(/demo\/: unreadable JSON page/);
  });
});

describe('resolve', () => {
  it('chooses the sdist and the pure wheel of a pinned version', async () => {
    const server = await serve({ projects: demo() });
    const r = await expectValue(client(server).c.resolve(ref('demo', '1.0')));
    expect(r.version).toBe('1.0');
    expect(r.files.map((f) => f.filename)).toEqual(['demo-1.0.tar.gz', 'demo-1.0-py3-none-any.whl']);
    expect(r.releaseUrl).toBe(`${server.url}demo/`);
  });

  it('matches a pinned version by PEP 440 equality (1.0.0 is 1.0)', async () => {
    const server = await serve({ projects: demo() });
    const r = await expectValue(client(server).c.resolve(ref('demo', '1.0.0')));
    expect(r.files).toHaveLength(2);
  });

  it('still resolves a pinned yanked release (pip installs it; the history signal reports the yank)', async () => {
    const server = await serve({ projects: demo() });
    const r = await expectValue(client(server).c.resolve(ref('demo', '1.1')));
    expect(r.files.map((f) => f.yanked)).toEqual(['broken build', 'broken build']);
  });

  it('reports a pinned version the index does not have as a release-missing finding', async () => {
    const server = await serve({ projects: demo() });
    const signal = await expectFinding(client(server).c.resolve(ref('demo', '0.9')));
    expect(signal).toMatchObject({ id: 'release-missing', severity: 'medium' });
    expect(signal.decisive).toBeFalsy();
    expect(signal.message).toMatch(/demo==0\.9: the index has demo but no file for the pinned version 0\.9/);
  });

  it('fails to resolve a project the index does not know (404), naming the index', async () => {
    const server = await serve({ projects: { evil: null } });
    const err = await rejection(client(server).c.resolve(ref('evil', '1.0')));
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toContain(`evil: the project is not on the index (${server.url})`);
  });

  it('resolves an unpinned ref to the newest non-yanked final release and says it is not reproducible', async () => {
    const server = await serve({
      projects: {
        lib: {
          versions: [
            servedRelease('lib', '1.0'),
            servedRelease('lib', '1.4'),
            servedRelease('lib', '1.5', { yanked: true }),
            servedRelease('lib', '2.0rc1'),
            servedRelease('lib', '2.0'),
          ],
        },
      },
    });
    const { c, notices } = client(server);
    const bounded = await expectValue(c.resolve(ref('lib', null, { specifier: '>=1,<2' })));
    expect(bounded.version).toBe('1.4');
    expect(bounded.files.map((f) => f.filename)).toEqual(['lib-1.4.tar.gz', 'lib-1.4-py3-none-any.whl']);
    expect((await expectValue(c.resolve(ref('lib', null)))).version).toBe('2.0');
    expect(notices[0]).toMatch(/lib >=1,<2 is not pinned: scanned 1\.4.*not reproducible/);
    const none = await rejection(c.resolve(ref('lib', null, { specifier: '>=3' })));
    expect(none).toBeInstanceOf(RegistryError);
    expect(none.message).toMatch(/lib>=3: no non-yanked final release satisfies/);
  });

  it('keeps only the files whose sha256 the lockfile pins', async () => {
    const release = servedRelease('demo', '1.0');
    const server = await serve({ projects: { demo: { versions: [release] } } });
    const wheelSha = server.sha256(release.files[1]!.bytes);
    const r = await expectValue(
      client(server).c.resolve(ref('demo', '1.0', { hashes: [`sha256:${wheelSha}`] })),
    );
    expect(r.files.map((f) => f.filename)).toEqual(['demo-1.0-py3-none-any.whl']);
  });

  it('analyses the locked file even when it is not one pip would pick on Linux', async () => {
    const mac = { filename: 'nat-1.0-cp312-cp312-macosx_11_0_arm64.whl', bytes: new Uint8Array([1, 2, 3]) };
    const server = await serve({
      projects: {
        nat: { versions: [{ version: '1.0', files: [...servedRelease('nat', '1.0').files, mac] }] },
      },
    });
    const r = await expectValue(
      client(server).c.resolve(ref('nat', '1.0', { hashes: [`sha256:${server.sha256(mac.bytes)}`] })),
    );
    expect(r.files.map((f) => f.filename)).toEqual([mac.filename]);
  });

  it('is a decisive hash-mismatch finding when no file of the release matches the lockfile', async () => {
    const server = await serve({ projects: demo() });
    const signal = await expectFinding(
      client(server).c.resolve(ref('demo', '1.0', { hashes: [`sha256:${'ab'.repeat(32)}`] })),
    );
    expect(signal).toMatchObject({
      id: 'hash-mismatch',
      severity: 'critical',
      decisive: true,
    });
    expect(signal.message).toMatch(/differ from the ones the lockfile pins/);
    expect(server.requests.filter((r) => r.kind === 'file')).toHaveLength(0);
  });
});

describe('download', () => {
  it('returns the verified bytes as an Artifact', async () => {
    const release = servedRelease('demo', '1.0', { uploadTime: '2024-01-01T00:00:00Z' });
    const server = await serve({ projects: { demo: { versions: [release] } } });
    const { c } = client(server);
    const r = ref('demo', '1.0', { hashes: release.files.map((f) => `sha256:${server.sha256(f.bytes)}`) });
    const [sdist] = (await expectValue(c.resolve(r))).files;
    const artifact = await expectValue(c.download(sdist!, r));
    expect(artifact).toMatchObject({
      filename: 'demo-1.0.tar.gz',
      kind: 'sdist',
      url: server.fileUrl('demo', 'demo-1.0.tar.gz'),
      sha256: server.sha256(release.files[0]!.bytes),
      uploadTime: '2024-01-01T00:00:00Z',
    });
    expect(Buffer.from(artifact.bytes).equals(Buffer.from(release.files[0]!.bytes))).toBe(true);
    expect(c.sha256Of(sdist!)).toBe(artifact.sha256);
  });

  it('is a decisive finding when the bytes differ from the hash the index states', async () => {
    const release = servedRelease('demo', '1.0');
    release.files[0]!.sha256 = 'cd'.repeat(32);
    const server = await serve({ projects: { demo: { versions: [release] } } });
    const { c } = client(server);
    const r = ref('demo', '1.0');
    const [sdist] = (await expectValue(c.resolve(r))).files;
    const signal = await expectFinding(c.download(sdist!, r));
    expect(signal).toMatchObject({ id: 'hash-mismatch', decisive: true });
    expect(signal.message).toMatch(
      /demo-1\.0\.tar\.gz: downloaded file differs from the one the index lists/,
    );
  });

  it('is a decisive finding when a mirror serves other bytes than the locked ones', async () => {
    const release = servedRelease('demo', '1.0');
    const server = await serve({ projects: { demo: { versions: [release] } } });
    const { c } = client(server);
    const r = ref('demo', '1.0', { hashes: release.files.map((f) => `sha256:${server.sha256(f.bytes)}`) });
    const [sdist] = (await expectValue(c.resolve(r))).files;
    server.setFault({ kind: 'tamper', on: 'file' });
    const signal = await expectFinding(c.download(sdist!, r));
    expect(signal.id).toBe('hash-mismatch');
  });

  it('checks the lockfile hashes when the index states none', async () => {
    const release = servedRelease('demo', '1.0');
    for (const f of release.files) f.sha256 = false;
    const server = await serve({ projects: { demo: { versions: [release] } } });
    const { c } = client(server);
    const r = ref('demo', '1.0', { hashes: [`sha256:${'ef'.repeat(32)}`] });
    const [sdist] = (await expectValue(c.resolve(r))).files;
    const signal = await expectFinding(c.download(sdist!, r));
    expect(signal.id).toBe('hash-mismatch');
    expect(signal.message).toMatch(
      /downloaded file differs from the one the lockfile pins .* requirements\.txt:3/,
    );
    // The same file passes when the lock pins its real hash (sha512 here: any algorithm pip accepts).
    const { createHash } = await import('node:crypto');
    const sha512 = createHash('sha512').update(release.files[0]!.bytes).digest('hex');
    const ok = await expectValue(c.download(sdist!, ref('demo', '1.0', { hashes: [`sha512:${sha512}`] })));
    expect(ok.filename).toBe('demo-1.0.tar.gz');
  });

  it('enforces the size cap while streaming, not only from Content-Length', async () => {
    // Incompressible (xorshift) bytes, so the gzipped sdist stays over the cap.
    let x = 2463534242;
    const noise = new Uint8Array(200_000).map(() => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x & 0xff;
    });
    const big = servedRelease('big', '1.0', { files: { 'data.bin': noise } });
    const server = await serve({ projects: { big: { versions: [big] } } });
    const { c } = client(server, { maxArtifactBytes: 100_000 });
    const r = ref('big', '1.0');
    const [sdist] = (await expectValue(c.resolve(r))).files;
    const declared = await rejection(c.download(sdist!, r));
    expect(declared).toBeInstanceOf(RegistryError);
    expect(declared.message).toMatch(/is larger than the 0\.1 MB limit \(max-artifact-mb\)/);
    server.setFault({ kind: 'chunked', on: 'file' });
    const streamed = await rejection(c.download(sdist!, r));
    expect(streamed.message).toMatch(/more than the 0\.1 MB limit \(max-artifact-mb\) while downloading/);
    expect(server.requests.filter((q) => q.kind === 'file')).toHaveLength(2);
  });

  it('refuses a file URL that is not http(s)', async () => {
    const server = await serve({ projects: demo() });
    const { c } = client(server);
    const [sdist] = (await expectValue(c.resolve(ref('demo', '1.0')))).files;
    const err = await rejection(c.download({ ...sdist!, url: 'file:///etc/passwd' }, ref('demo', '1.0')));
    expect(err.message).toMatch(/file: URL; only http\(s\) is fetched/);
  });
});

describe('transport', () => {
  it('retries after 429, waiting as long as Retry-After says', async () => {
    const server = await serve({ projects: demo() });
    server.setFault({ kind: 'rate-limit', retryAfter: '2', times: 1 });
    const { c, sleeps } = client(server);
    expect((await c.getProject('demo')).files).toHaveLength(4);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([2000]);
  });

  it('caps a long Retry-After', async () => {
    const server = await serve({ projects: demo() });
    server.setFault({ kind: 'rate-limit', retryAfter: '3600', times: 1 });
    const { c, sleeps } = client(server, { maxRetryDelayMs: 1500 });
    await c.getProject('demo');
    expect(sleeps).toEqual([1500]);
  });

  it('backs off exponentially through a 5xx storm, then fails with a clear per-package error', async () => {
    const server = await serve({ projects: demo() });
    server.setFault({ kind: 'server-error', status: 503 });
    const { c, sleeps } = client(server, { retries: 3, retryBaseMs: 100 });
    const err = await rejection(c.resolve(ref('demo', '1.0')));
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toBe(`GET ${server.url}demo/: HTTP 503 (gave up after 4 attempts)`);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(server.requests).toHaveLength(4);
  });

  it('recovers when the storm passes before the retries run out', async () => {
    const server = await serve({ projects: demo() });
    server.setFault({ kind: 'server-error', status: 502, times: 2 });
    const { c } = client(server, { retries: 2 });
    expect((await expectValue(c.resolve(ref('demo', '1.0')))).files).toHaveLength(2);
  });

  it('retries a refused connection, then names the cause', async () => {
    const server = await serve({ projects: {} });
    const closed = await startIndexServer({ projects: {} });
    await closed.close();
    const { c, sleeps } = client(server, { indexUrl: closed.url, retries: 2 });
    const err = await rejection(c.getProject('demo'));
    expect(err.message).toBe(
      `GET ${closed.url}demo/: network error: ECONNREFUSED (gave up after 3 attempts)`,
    );
    expect(sleeps).toHaveLength(2);
  });

  it('times out on a server that does not answer, retrying within the limit', async () => {
    const server = await serve({ projects: demo() });
    server.setFault({ kind: 'slow', delayMs: 5_000, on: 'page' });
    const { c } = client(server, { timeoutMs: 150, retries: 1 });
    const err = await rejection(c.getProject('demo'));
    expect(err.message).toMatch(/demo\/: no data for 150 ms \(timeout\) \(gave up after 2 attempts\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('times out on a body that stalls halfway', async () => {
    const server = await serve({ projects: demo() });
    const { c } = client(server, { timeoutMs: 150, retries: 0 });
    const [sdist] = (await expectValue(c.resolve(ref('demo', '1.0')))).files;
    server.setFault({ kind: 'stall', delayMs: 5_000, on: 'file' });
    const err = await rejection(c.download(sdist!, ref('demo', '1.0')));
    expect(err.message).toMatch(/no data for 150 ms \(timeout\)/);
  });

  it('stops at the overall deadline', async () => {
    const server = await serve({ projects: demo() });
    const past = client(server, { deadline: new Date(Date.now() - 1) });
    expect((await rejection(past.c.getProject('demo'))).message).toMatch(/overall deadline passed before/);
    expect(server.requests).toHaveLength(0);
    const far = client(server, { deadline: new Date(Date.now() + 40 * 24 * 3600 * 1000) });
    expect((await far.c.getProject('demo')).files).toHaveLength(4);
    server.setFault({ kind: 'server-error' });
    const soon = client(server, {
      deadline: new Date(Date.now() + 60_000),
      retryBaseMs: 120_000,
      maxRetryDelayMs: 120_000,
    });
    expect((await rejection(soon.c.getProject('demo'))).message).toMatch(
      /HTTP 503; the overall deadline passes before a retry/,
    );
    expect(soon.sleeps).toEqual([]);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const projects = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`p${i}`, { versions: [servedRelease(`p${i}`, '1.0')] }]),
    );
    const server = await serve({ projects, latencyMs: 40 });
    const { c } = client(server, { concurrency: 3 });
    const refs = Object.keys(projects).map((n) => ref(n, '1.0'));
    const resolved = await Promise.all(refs.map((r) => expectValue(c.resolve(r))));
    await Promise.all(resolved.flatMap((r, i) => r.files.map((f) => expectValue(c.download(f, refs[i]!)))));
    expect(server.requests).toHaveLength(12 + 24);
    expect(server.maxConcurrent).toBe(3);
  });
});

describe('credentials', () => {
  it('sends the token as basic auth to a private index and never prints it', async () => {
    const server = await serve({ projects: demo(), auth: { username: 'ci-bot', password: 's3cr3t-t0ken' } });
    const indexUrl = server.url.replace('http://', 'http://ci-bot@');
    const { c } = client(server, { indexUrl, token: 's3cr3t-t0ken' });
    const r = ref('demo', '1.0');
    const [sdist] = (await expectValue(c.resolve(r))).files;
    const artifact = await expectValue(c.download(sdist!, r));
    expect(server.requests.every((q) => q.authorized)).toBe(true);
    expect(c.indexes).toEqual([server.url.replace('http://', 'http://***@')]);
    expect(JSON.stringify({ ...artifact, bytes: undefined })).not.toMatch(/s3cr3t/);

    server.setFault({ kind: 'server-error' });
    const err = await rejection(
      createIndexClient({ indexUrl, token: 's3cr3t-t0ken', retries: 0 }).getProject('other'),
    );
    expect(err.message).toMatch(/HTTP 503/);
    expect(err.message).not.toMatch(/s3cr3t|ci-bot/);
  });

  it('uses credentials written in the index URL and masks them in errors', async () => {
    const server = await serve({ projects: demo(), auth: { username: 'u', password: 'p@ss w0rd!' } });
    const indexUrl = server.url.replace('http://', `http://u:${encodeURIComponent('p@ss w0rd!')}@`);
    const { c, notices } = client(server, { indexUrl });
    expect((await c.getProject('demo')).files).toHaveLength(4);
    server.setFault({ kind: 'server-error' });
    const err = await rejection(createIndexClient({ indexUrl, retries: 0 }).getProject('x'));
    const basic = Buffer.from('u:p@ss w0rd!').toString('base64');
    for (const text of [err.message, err.stack ?? '', ...notices]) {
      expect(text).not.toContain('w0rd');
      expect(text).not.toContain(encodeURIComponent('p@ss w0rd!'));
      expect(text).not.toContain(basic);
    }
  });

  it('says the index wants credentials on 401', async () => {
    const server = await serve({ projects: demo(), auth: { username: 'u', password: 'p' } });
    const err = await rejection(client(server).c.getProject('demo'));
    expect(err.message).toMatch(/HTTP 401 \(the index wants credentials: index-token\)/);
  });

  it('never sends the token to public PyPI', async () => {
    const seen: (string | null)[] = [];
    const fake: typeof fetch = async (_url, init) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return new Response('not found', { status: 404 });
    };
    const c = createIndexClient({
      token: 'private-token',
      fetch: fake,
      extraIndexUrls: ['https://idx.example/simple'],
    });
    await c.getProject('demo');
    expect(seen).toEqual([null, `Basic ${Buffer.from('__token__:private-token').toString('base64')}`]);
  });
});

describe('extra indexes', () => {
  it('merges files across indexes, remembering where each came from', async () => {
    const main = await serve({ projects: { lib: { versions: [servedRelease('lib', '1.0')] }, solo: null } });
    const extra = await serve({
      projects: {
        lib: { versions: [servedRelease('lib', '1.2')] },
        solo: { versions: [servedRelease('solo', '0.1')] },
      },
    });
    const { c } = client(main, { extraIndexUrls: [extra.url] });
    const page = await c.getProject('lib');
    expect(page.foundOn).toEqual([main.url, extra.url]);
    expect(page.versions).toEqual(['1.0', '1.2']);
    expect(page.files.map((f) => [f.filename, f.index])).toEqual([
      ['lib-1.0.tar.gz', main.url],
      ['lib-1.0-py3-none-any.whl', main.url],
      ['lib-1.2.tar.gz', extra.url],
      ['lib-1.2-py3-none-any.whl', extra.url],
    ]);
    expect((await expectValue(c.resolve(ref('lib', null)))).version).toBe('1.2');
    const solo = await expectValue(c.resolve(ref('solo', '0.1')));
    expect(solo.files.every((f) => f.index === extra.url)).toBe(true);
    const artifact = await expectValue(c.download(solo.files[0]!, ref('solo', '0.1')));
    expect(artifact.url.startsWith(extra.origin)).toBe(true);
  });

  it('fails the project when one index fails, rather than scanning a partial view', async () => {
    const main = await serve({ projects: demo() });
    const extra = await serve({ projects: demo() });
    extra.setFault({ kind: 'server-error', status: 500 });
    const err = await rejection(
      client(main, { extraIndexUrls: [extra.url], retries: 0 }).c.getProject('demo'),
    );
    expect(err.message).toMatch(new RegExp(`${extra.url}demo/: HTTP 500`));
  });
});

describe('artifact cache', () => {
  it('serves a second download of the same sha256 from disk, and re-downloads a corrupted entry', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'pmg-cache-'));
    dirs.push(cacheDir);
    const server = await serve({ projects: demo() });
    const r = ref('demo', '1.0');
    const first = client(server, { cacheDir });
    const [sdist] = (await expectValue(first.c.resolve(r))).files;
    const a = await expectValue(first.c.download(sdist!, r));
    const second = client(server, { cacheDir });
    const b = await expectValue(second.c.download(sdist!, r));
    expect(b.sha256).toBe(a.sha256);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
    expect(server.requests.filter((q) => q.kind === 'file')).toHaveLength(1);

    const shard = join(cacheDir, 'sha256', a.sha256.slice(0, 2));
    expect(readdirSync(shard)).toEqual([a.sha256]);
    writeFileSync(join(shard, a.sha256), 'tampered');
    const third = client(server, { cacheDir });
    const c = await expectValue(third.c.download(sdist!, r));
    expect(c.sha256).toBe(a.sha256);
    expect(server.requests.filter((q) => q.kind === 'file')).toHaveLength(2);
    expect(third.notices.join('\n')).toMatch(/did not match its name/);
  });
});
