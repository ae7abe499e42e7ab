// The analysis worker, except that an archive whose bytes start with CRASH kills it (an uncaught exception,
// as a wasm abort or a bug would): the pool must fail that job alone and carry on with a new worker.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// The real worker first: the port delivers queued jobs to the listeners present when the first one is added.
await import('../../src/action/analysis-worker.ts');
parentPort?.on('message', (job) => {
  if (Buffer.from(job.bytes.subarray(0, 5)).toString() === 'CRASH') throw new Error('simulated worker crash');
});
