// Registry findings through scan(): a pinned release the index no longer has and a file whose hash differs
// from the lockfile's are signals for policy (listed once); a release with nothing analysed is unscannable. Runs the real
// index client and signals stage against the loopback index; only archive reading and analysis are fakes.
import { afterEach, describe, expect, it } from 'vitest';
import { createIndexClient, type IndexClient, type RegistryFile } from '../../src/registry/index.js';
import { type ScanItem, type ScanOptions, type ScanStages, scan } from '../../src/scan.js';
import { createSignalsStage } from '../../src/signals/index.js';
import type { Analysis, ArchiveView, PackageRef, Signal } from '../../src/types.js';
import {
  type IndexServer,
  type IndexServerOptions,
  servedRelease,
  startIndexServer,
} from '../servers/index-server.js';

const servers: IndexServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const ref = (name: string, version: string, hashes: string[] = []): PackageRef => ({
  name,
  version,
  hashes,
  file: 'requirements.txt',
  line: 1,
});

const options: ScanOptions = {
  concurrency: 2,
  thresholds: { malicious: 0.8, suspicious: 0.5 },
  allow: [],
  now: () => new Date('2025-01-01T00:00:00Z'),
};

const analysed: string[] = [];
const analysis = {
  readArchive: (bytes: Uint8Array, filename: string): ArchiveView => {
    analysed.push(filename);
    return {
      format: 'tar.gz',
      kind: 'sdist',
      entries: [],
      status: 'ok',
      limitsHit: [],
      bytesRead: bytes.length,
    };
  },
  extractFeatures: (): Analysis => ({ features: {}, tokens: {}, evidence: [], notes: [] }),
};

/** The real client and signals stage (history only: OSV and typosquats off) over a loopback index. */
async function setup(
  serverOptions: IndexServerOptions,
): Promise<{ server: IndexServer; stages: ScanStages<RegistryFile> }> {
  const server = await startIndexServer({ failOnUnexpected: true, ...serverOptions });
  servers.push(server);
  const client: IndexClient = createIndexClient({ indexUrl: server.url, retries: 0 });
  const signals = createSignalsStage({
    getProject: (name) => client.getProject(name),
    osv: false,
    typosquat: false,
    now: options.now,
  });
  analysed.length = 0;
  return {
    server,
    stages: {
      resolve: (r) => client.resolve(r),
      sha256Of: (f) => client.sha256Of(f),
      download: (f, r) => client.download(f, r),
      ...analysis,
      signals: (r, previous) => signals.signals(r, previous),
    },
  };
}

const items = (...refs: PackageRef[]): ScanItem[] => refs.map((r) => ({ ref: r }));
const old = { uploadTime: '2020-01-01T00:00:00Z' };

describe('registry findings in scan()', () => {
  it('a pinned project gone from the index is one release-missing signal and unscannable, never benign', async () => {
    const { stages } = await setup({ projects: { vanished: null } });
    const [verdict] = await scan(items(ref('vanished', '1.0')), stages, options);
    expect(verdict).toMatchObject({ status: 'error', verdict: 'unscannable', artifacts: [] });
    expect(verdict?.gaps?.[0]?.reason).toMatch(/vanished==1\.0: .*the project is not on the index/);
    // Reported once, in the registry's words (the history signal sees the same empty page).
    expect(verdict?.signals.filter((s) => s.id === 'release-missing').length).toBeLessThanOrEqual(1);
  });

  it('a pinned version missing from the file list is a release-missing signal next to the history ones', async () => {
    const { stages } = await setup({
      projects: { lib: { versions: [servedRelease('lib', '1.0', old), servedRelease('lib', '1.2', old)] } },
    });
    const [verdict] = await scan(items(ref('lib', '1.1')), stages, options);
    expect(verdict).toMatchObject({ status: 'error', verdict: 'unscannable' });
    expect(verdict?.signals.filter((s) => s.id === 'release-missing')).toHaveLength(1);
    expect(analysed).toEqual([]);
  });

  it('a file that differs from the locked hash makes the package malicious and names the file', async () => {
    const release = servedRelease('demo', '1.0', old);
    const { server, stages } = await setup({ projects: { demo: { versions: [release] } } });
    const locked = release.files.map((f) => `sha256:${server.sha256(f.bytes)}`);
    server.setFault({ kind: 'tamper', on: 'file', times: 1 }); // the sdist, fetched first
    const [verdict] = await scan(items(ref('demo', '1.0', locked)), stages, options);
    expect(verdict).toMatchObject({ status: 'ok', verdict: 'malicious' });
    const mismatch = verdict?.signals.find((s) => s.id === 'hash-mismatch');
    expect(mismatch).toMatchObject({ severity: 'critical', decisive: true });
    expect(mismatch?.message).toMatch(
      /demo-1\.0\.tar\.gz: downloaded file differs from the one the index lists/,
    );
    expect(verdict?.reasons[0]).toMatch(/^decisive signal hash-mismatch/);
    // The wheel was fine and was analysed; the tampered sdist never reached the archive reader.
    expect(verdict?.artifacts.map((a) => a.filename)).toEqual(['demo-1.0-py3-none-any.whl']);
    expect(analysed).toEqual(['demo-1.0-py3-none-any.whl']);
  });

  it('no file of the release matching the lockfile is malicious with nothing downloaded', async () => {
    const { server, stages } = await setup({
      projects: { demo: { versions: [servedRelease('demo', '1.0', old)] } },
    });
    const [verdict] = await scan(items(ref('demo', '1.0', [`sha256:${'0'.repeat(64)}`])), stages, options);
    expect(verdict).toMatchObject({ status: 'error', verdict: 'malicious', artifacts: [] });
    expect(verdict?.signals.map((s) => s.id)).toContain('hash-mismatch');
    expect(server.requests.filter((r) => r.kind === 'file')).toHaveLength(0);
  });

  it('an index that cannot be reached makes the package unscannable, with the reason', async () => {
    const { server, stages } = await setup({
      projects: { demo: { versions: [servedRelease('demo', '1.0')] } },
    });
    server.setFault({ kind: 'server-error', status: 503 });
    const [verdict] = await scan(items(ref('demo', '1.0')), stages, options);
    expect(verdict).toMatchObject({ status: 'error', verdict: 'unscannable' });
    expect(verdict?.error).toMatch(/demo==1\.0: GET .*demo\/: HTTP 503/);
  });
});

describe('finding deduplication', () => {
  it('drops only the signals a finding already reports (each OSV advisory stays)', async () => {
    const malware = (id: string): Signal => ({
      id: 'known-malware',
      severity: 'critical',
      decisive: true,
      message: id,
    });
    const stages: ScanStages<never> = {
      resolve: async () => ({
        ok: false,
        finding: { id: 'release-missing', severity: 'medium', message: 'registry: gone' },
      }),
      download: async () => {
        throw new Error('not called');
      },
      ...analysis,
      signals: async () => [
        { id: 'release-missing', severity: 'medium', message: 'history: gone' },
        malware('MAL-1'),
        malware('MAL-2'),
      ],
    };
    const [verdict] = await scan(items(ref('evil', '6.6')), stages, options);
    expect(verdict?.signals.map((s) => s.message)).toEqual(['registry: gone', 'MAL-1', 'MAL-2']);
    expect(verdict).toMatchObject({ status: 'error', verdict: 'malicious' });
  });
});
