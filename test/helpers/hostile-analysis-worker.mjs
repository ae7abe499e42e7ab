// The analysis worker, except for two archives: bytes starting with CRASH kill it (an uncaught exception, as
// a wasm abort or a bug would), bytes starting with HANG! keep it busy forever (as a parse that never ends
// would). The pool must fail that job alone and carry on with a new worker.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// The real worker first: the port delivers queued jobs to the listeners present when the first one is added.
await import('../../src/action/analysis-worker.ts');
parentPort?.on('message', (job) => {
  const head = Buffer.from(job.bytes.subarray(0, 5)).toString();
  if (head === 'CRASH') throw new Error('simulated worker crash');
  if (head === 'HANG!') for (;;);
});
