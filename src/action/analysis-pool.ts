// Reading and analysing archives off the main thread: a pool of worker threads, one per core, each reading
// one archive and extracting its features at a time, so downloads and the other packages' requests go on
// while the cores parse. What a job's failure becomes is the caller's (a gap of that package): a worker
// that dies (a crash, its heap limit) fails only the job it held, and the next job gets a new worker.
// Hand-written (about 100 lines): the maintained pools (piscina, tinypool) add a dependency each for what a
// queue and a Worker per slot do here, and neither lets a job's failure stay a value without wrapping.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ArchiveLimits, readArchive } from '../archive/index.js';
import type { AnalysisBudget } from '../features/budget.js';
import { extractFeatures, initFeatures } from '../features/index.js';
import type { Analysis, ArchiveView } from '../types.js';

export interface AnalysisJob {
  id: number;
  bytes: Uint8Array;
  limits?: Partial<ArchiveLimits>;
  /** The package's analysis budget (src/features/budget.ts). */
  budget?: Partial<AnalysisBudget>;
}

/**
 * A worker's messages about a job: it started (the time limit counts from here, not from the worker's own
 * start-up), then the reader threw, or the view (entries without bytes) and the analysis or its error.
 */
export type AnalysisReply =
  | { id: number; started: true }
  | { id: number; readError: string }
  | { id: number; view: ArchiveView; analysis?: Analysis; analysisError?: string };

/** One archive read and analysed: the analysis, or why extractFeatures threw. */
export interface ArchiveAnalysis {
  view: ArchiveView;
  analysis?: Analysis;
  analysisError?: string;
}

export interface AnalysisPool {
  /** Rejects when the archive cannot be read at all (the reader threw, or its worker stopped). */
  analyse(bytes: Uint8Array, filename: string): Promise<ArchiveAnalysis>;
  /** Stops the workers (the pool also lets the process exit while idle). */
  close(): Promise<void>;
  readonly threads: number;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The same work in this thread: for runs from source (no bundled worker) and one-file commands. */
export function inlineAnalysis(
  limits?: Partial<ArchiveLimits>,
  budget?: Partial<AnalysisBudget>,
): AnalysisPool {
  return {
    threads: 0,
    async analyse(bytes) {
      const view = await readArchive(bytes, limits);
      try {
        await initFeatures();
        return { view, analysis: await extractFeatures(view, { budget }) };
      } catch (err) {
        return { view, analysisError: message(err) };
      }
    },
    close: async () => {},
  };
}

/** The bundled worker next to this module (dist/analysis-worker.js), or undefined when run from source. */
export function bundledWorkerUrl(): URL | undefined {
  const url = new URL('./analysis-worker.js', import.meta.url);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}

/** The default pool size: one worker per core the process may use. */
export const defaultThreads = (): number => Math.max(1, Math.min(availableParallelism(), 8));

interface Slot {
  worker: Worker;
  job?: { id: number; filename: string; resolve: (r: ArchiveAnalysis) => void; reject: (e: Error) => void };
  timer?: NodeJS.Timeout;
  /** Fails the slot's job with the reason, stops its worker, and lets the queue go on. */
  stop: (reason: string) => void;
}

interface Pending {
  job: AnalysisJob;
  filename: string;
  resolve: (r: ArchiveAnalysis) => void;
  reject: (e: Error) => void;
}

export function createAnalysisPool(options: {
  workerUrl: URL;
  threads: number;
  limits?: Partial<ArchiveLimits>;
  budget?: Partial<AnalysisBudget>;
  /** A worker's V8 heap cap: a hostile archive that balloons the heap stops its worker, not the run. */
  heapMb?: number;
  /**
   * Wall-clock limit of one job: past it the worker is stopped (the only way to end a synchronous parse or
   * rule) and the job rejects. No limit when absent.
   */
  jobTimeoutMs?: number;
}): AnalysisPool {
  const threads = Math.max(1, Math.floor(options.threads));
  const slots = new Set<Slot>();
  const queue: Pending[] = [];
  let nextId = 0;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(options.workerUrl, {
      // The young generation capped: left to V8 it grew with the old-generation cap, and two workers took
      // the 150-pin audit's peak RSS from ~320 MB to ~390 MB for no measurable CPU saving.
      resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 1024, maxYoungGenerationSizeMb: 24 },
    });
    const slot = { worker } as Slot;
    slot.stop = (reason: string) => {
      if (!slots.delete(slot)) return;
      const job = slot.job;
      slot.job = undefined;
      clearTimeout(slot.timer);
      void worker.terminate();
      job?.reject(new Error(`the analysis worker stopped while reading ${job.filename}: ${reason}`));
      pump();
    };
    worker.on('message', (reply: AnalysisReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      if ('started' in reply) {
        const limit = options.jobTimeoutMs;
        if (limit !== undefined)
          slot.timer = setTimeout(() => slot.stop(`it took longer than ${limit / 1000} s`), limit);
        return;
      }
      slot.job = undefined;
      clearTimeout(slot.timer);
      worker.unref();
      if ('readError' in reply) job.reject(new Error(reply.readError));
      else
        job.resolve({
          view: reply.view,
          ...(reply.analysis ? { analysis: reply.analysis } : {}),
          ...(reply.analysisError !== undefined ? { analysisError: reply.analysisError } : {}),
        });
      pump();
    });
    worker.on('error', (err) => slot.stop(message(err)));
    worker.on('exit', (code) => slot.stop(`exited with code ${code}`));
    slots.add(slot);
    return slot;
  };

  const pump = (): void => {
    while (queue.length > 0 && !closed) {
      let slot = [...slots].find((s) => !s.job);
      if (!slot && slots.size < threads) slot = spawn();
      if (!slot) return;
      const next = queue.shift()!;
      slot.job = { id: next.job.id, filename: next.filename, resolve: next.resolve, reject: next.reject };
      // Referenced while it works (the process waits for the answer), not while idle (it may exit).
      slot.worker.ref();
      slot.worker.postMessage(next.job);
    }
  };

  return {
    threads,
    analyse(bytes, filename) {
      if (closed) return Promise.reject(new Error('the analysis pool is closed'));
      // A copy that owns its buffer: a view into a larger buffer would send all of it.
      const own =
        bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      return new Promise<ArchiveAnalysis>((resolve, reject) => {
        queue.push({
          job: { id: nextId++, bytes: own, limits: options.limits, budget: options.budget },
          filename,
          resolve,
          reject,
        });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('the analysis pool is closed'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
      slots.clear();
    },
  };
}
