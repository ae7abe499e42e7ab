// `pypi-malware-gate fetch` through the CLI's main() with an injected io, against the loopback index.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseRequirement, safeFilename } from '../../src/cli/commands/fetch.js';
import { runCli } from '../helpers/cli.js';
import {
  type IndexServer,
  type ServedVersion,
  servedRelease,
  startIndexServer,
} from '../servers/index-server.js';

const root = mkdtempSync(join(tmpdir(), 'pmg-fetch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const servers: IndexServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let runs = 0;
async function run(args: string[], env: Record<string, string> = {}) {
  const cwd = join(root, `run${runs++}`);
  const { code, stdout, stderr } = await runCli(['fetch', ...args], cwd, env);
  const listing = (dir: string) => {
    try {
      return readdirSync(join(cwd, dir)).sort();
    } catch {
      return [];
    }
  };
  return { code, stdout, stderr, cwd, listing };
}

async function serve(versions: ServedVersion[], name = 'demo') {
  const server = await startIndexServer({ projects: { [name]: { versions } }, failOnUnexpected: true });
  servers.push(server);
  return server;
}

describe('fetch command', () => {
  it('downloads the sdist and the wheel, verified, into --out, one line per file', async () => {
    const release = servedRelease('demo', '1.0');
    const server = await serve([release]);
    const r = await run(['demo==1.0', '--index-url', server.url, '--out', 'dl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [sdist, wheel] = release.files;
    expect(r.stdout).toBe(
      `demo-1.0.tar.gz  sha256:${server.sha256(sdist!.bytes)}  ${sdist!.bytes.length} bytes\n` +
        `demo-1.0-py3-none-any.whl  sha256:${server.sha256(wheel!.bytes)}  ${wheel!.bytes.length} bytes\n`,
    );
    expect(r.listing('dl')).toEqual(['demo-1.0-py3-none-any.whl', 'demo-1.0.tar.gz']);
    expect(readFileSync(join(r.cwd, 'dl', 'demo-1.0.tar.gz')).equals(Buffer.from(sdist!.bytes))).toBe(true);
  });

  it('fetches the wheel pip installs on Linux beside the pure one, and notes the wheels left out', async () => {
    const release = servedRelease('demo', '1.0');
    const wheel = release.files[1]!.bytes;
    release.files.push(
      { filename: 'demo-1.0-cp312-cp312-manylinux_2_28_x86_64.whl', bytes: wheel },
      { filename: 'demo-1.0-cp312-cp312-manylinux_2_28_ppc64le.whl', bytes: wheel },
    );
    const server = await serve([release]);
    const r = await run(['demo==1.0', '--index-url', server.url, '--out', 'dl']);
    expect(r.code).toBe(0);
    expect(r.listing('dl')).toEqual([
      'demo-1.0-cp312-cp312-manylinux_2_28_x86_64.whl',
      'demo-1.0-py3-none-any.whl',
      'demo-1.0.tar.gz',
    ]);
    expect(r.stderr).toMatch(
      /^note: demo==1\.0: not analysed \(no target installs it \(linux-x86_64, windows-amd64, macos-arm64; CPython 3\.9-3\.14\)\): demo-1\.0-cp312-cp312-manylinux_2_28_ppc64le\.whl$/m,
    );
  });

  it('prints one JSON object per requirement with --json', async () => {
    const server = await serve([servedRelease('demo', '1.0'), servedRelease('demo', '1.1')]);
    const r = await run(['demo==1.0', 'demo>=1', '--index-url', server.url, '--json', '--out', '.']);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.requirement, l.version, l.files.length, l.findings, l.errors])).toEqual([
      ['demo==1.0', '1.0', 2, [], []],
      ['demo>=1', '1.1', 2, [], []],
    ]);
    expect(lines[0].files[0]).toMatchObject({
      filename: 'demo-1.0.tar.gz',
      kind: 'sdist',
      path: join(r.cwd, 'demo-1.0.tar.gz'),
    });
    expect(r.stderr).toMatch(/demo >=1 is not pinned: scanned 1\.1.*not reproducible/);
  });

  it('reports a missing release as a finding and exits 1', async () => {
    const server = await serve([servedRelease('demo', '1.0')]);
    const r = await run(['demo==0.9', '--index-url', server.url, '--out', 'dl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^finding release-missing \(medium\): demo==0\.9: the index has demo but no file/,
    );
    expect(r.listing('dl')).toEqual([]);
  });

  it('writes nothing for a file whose hash differs, and exits 1 with a decisive finding', async () => {
    const release = servedRelease('demo', '1.0');
    release.files[0]!.sha256 = 'ab'.repeat(32);
    const server = await serve([release]);
    const r = await run(['demo==1.0', '--index-url', server.url, '--out', 'dl']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^demo-1\.0-py3-none-any\.whl {2}sha256:/m);
    expect(r.stdout).toMatch(
      /^finding hash-mismatch \(critical, decisive\): demo-1\.0\.tar\.gz: downloaded file differs/m,
    );
    expect(r.listing('dl')).toEqual(['demo-1.0-py3-none-any.whl']);
  });

  it('checks --hash as a lockfile hash', async () => {
    const release = servedRelease('demo', '1.0');
    const server = await serve([release]);
    const good = `sha256:${server.sha256(release.files[1]!.bytes)}`;
    const ok = await run(['demo==1.0', '--index-url', server.url, '--hash', good, '--out', '.']);
    expect(ok.code).toBe(0);
    expect(ok.listing('.')).toEqual(['demo-1.0-py3-none-any.whl']);
    const bad = await run([
      'demo==1.0',
      '--index-url',
      server.url,
      '--hash',
      `sha256:${'0'.repeat(64)}`,
      '--out',
      '.',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/finding hash-mismatch .*differ from the ones the lockfile pins/);
    expect(bad.listing('.')).toEqual([]);
  });

  it('keeps a hostile index filename inside --out and off the terminal', async () => {
    const evil = { filename: '../../\u001b[2Jevil-1.0.tar.gz', bytes: new Uint8Array([0x1f, 0x8b, 0, 0]) };
    const server = await serve([{ version: '1.0', files: [evil] }], 'evil');
    const r = await run(['evil==1.0', '--index-url', server.url, '--out', 'dl']);
    expect(r.code).toBe(0);
    expect(r.listing('dl')).toEqual([safeFilename(evil.filename)]);
    expect(readdirSync(r.cwd)).toEqual(['dl']);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('reports an index it cannot ask as an error, exit 1', async () => {
    // Port 9 is one fetch refuses outright: a permanent error, reported without retries.
    const r = await run(['demo==1.0', '--index-url', 'http://127.0.0.1:9/simple/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: GET http://127.0.0.1:9/simple/demo/: network error: bad port\n');
  });

  it('exits 2 on usage mistakes', async () => {
    for (const args of [
      [],
      ['demo 1.0'],
      ['demo==1.0', '--index-url', 'ftp://x/'],
      ['demo==1.0', '--bogus'],
      ['demo==1', '--hash', 'nothex'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^pypi-malware-gate fetch: /);
    }
  });
});

describe('requirement and filename helpers', () => {
  it('parses pins, ranges and bare names', () => {
    expect(parseRequirement('Demo_Pkg==1.0', [])).toMatchObject({ name: 'demo-pkg', version: '1.0' });
    expect(parseRequirement('demo>=1,<2', [])).toMatchObject({ version: null, specifier: '>=1,<2' });
    expect(parseRequirement('demo==1.*', [])).toMatchObject({ version: null, specifier: '==1.*' });
    expect(parseRequirement('demo', [])).toMatchObject({ version: null });
    expect(() => parseRequirement('../x==1', [])).toThrow(/not a requirement/);
  });

  it('makes filenames single safe path components', () => {
    expect(safeFilename('demo-1.0.tar.gz')).toBe('demo-1.0.tar.gz');
    expect(safeFilename('../../etc/passwd')).toBe('___.._etc_passwd');
    expect(safeFilename('..')).toBe('__');
    expect(safeFilename('')).toBe('artifact');
    expect(safeFilename('a\u0000b/c\\d')).toBe('a_b_c_d');
  });
});
