import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython } from '../../src/python/index.js';
import { runRules } from '../../src/rules/index.js';
import { buildReport, outcome, scan, type ScanStages } from '../../src/scan.js';
import type { HistoryFile } from '../../src/signals/history.js';
import type { ParsedPage } from '../../src/registry/page.js';
import { createSignalsStage, type SignalsStageDeps } from '../../src/signals/stage.js';
import type { Analysis, ArchiveView, PackageRef } from '../../src/types.js';
import { startOsvServer } from '../servers/osv-server.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const now = new Date('2026-03-01T12:00:00Z');
const ref = (name: string, version: string): PackageRef => ({
  name,
  version,
  hashes: [],
  file: 'requirements.txt',
  line: 1,
});
const file = (name: string, version: string, daysAgo: number): HistoryFile => ({
  filename: `${name}-${version}.tar.gz`,
  version,
  uploadTime: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  yanked: false,
});

describe('createSignalsStage', () => {
  it('asks OSV once for the whole scan and combines OSV, typosquat and history signals', async () => {
    const osv = await startOsvServer({
      advisories: [
        { id: 'MAL-2026-7', summary: 'Malicious code', affected: [{ name: 'reqeusts', versions: ['1.0'] }] },
      ],
    });
    closers.push(osv.close);
    const stage = createSignalsStage({
      osv: { url: osv.url },
      now: () => now,
      getProject: async (name) =>
        name === 'reqeusts'
          ? { files: [file('reqeusts', '1.0', 0.5)], versions: ['1.0'] }
          : { files: [file(name, '1.0', 1900), file(name, '2.0', 900)], versions: ['1.0', '2.0'] },
    });
    await stage.prepare([ref('reqeusts', '1.0'), ref('six', '2.0')]);
    const squat = await stage.signals(ref('reqeusts', '1.0'), undefined);
    expect(squat.map((s) => s.id)).toEqual([
      'known-malware',
      'typosquat',
      'new-project',
      'fresh-upload',
      'single-release',
    ]);
    expect(squat[0]!.decisive).toBe(true);
    expect(await stage.signals(ref('six', '2.0'), undefined)).toEqual([]);
    expect(osv.requests.filter((r) => r.path === '/v1/querybatch')).toHaveLength(1);
  });

  it('goes on without OSV or the index page, with a notice for each', async () => {
    const osv = await startOsvServer({ advisories: [], failWith: 503 });
    closers.push(osv.close);
    const notices: string[] = [];
    const stage = createSignalsStage({
      osv: { url: osv.url },
      getProject: async () => {
        throw new Error('HTTP 500');
      },
      onNotice: (message) => notices.push(message),
    });
    await stage.prepare([ref('setup-tools', '1.0')]);
    const signals = await stage.signals(ref('setup-tools', '1.0'), undefined);
    expect(signals.map((s) => s.id)).toEqual(['typosquat']);
    expect(notices).toEqual([
      expect.stringContaining('HTTP 503'),
      'setup-tools: index history unavailable: HTTP 500',
    ]);
  });

  it('can be turned off piece by piece', async () => {
    const stage = createSignalsStage({ osv: false, typosquat: false });
    expect(await stage.signals(ref('setup-tools', '1.0'), undefined)).toEqual([]);
  });
});

// A pull request bumps a popular package by a patch release that gains a payload in setup.py. The archive
// and feature stages are stand-ins (source text per filename, parsed and run through the real rules).
describe('a hijacked patch release in a pull request', () => {
  beforeAll(() => initPython());

  const cleanSetup = "from setuptools import setup\nsetup(name='urllib3', version=VERSION)\n";
  const sources: Record<string, Record<string, string>> = {
    'urllib3-2.2.1.tar.gz': {
      'urllib3-2.2.1/setup.py': cleanSetup,
      'urllib3-2.2.1/urllib3/__init__.py': 'x = 1\n',
    },
    'urllib3-2.2.2.tar.gz': {
      'urllib3-2.2.2/setup.py': `import base64\n${cleanSetup}exec(base64.b64decode('cHJpbnQoMSk='))\n`,
      'urllib3-2.2.2/urllib3/__init__.py': 'x = 1\n',
    },
  };
  const view = (filename: string): ArchiveView => ({
    format: 'tar.gz',
    kind: 'sdist',
    status: 'ok',
    limitsHit: [],
    bytesRead: 0,
    entries: Object.entries(sources[filename]!).map(([path, text]) => ({
      path,
      type: 'file',
      size: text.length,
      data: new TextEncoder().encode(text),
    })),
  });
  const analyse = (archive: ArchiveView): Analysis => ({
    features: {},
    tokens: {},
    notes: [],
    evidence: archive.entries.flatMap((e) => runRules(parsePython(new TextDecoder().decode(e.data), e.path))),
  });

  it('fails the check with the diff as evidence', async () => {
    const signalsStage = createSignalsStage({
      osv: false,
      now: () => now,
      getProject: async () => ({
        files: [file('urllib3', '2.2.1', 400), file('urllib3', '2.2.2', 30)],
        versions: ['2.2.1', '2.2.2'],
      }),
      analyze: async (r) => analyse(view(`${r.name}-${r.version}.tar.gz`)),
    });
    const stages: ScanStages<string> = {
      resolve: async (r) => ({ ok: true, value: { files: [`${r.name}-${r.version}.tar.gz`] } }),
      download: async (filename, r) => ({
        ok: true,
        value: {
          ref: r,
          filename,
          kind: 'sdist',
          url: `http://127.0.0.1/${filename}`,
          sha256: filename,
          bytes: new Uint8Array(),
        },
      }),
      readArchive: (_bytes, filename) => view(filename),
      extractFeatures: analyse,
      signals: signalsStage.signals,
    };
    const [verdict] = await scan(
      [{ ref: ref('urllib3', '2.2.2'), change: 'changed', previous: ref('urllib3', '2.2.1') }],
      stages,
      { concurrency: 1, thresholds: { malicious: 0.9, suspicious: 0.5 }, allow: [], now: () => now },
    );
    const diff = verdict!.signals.find((s) => s.id === 'version-diff')!;
    expect(diff.message).toMatch(/^2\.2\.1 -> 2\.2\.2 adds .*exec-decoded-payload.* in setup\.py:4/);
    expect(diff.evidence!.map((e) => `${e.rule} ${e.path}:${e.line}`)).toContain(
      'exec-decoded-payload urllib3-2.2.2/setup.py:4',
    );
    expect(verdict!.verdict).toBe('malicious');
    const report = buildReport({
      tool: { name: 't', version: '0' },
      mode: 'diff',
      lockfiles: [],
      packages: [verdict!],
      startedAt: now,
      now,
    });
    expect(outcome(report, 'malicious')).toMatchObject({ failed: true, reason: '1 malicious package(s)' });
  });
});

describe('the registry adapter', () => {
  it('takes the index client page as it is (IndexFile carries filename, version, uploadTime, yanked)', () => {
    const page: ParsedPage = {
      files: [
        {
          filename: 'a-1.tar.gz',
          url: 'http://127.0.0.1/a-1.tar.gz',
          hashes: {},
          version: '1',
          kind: 'sdist',
          yanked: 'bad',
        },
      ],
      versions: ['1'],
    };
    // Compile-time: a ParsedPage is what getProject returns, with no mapping.
    const getProject: NonNullable<SignalsStageDeps['getProject']> = async () => page;
    expect(getProject).toBeTypeOf('function');
  });
});
