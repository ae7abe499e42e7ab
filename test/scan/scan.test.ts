import { describe, expect, it } from 'vitest';
import { buildReport, outcome, type ScanStages, scan, type VerdictCache } from '../../src/scan.js';
import type { Analysis, ArchiveView, Evidence, PackageRef } from '../../src/types.js';

const ref = (name: string, extra: Partial<PackageRef> = {}): PackageRef => ({
  name,
  version: '1.0',
  hashes: [],
  file: 'requirements.txt',
  line: 1,
  ...extra,
});
const bad: Evidence = {
  rule: 'install-exec-b64',
  category: 'dynamic-code',
  severity: 'critical',
  path: 'evil-1.0/setup.py',
  line: 4,
  snippet: 'exec(b64decode(...))',
  context: 'install',
};

interface FakeFile {
  filename: string;
  sha256: string;
}

/** Fake stages: a package's "bytes" are its name; names starting with 'evil' yield critical evidence. */
function fakeStages(calls: string[] = []): ScanStages<FakeFile> {
  return {
    async resolve(r) {
      calls.push(`resolve ${r.name}`);
      if (r.name === 'missing') throw new Error('404 from index');
      if (r.name === 'empty') return { files: [] };
      if (r.name === 'half')
        return {
          files: [
            { filename: 'half-1.0.tar.gz', sha256: 'a1' },
            { filename: 'broken.whl', sha256: 'b2' },
          ],
        };
      return { files: [{ filename: `${r.name}-1.0.tar.gz`, sha256: `sha-${r.name}` }] };
    },
    sha256Of: (f) => f.sha256,
    async download(file, r) {
      calls.push(`download ${file.filename}`);
      if (file.filename === 'broken.whl' || r.name === 'nodl')
        throw new Error(`${file.filename}: connection reset`);
      return {
        ref: r,
        filename: file.filename,
        kind: 'sdist',
        url: `http://x/${file.filename}`,
        sha256: file.sha256,
        bytes: new TextEncoder().encode(r.name),
      };
    },
    readArchive(bytes): ArchiveView {
      const name = new TextDecoder().decode(bytes);
      if (name === 'corrupt')
        return {
          format: 'unknown',
          kind: 'unknown',
          entries: [],
          status: 'error',
          error: 'not an archive',
          limitsHit: [],
          bytesRead: 0,
        };
      return {
        format: 'tar.gz',
        kind: 'sdist',
        entries: [{ path: name, type: 'file', size: 0 }],
        status: 'ok',
        limitsHit: [],
        bytesRead: 0,
      };
    },
    extractFeatures(view): Analysis {
      const name = view.entries[0]!.path;
      return { features: {}, tokens: {}, evidence: name.startsWith('evil') ? [bad] : [], notes: [] };
    },
  };
}

const options = {
  concurrency: 3,
  thresholds: { malicious: 0.8, suspicious: 0.5 },
  allow: [],
  now: () => new Date('2026-01-01T00:00:00Z'),
};

