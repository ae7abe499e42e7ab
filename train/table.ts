// The training table: one row per corpus archive, its label, its group (for group k-fold) and its
// extracted features. Rows come from the project's own extractor (src/features), cached by sha256 under
// .cache/features, and extracted on every core in worker threads.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  type CachedAnalysis,
  type CorpusItem,
  type RowSource as CorpusSource,
  defaultBenignDirs,
  defaultCorpusDir,
  listCorpus,
} from './corpus.js';
import type { Evidence } from '../src/types.js';

/** Where a row comes from: a corpus archive, or a synthetic row built from them (train/augment.ts). */
export type RowSource = CorpusSource | 'malicious-implant' | 'benign-small' | 'malicious-unit' | 'benign-unit';

/** Rows that only train: implants, and units (a row's strongest file alone), which score with their parent. */
export const TRAIN_ONLY: ReadonlySet<RowSource> = new Set(['malicious-implant', 'malicious-unit', 'benign-unit']);

export interface FeatureRow {
  /** sha256 of the archive. */
  id: string;
  label: 0 | 1;
  source: RowSource;
  /** Family for malicious samples, source project for benign ones: folds never split a group. */
  group: string;
  /** YYYY-MM-DD the sample entered the malware dataset (malicious rows only), for the time split. */
  added?: string;
  name: string;
  status: 'ok' | 'error';
  error?: string;
  /** Named numeric features (src/features FEATURE_NAMES). */
  features: Record<string, number>;
  /** Hashed text tokens: bucket -> count (src/features TOKEN_BUCKETS buckets). */
  tokens: Record<number, number>;
  /** Rules with located hits. */
  rules?: string[];
  /** Medium-or-stronger evidence (train/corpus.ts keeps the strongest), for decide() on the corpus. */
  evidence?: Evidence[];
  /** The file of the strongest evidence analysed alone (src/features/unit.ts). */
  unit?: CachedAnalysis['unit'];
  /** The archive on this machine (corpus rows). */
  path?: string;
  /** Synthetic rows: the corpus row whose fold group they take, and the benign project they were built in. */
  parent?: string;
  host?: string;
}

export interface TableOptions {
  corpus?: string;
  benignDir?: string;
  cacheDir?: string;
  workers?: number;
  log?: (s: string) => void;
  /** Read only what the cache holds; archives not in it become error rows (a partial extraction's figures). */
  onlyCached?: boolean;
}

export const DEFAULT_CACHE_DIR = join(process.cwd(), '.cache', 'features');

function toRow(item: CorpusItem, a: CachedAnalysis): FeatureRow {
  return {
    id: a.id,
    label: item.label,
    source: item.source,
    group: item.group,
    ...(item.added ? { added: item.added } : {}),
    name: item.name,
    path: item.path,
    status: a.status,
    ...(a.error ? { error: a.error } : {}),
    features: a.features,
    tokens: a.tokens,
    rules: a.rules,
    ...(a.evidence ? { evidence: a.evidence } : {}),
    ...(a.unit ? { unit: a.unit } : {}),
  };
}

/** Extracts (or reads from the cache) a row for every archive of the corpus on this machine. */
export async function loadOrBuildTable(options: TableOptions = {}): Promise<FeatureRow[]> {
  const log = options.log ?? (() => {});
  const benign = options.benignDir
    ? { sdists: join(options.benignDir, 'benign'), wheels: join(options.benignDir, 'benign-wheels') }
    : defaultBenignDirs();
  const items = listCorpus(options.corpus ?? defaultCorpusDir(), benign);
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.source, (counts.get(i.source) ?? 0) + 1);
  log(`corpus: ${[...counts].map(([k, v]) => `${v} ${k}`).join(', ')}`);
  if (!counts.has('benign-sdist'))
    log(`no benign tarballs in ${benign.sdists}: run ../shared/corpus/fetch-benign.sh`);
  if (!counts.has('benign-wheel'))
    log(`no benign wheels in ${benign.wheels}: run ../shared/corpus/fetch-benign-wheels.sh`);

  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  const results: (CachedAnalysis | undefined)[] = new Array(items.length);
  const started = performance.now();
  let done = 0;
  let next = 0;
  // Sources interleaved, so a partial extraction already holds a fair sample of each.
  const order = interleaveBySource(items);
  const workerCount = Math.max(1, Math.min(options.workers ?? availableParallelism(), items.length));
  // Workers load TypeScript through tsx, as the trainer itself runs; a crashed worker is replaced and its
  // archive becomes an error row, so one hostile archive cannot stop the extraction.
  const spawn = () => new Worker(new URL('./extract-worker.mjs', import.meta.url));
  const runJob = (worker: Worker, index: number, path: string) =>
    new Promise<CachedAnalysis>((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m: { index: number; result: CachedAnalysis }) => {
        cleanup();
        resolve(m.result);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`worker exited with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ index, path, cacheDir, onlyCached: options.onlyCached ?? false });
    });
  await Promise.all(
    Array.from({ length: workerCount }, async () => {
      let worker = spawn();
      try {
        while (next < items.length) {
          const index = order[next++]!;
          const item = items[index]!;
          let result: CachedAnalysis;
          try {
            result = await runJob(worker, index, item.path);
          } catch (error) {
            result = {
              id: '',
              status: 'error',
              error: `worker failed on ${item.path}: ${(error as Error).message}`,
              features: {},
              tokens: {},
              rules: [],
            };
            await worker.terminate();
            worker = spawn();
          }
          results[index] = result;
          done++;
          if (done % 500 === 0 || done === items.length)
            log(
              `  features: ${done}/${items.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
            );
        }
      } finally {
        await worker.terminate();
      }
    }),
  );
  return items.map((item, i) => toRow(item, results[i]!));
}

/** Item indexes taking one item of each source in turn (each source in its own order). */
export function interleaveBySource(items: readonly { source: string }[]): number[] {
  const bySource = new Map<string, number[]>();
  items.forEach((item, i) => {
    const list = bySource.get(item.source) ?? [];
    list.push(i);
    bySource.set(item.source, list);
  });
  const lists = [...bySource.values()];
  const order: number[] = [];
  for (let k = 0; order.length < items.length; k++)
    for (const list of lists) if (k < list.length) order.push(list[k]!);
  return order;
}
