// What train.ts and evaluate.ts share: command-line options, loading the table (the corpus through
// loadOrBuildTable, or a JSON-lines file), turning it into a Dataset, and timestamped progress lines.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURE_NAMES, TOKEN_BUCKETS } from '../src/features/index.js';
import { AUGMENT_DEFAULTS, augmentRows } from './augment.js';
import { honestGroups } from './groups.js';
import { blankShapeFeatures } from './shape.js';
import { buildDataset, type Dataset, featureNamesOf, inferTokenBuckets, unitRow } from './dataset.js';
import { DEFAULT_CACHE_DIR, type FeatureRow, loadOrBuildTable } from './table.js';
import { readTableFile } from './table-file.js';

export interface CommonOptions {
  table?: string;
  corpus?: string;
  cacheDir?: string;
  seed: number;
  models: string;
  /** Leave out the synthetic implants and cuts (train/augment.ts). */
  noAugment?: boolean;
  /** Blank the size and metadata features (train/shape.ts) so no learner splits on them (the default). */
  shapeBlind?: boolean;
}

export function parseCommon(argv: string[], extra: Record<string, { type: 'string' | 'boolean' }> = {}) {
  const { values } = parseArgs({
    args: argv,
    options: {
      table: { type: 'string' },
      corpus: { type: 'string' },
      'cache-dir': { type: 'string' },
      seed: { type: 'string', default: '1' },
      models: { type: 'string', default: 'models' },
      'no-augment': { type: 'boolean' },
      // Shape features are blanked unless asked for: with them, the gate flagged 0.23% of Debian projects in
      // cross-validation against 0.14% without, at the same recall (models/MODEL.md, train/shape.ts).
      'with-shape': { type: 'boolean' },
      ...extra,
    },
    strict: true,
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  return {
    common: {
      table: values.table as string | undefined,
      corpus: values.corpus as string | undefined,
      cacheDir: values['cache-dir'] as string | undefined,
      seed,
      models: values.models as string,
      noAugment: Boolean(values['no-augment']),
      shapeBlind: !values['with-shape'],
    } satisfies CommonOptions,
    values: values as Record<string, string | boolean | undefined>,
  };
}

const started = performance.now();
export const log = (line: string): void => {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
};

export interface TrainingData {
  data: Dataset;
  /** Where the rows came from, for the model card. */
  origin: string;
  /** Rows left out because the extractor could not read the archive. */
  excluded: { source: string; count: number }[];
}

export async function loadTrainingData(options: CommonOptions): Promise<TrainingData> {
  const all: FeatureRow[] = options.table
    ? readTableFile(options.table)
    : await loadOrBuildTable({ corpus: options.corpus, cacheDir: options.cacheDir, log });
  const real = all.filter((r) => r.status === 'ok');
  const synthetic =
    options.noAugment || options.table
      ? []
      : await augmentRows(real, {
          ...AUGMENT_DEFAULTS,
          seed: options.seed,
          cacheDir: join(options.cacheDir ?? DEFAULT_CACHE_DIR, '..', 'augment'),
          log,
        });
  // Units of hard-benign rows stay out: many of those are proofs of concept a gate should stop (MODEL.md).
  const units = [...real, ...synthetic]
    .filter((r) => r.source !== 'hard-benign')
    .flatMap((r) => unitRow(r) ?? []);
  const rows = [...real, ...synthetic, ...units];
  const excluded = new Map<string, number>();
  for (const r of all) if (r.status !== 'ok') excluded.set(r.source, (excluded.get(r.source) ?? 0) + 1);
  if (rows.length === 0) throw new Error('the table has no usable rows');
  // The extractor's names, in its order, when the table was made by it; otherwise the table's own.
  const names = featureNamesOf(rows);
  const known = new Set(FEATURE_NAMES);
  const fromExtractor = names.every((n) => known.has(n));
  const featureNames = fromExtractor ? [...FEATURE_NAMES] : names;
  const buckets = inferTokenBuckets(rows);
  const tokenBuckets = fromExtractor && buckets <= TOKEN_BUCKETS ? TOKEN_BUCKETS : buckets;
  const data = buildDataset(rows, { featureNames, tokenBuckets });
  if (options.shapeBlind)
    log(`shape-blind: blanked ${blankShapeFeatures(data).length} size and metadata features`);
  // Folds never split a family, a package name or a near-copy (train/groups.ts); a synthetic row takes its
  // parent's group (grouped with the real rows only: an implant is a near-copy of its host, and letting it
  // join groups would chain every host and payload into one).
  const honest = honestGroups(real);
  const groupOf = new Map(real.map((r, i) => [r.id, honest.groups[i]!]));
  data.groups = rows.map((r, i) =>
    i < real.length ? honest.groups[i]! : (groupOf.get(r.parent ?? '') ?? r.group),
  );
  // A unit row is in its parent's fold (an implant's unit in the implant's).
  data.unitOf.forEach((u, parent) => {
    if (u >= 0) data.groups[u] = data.groups[parent]!;
  });
  log(
    `groups: ${honest.stats.groups} after merging ${honest.stats.mergedByName} by package name and ` +
      `${honest.stats.mergedByNearDuplicate} near-duplicates (token cosine >= 0.99)`,
  );
  log(
    `table: ${rows.length} rows (${[...countBy(rows, (r) => r.source)].map(([s, n]) => `${n} ${s}`).join(', ')}), ` +
      `${data.d} features, ${tokenBuckets} token buckets, ${data.tokIdx.length} token entries` +
      (excluded.size > 0
        ? `; left out as unreadable: ${[...excluded].map(([s, n]) => `${n} ${s}`).join(', ')}`
        : ''),
  );
  return {
    data,
    origin: options.table ? `table file ${options.table}` : `corpus ${options.corpus ?? '../shared/corpus'}`,
    excluded: [...excluded].map(([source, count]) => ({ source, count })),
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
}