describe('scan', () => {
  it('gives each package a verdict, in input order, with errors as values', async () => {
    const names = ['ok', 'evil', 'missing', 'empty', 'nodl', 'corrupt', 'half'];
    const results = await scan(
      names.map((n) => ({ ref: ref(n) })),
      fakeStages(),
      options,
    );
    expect(results.map((r) => [r.ref.name, r.verdict])).toEqual([
      ['ok', 'benign'],
      ['evil', 'malicious'],
      ['missing', 'error'],
      ['empty', 'error'],
      ['nodl', 'error'],
      ['corrupt', 'error'],
      ['half', 'benign'],
    ]);
    expect(results[2]!.error).toMatch(/missing==1\.0: 404 from index/);
    expect(results[5]!.error).toMatch(/cannot read archive: not an archive/);
    // One artifact of two failed: still scanned, and the failure is reported, not dropped.
    expect(results[6]!.status).toBe('ok');
    expect(results[6]!.reasons.join('\n')).toMatch(/broken\.whl: connection reset/);
    expect(results[1]!.evidence[0]).toMatchObject({ path: 'evil-1.0/setup.py', line: 4 });
  });

  it('does not scan direct references it cannot fetch from an index, and says so', async () => {
    const [r] = await scan([{ ref: ref('gitdep', { source: 'vcs' }) }], fakeStages(), options);
    expect(r).toMatchObject({ verdict: 'error' });
    expect(r!.error).toMatch(/vcs reference/);
  });

  it('uses the verdict cache by sha256 and model version, skipping the download', async () => {
    const store = new Map<string, unknown>();
    const cache: VerdictCache = {
      get: async (k) => store.get(k) as never,
      set: async (k, v) => void store.set(k, v),
    };
    const calls: string[] = [];
    const opts = { ...options, cache, modelVersion: 'm1' };
    await scan([{ ref: ref('evil') }], fakeStages(calls), opts);
    const second = await scan([{ ref: ref('evil') }], fakeStages(calls), opts);
    expect(calls.filter((c) => c.startsWith('download'))).toHaveLength(1);
    expect(second[0]!.verdict).toBe('malicious');
    expect([...store.keys()]).toEqual(['sha-evil:m1']);
  });

  it('applies rule settings after the cache, so a cached verdict follows a changed config', async () => {
    const store = new Map<string, unknown>();
    const cache: VerdictCache = {
      get: async (k) => store.get(k) as never,
      set: async (k, v) => void store.set(k, v),
    };
    const opts = { ...options, cache, modelVersion: 'm1' };
    const [first] = await scan([{ ref: ref('evil') }], fakeStages(), opts);
    expect(first!.verdict).toBe('malicious');
    const [off] = await scan([{ ref: ref('evil') }], fakeStages(), {
      ...opts,
      rules: { 'install-exec-b64': { enabled: false } },
    });
    expect(off!.evidence).toEqual([]);
    const [lowered] = await scan([{ ref: ref('evil') }], fakeStages(), {
      ...opts,
      rules: { 'install-exec-b64': { severity: 'low' } },
    });
    expect(lowered!.evidence[0]!.severity).toBe('low');
    expect(store.size).toBe(1);
  });

  it('applies the allowlist through policy', async () => {
    const [r] = await scan([{ ref: ref('evil') }], fakeStages(), {
      ...options,
      allow: [{ package: 'evil', reason: 'our own test fixture' }],
    });
    expect(r).toMatchObject({ verdict: 'allowed', allowedBy: 'our own test fixture' });
  });

  it('never has more than `concurrency` packages in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const stages = fakeStages();
    const resolve = stages.resolve;
    stages.resolve = async (r) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, 2));
      inFlight--;
      return resolve(r);
    };
    await scan(
      Array.from({ length: 20 }, (_, i) => ({ ref: ref(`p${i}`) })),
      stages,
      { ...options, concurrency: 4 },
    );
    expect(peak).toBe(4);
  });
});

describe('outcome', () => {
  const report = (packages: Awaited<ReturnType<typeof scan>>, lockfileError = false) =>
    buildReport({
      tool: { name: 'pypi-malware-gate', version: '0' },
      mode: 'diff',
      lockfiles: lockfileError
        ? [{ file: 'r.txt', format: 'requirements', packages: [], issues: [], status: 'error', error: 'bad' }]
        : [],
      packages,
      startedAt: new Date(0),
      now: new Date(5),
    });

  it('fails on malicious, passes on benign, and fails when errors left nothing scanned', async () => {
    const stages = fakeStages();
    const clean = await scan([{ ref: ref('ok') }], stages, options);
    const evil = await scan([{ ref: ref('evil') }], stages, options);
    const broken = await scan([{ ref: ref('missing') }], stages, options);
    expect(outcome(report(clean), 'malicious').failed).toBe(false);
    expect(outcome(report(evil), 'malicious').failed).toBe(true);
    expect(outcome(report(evil), 'never').failed).toBe(false);
    expect(outcome(report(broken), 'never')).toMatchObject({
      failed: true,
      reason: expect.stringMatching(/nothing was scanned/),
    });
    expect(outcome(report([], true), 'malicious').failed).toBe(true);
    expect(report(evil).counts).toEqual({ scanned: 1, malicious: 1, suspicious: 0, errors: 0 });
  });
});
