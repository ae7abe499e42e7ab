// A worker thread of the analysis pool (analysis-pool.ts): reads each archive it is sent and extracts its
// features, one job at a time, and sends back the view without entry bytes (the features are computed here,
// so the bytes need not cross back) and the analysis, or what failed. Bundled as dist/analysis-worker.js.
import { parentPort } from 'node:worker_threads';
import { readArchive } from '../archive/index.js';
import { extractFeatures, initFeatures } from '../features/index.js';
import type { AnalysisJob, AnalysisReply } from './analysis-pool.js';

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function run(job: AnalysisJob): Promise<AnalysisReply> {
  let view: Awaited<ReturnType<typeof readArchive>>;
  try {
    view = await readArchive(job.bytes, job.limits);
  } catch (err) {
    return { id: job.id, readError: message(err) };
  }
  const stripped = { ...view, entries: view.entries.map(({ data: _data, ...entry }) => entry) };
  try {
    await initFeatures();
    return { id: job.id, view: stripped, analysis: await extractFeatures(view, { budget: job.budget }) };
  } catch (err) {
    return { id: job.id, view: stripped, analysisError: message(err) };
  }
}

parentPort?.on('message', (job: AnalysisJob) => {
  parentPort?.postMessage({ id: job.id, started: true } satisfies AnalysisReply);
  run(job).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) => parentPort?.postMessage({ id: job.id, readError: message(err) }),
  );
});
