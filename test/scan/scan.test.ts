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

/**
 * Fake stages: a package's "bytes" are its name (a wheel's: its name + '.whl'); names starting with 'evil'
 * yield critical evidence. 'bomb' ships an honest sdist and a wheel the reader refuses at the ratio
 * limit; 'evilbomb' the same with the payload in the part that was read; 'gappy' a file the extractor
 * could not parse; 'gone' a release the index does not serve; 'tampered' an sdist whose bytes differ from
 * the stated hash beside an honest wheel; 'shaped' a download that throws an error carrying a signal.
 */
function releaseFiles(name: string): FakeFile[] {
  if (name === 'empty') return [];
  if (name === 'half')
    return [
      { filename: 'half-1.0.tar.gz', sha256: 'a1' },
      { filename: 'broken.whl', sha256: 'b2' },
    ];
  if (name === 'bomb' || name === 'evilbomb' || name === 'tampered')
    return [
      { filename: `${name}-1.0.tar.gz`, sha256: `sha-${name}` },
      { filename: `${name}-1.0-py3-none-any.whl`, sha256: `sha-${name}-whl` },
    ];
  return [{ filename: `${name}-1.0.tar.gz`, sha256: `sha-${name}` }];
}

function fakeStages(calls: string[] = []): ScanStages<FakeFile> {
  return {
    async resolve(r) {
      calls.push(`resolve ${r.name}`);
      if (r.name === 'missing') throw new Error('404 from index');
      if (r.name === 'gone')
        return {
          ok: false,
          finding: { id: 'release-missing', severity: 'medium', message: 'gone==1.0 is not on the index' },
        };
      return { ok: true, value: { files: releaseFiles(r.name) } };
    },
    sha256Of: (f) => f.sha256,
    async download(file, r) {
      calls.push(`download ${file.filename}`);
      if (file.filename === 'broken.whl' || r.name === 'nodl')
        throw new Error(`${file.filename}: connection reset`);
      if (file.filename === 'tampered-1.0.tar.gz')
        return {
          ok: false,
          finding: {
            id: 'hash-mismatch',
            severity: 'critical',
            decisive: true,
            message: `${file.filename}: differs from the stated hash`,
          },
        };
      if (r.name === 'shaped')
        throw Object.assign(new Error(`${file.filename}: reset`), {
          signal: { id: 'hash-mismatch', severity: 'critical', decisive: true, message: 'thrown' },
        });
      return {
        ok: true,
        value: {
          ref: r,
          filename: file.filename,
          kind: 'sdist',
          url: `http://x/${file.filename}`,
          sha256: file.sha256,
          bytes: new TextEncoder().encode(file.filename.endsWith('.whl') ? `${r.name}.whl` : r.name),
        },
      };
    },
    readArchive(bytes): ArchiveView {
      const name = new TextDecoder().decode(bytes);
      if (name === 'bomb.whl' || name === 'evilbomb.whl')
        return {
          format: 'zip',
          kind: 'wheel',
          // What was read before the limit stopped the reader.
          entries: [
            { path: name === 'bomb.whl' ? 'bomb/__init__.py' : 'evil/__init__.py', type: 'file', size: 0 },
          ],
          status: 'error',
          error: 'compression ratio limit exceeded',
          limitsHit: ['ratio'],
          bytesRead: 0,
        };
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
      return {
        features: {},
        tokens: {},
        evidence: name.startsWith('evil') ? [bad] : [],
        notes: [],
        ...(name === 'gappy'
          ? { gaps: [{ stage: 'parse' as const, path: 'gappy/setup.py', reason: 'too large to parse' }] }
          : {}),
      };
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
      ['missing', 'unscannable'],
      ['empty', 'unscannable'],
      ['nodl', 'unscannable'],
      ['corrupt', 'unscannable'],
      ['half', 'unscannable'],
    ]);
    expect(results[0]!.gaps).toBeUndefined();
    expect(results[2]!.error).toMatch(/missing==1\.0: 404 from index/);
    expect(results[2]!.gaps).toEqual([{ stage: 'resolve', reason: 'missing==1.0: 404 from index' }]);
    expect(results[3]!.gaps![0]!.reason).toMatch(/offers no artifact/);
    expect(results[4]!.gaps).toEqual([
      { stage: 'download', artifact: 'nodl-1.0.tar.gz', reason: 'nodl-1.0.tar.gz: connection reset' },
    ]);
    expect(results[5]!.gaps).toEqual([
      {
        stage: 'archive',
        artifact: 'corrupt-1.0.tar.gz',
        reason: 'the archive could not be read in full: not an archive',
      },
    ]);
    // One artifact of two failed: the other was analysed, but what pip could install was not.
    expect(results[6]).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(results[6]!.gaps).toEqual([
      { stage: 'download', artifact: 'broken.whl', reason: 'broken.whl: connection reset' },
    ]);
    expect(results[6]!.error).toBe('broken.whl: download: broken.whl: connection reset');
    expect(results[6]!.reasons[0]).toMatch(/^not analysed: broken\.whl: download: .*connection reset/);
    expect(results[1]!.evidence[0]).toMatchObject({ path: 'evil-1.0/setup.py', line: 4 });
  });

  it('an honest sdist does not vouch for a wheel the reader refused (issue 10 item 4)', async () => {
    const [r] = await scan([{ ref: ref('bomb') }], fakeStages(), options);
    expect(r).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(r!.artifacts.map((a) => a.filename)).toEqual(['bomb-1.0.tar.gz', 'bomb-1.0-py3-none-any.whl']);
    expect(r!.gaps).toEqual([
      {
        stage: 'archive',
        artifact: 'bomb-1.0-py3-none-any.whl',
        reason: 'the archive could not be read in full: compression ratio limit exceeded (limits hit: ratio)',
      },
    ]);
  });

  it('malicious evidence in what was read wins over the gap', async () => {
    const [r] = await scan([{ ref: ref('evilbomb') }], fakeStages(), options);
    expect(r).toMatchObject({ verdict: 'malicious' });
    expect(r!.gaps).toHaveLength(1);
  });

  it("carries the extractor's gaps with the artifact that has them", async () => {
    const [r] = await scan([{ ref: ref('gappy') }], fakeStages(), options);
    expect(r).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(r!.gaps).toEqual([
      { stage: 'parse', artifact: 'gappy-1.0.tar.gz', path: 'gappy/setup.py', reason: 'too large to parse' },
    ]);
  });

  it('a release the index does not serve is unscannable and carries the release-missing signal', async () => {
    const [r] = await scan([{ ref: ref('gone') }], fakeStages(), options);
    expect(r).toMatchObject({ status: 'error', verdict: 'unscannable' });
    expect(r!.signals.map((s) => s.id)).toEqual(['release-missing']);
    expect(r!.gaps![0]!.reason).toMatch(/nothing was analysed: gone==1\.0 is not on the index/);
  });

  it('a download that answers with a finding is evidence and a gap for that file; the other file is analysed', async () => {
    const [r] = await scan([{ ref: ref('tampered') }], fakeStages(), options);
    expect(r).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(r!.signals).toEqual([
      expect.objectContaining({ id: 'hash-mismatch', severity: 'critical', decisive: true }),
    ]);
    expect(r!.artifacts.map((a) => a.filename)).toEqual(['tampered-1.0-py3-none-any.whl']);
    expect(r!.gaps).toEqual([
      {
        stage: 'download',
        artifact: 'tampered-1.0.tar.gz',
        reason: 'tampered-1.0.tar.gz: differs from the stated hash',
      },
    ]);
  });

  it('a thrown error is a failure even when it carries a signal: only a returned finding is evidence', async () => {
    const [r] = await scan([{ ref: ref('shaped') }], fakeStages(), options);
    expect(r).toMatchObject({ status: 'error', verdict: 'unscannable', signals: [] });
    expect(r!.gaps![0]).toMatchObject({ stage: 'download', reason: 'shaped-1.0.tar.gz: reset' });
  });

  it('an allow entry lets an unscannable package through and keeps what was not analysed', async () => {
    const [r] = await scan([{ ref: ref('bomb') }], fakeStages(), {
      ...options,
      allow: [{ package: 'bomb', version: '1.0', reason: 'wheel reviewed by hand' }],
    });
    expect(r).toMatchObject({ verdict: 'allowed', allowedBy: 'wheel reviewed by hand' });
    expect(r!.gaps).toHaveLength(1);
    expect(r!.reasons.join('\n')).toMatch(/not analysed: bomb-1\.0-py3-none-any\.whl/);
  });

  it('does not scan direct references it cannot fetch from an index, and says so', async () => {
    const calls: string[] = [];
    for (const source of ['vcs', 'url', 'path'] as const) {
      const [r] = await scan(
        [{ ref: ref('dep', { source, url: 'git+https://example.org/dep.git' }) }],
        fakeStages(calls),
        options,
      );
      expect(r).toMatchObject({ status: 'error', verdict: 'unscannable' });
      expect(r!.gaps![0]).toMatchObject({ stage: 'resolve' });
      expect(r!.error).toMatch(
        new RegExp(`direct ${source} reference git\\+https://example\\.org/dep\\.git`),
      );
    }
    expect(calls).toEqual([]);
  });

  it('uses the verdict cache by sha256 and model version, skipping the download', async () => {
    const store = new Map<string, unknown>();
    const cache: VerdictCache = {
      get: async (k) => store.get(JSON.stringify(k)) as never,
      set: async (k, v) => void store.set(JSON.stringify(k), v),
    };
    const calls: string[] = [];
    const opts = { ...options, cache, modelVersion: 'm1' };
    await scan([{ ref: ref('evil') }], fakeStages(calls), opts);
    const second = await scan([{ ref: ref('evil') }], fakeStages(calls), opts);
    expect(calls.filter((c) => c.startsWith('download'))).toHaveLength(1);
    expect(second[0]!.verdict).toBe('malicious');
    expect([...store.keys()]).toEqual([JSON.stringify({ sha256: 'sha-evil', modelVersion: 'm1' })]);
  });

  it('applies rule settings after the cache, so a cached verdict follows a changed config', async () => {
    const store = new Map<string, unknown>();
    const cache: VerdictCache = {
      get: async (k) => store.get(JSON.stringify(k)) as never,
      set: async (k, v) => void store.set(JSON.stringify(k), v),
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
    expect(outcome(report(clean), 'malicious')).toEqual({ failed: false, warnings: [] });
    expect(outcome(report(evil), 'malicious').failed).toBe(true);
    expect(outcome(report(evil), 'never').failed).toBe(false);
    expect(outcome(report(broken), 'never')).toMatchObject({
      failed: true,
      reason: expect.stringMatching(/nothing was scanned/),
    });
    expect(outcome(report([], true), 'malicious').failed).toBe(true);
    // A pull request in a repository with no lockfile passes, with a warning that nothing was checked.
    expect(outcome(report([]), 'malicious')).toEqual({
      failed: false,
      warnings: [expect.stringMatching(/no Python lockfile was found/)],
    });
    expect(report(evil).counts).toEqual({
      scanned: 1,
      malicious: 1,
      suspicious: 0,
      unscannable: 0,
      errors: 0,
    });
  });

  it('fails on an unscannable package by default, even when the rest was scanned and fail-on is never', async () => {
    const packages = await scan([{ ref: ref('ok') }, { ref: ref('bomb') }], fakeStages(), options);
    const r = report(packages);
    expect(r.counts).toEqual({ scanned: 1, malicious: 0, suspicious: 0, unscannable: 1, errors: 0 });
    expect(outcome(r, 'malicious')).toEqual({
      failed: true,
      reason: '1 unscannable package(s)',
      warnings: [],
    });
    expect(outcome(r, 'never').failed).toBe(true);
  });

  it('fail-on-unscannable false turns unscannable packages and lockfile errors into a warning, never silence', async () => {
    const packages = await scan([{ ref: ref('ok') }, { ref: ref('bomb') }], fakeStages(), options);
    const result = outcome(report(packages, true), 'malicious', { failOnUnscannable: false });
    expect(result.failed).toBe(false);
    expect(result.warnings).toEqual([
      '1 unscannable package(s), 1 lockfile error(s) (not failing: fail-on-unscannable is false)',
    ]);
    // Malicious still fails next to it.
    const evil = await scan([{ ref: ref('evil') }, { ref: ref('bomb') }], fakeStages(), options);
    expect(outcome(report(evil), 'malicious', { failOnUnscannable: false }).failed).toBe(true);
  });

  it('a run that analysed nothing fails whatever the settings', async () => {
    const packages = await scan([{ ref: ref('bomb') }, { ref: ref('missing') }], fakeStages(), options);
    expect(outcome(report(packages), 'never', { failOnUnscannable: false })).toMatchObject({
      failed: true,
      reason: 'nothing was scanned: 2 unscannable package(s), 0 lockfile error(s)',
    });
  });

  it('a run of only allowed unscannable packages passes: the allow entries are explicit', async () => {
    const packages = await scan([{ ref: ref('bomb') }], fakeStages(), {
      ...options,
      allow: [{ package: 'bomb', reason: 'reviewed' }],
    });
    const r = report(packages);
    expect(r.counts).toMatchObject({ scanned: 0, unscannable: 0 });
    expect(outcome(r, 'malicious').failed).toBe(false);
  });

  it('a full audit that found no lockfile fails; a diff with nothing changed passes', () => {
    const empty = (mode: 'full' | 'diff') =>
      buildReport({
        tool: { name: 'pypi-malware-gate', version: '0' },
        mode,
        lockfiles: [],
        packages: [],
        startedAt: new Date(0),
        now: new Date(1),
      });
    expect(outcome(empty('full'), 'malicious', { failOnUnscannable: false })).toMatchObject({
      failed: true,
      reason: 'nothing was scanned: no lockfile was found (full mode)',
    });
    expect(outcome(empty('diff'), 'malicious').failed).toBe(false);
  });

  it('counts lockfile entry errors, not only whole-file errors', () => {
    const r = buildReport({
      tool: { name: 'pypi-malware-gate', version: '0' },
      mode: 'full',
      lockfiles: [
        {
          file: 'r.txt',
          format: 'requirements',
          packages: [],
          issues: [
            { file: 'r.txt', line: 2, kind: 'error', message: 'bad entry' },
            { file: 'r.txt', line: 3, kind: 'skipped', message: 'the project itself' },
          ],
          status: 'ok',
        },
      ],
      packages: [],
      startedAt: new Date(0),
      now: new Date(1),
    });
    expect(r.counts.errors).toBe(1);
    expect(outcome(r, 'malicious').failed).toBe(true);
  });
});
