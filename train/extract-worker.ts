// A worker thread of the corpus extraction: analyses the archives it is sent, one at a time.
import { parentPort } from 'node:worker_threads';
import { initFeatures } from '../src/features/index.js';
import { cachedAnalysis } from './corpus.js';

const ready = initFeatures();
parentPort?.on(
  'message',
  async (job: { index: number; path: string; cacheDir?: string; onlyCached?: boolean }) => {
    await ready;
    const result = await cachedAnalysis(job.path, job.cacheDir, job.onlyCached);
    parentPort?.postMessage({ index: job.index, result });
  },
);
