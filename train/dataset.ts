// The training table as column-major typed arrays (one Float64Array for all named features, a CSR
// matrix for token counts), so learners loop over numbers rather than per-row objects. Learners take
// row indices into one shared Dataset instead of copies, so folds cost nothing to make.
import { featureVector, tokenEntries } from '../src/model/vector.js';
import type { FeatureRow, RowSource } from './table.js';

export interface Dataset {
  n: number;
  d: number;
  featureNames: string[];
  /** Column-major: X[j * n + i] is feature j of row i. */
  X: Float64Array;
  y: Uint8Array;
  tokenBuckets: number;
  /** CSR token counts: row i's entries are tokIdx/tokVal[tokPtr[i] .. tokPtr[i+1]), buckets ascending. */
  tokPtr: Int32Array;
  tokIdx: Int32Array;
  tokVal: Float64Array;
  ids: string[];
  groups: string[];
  sources: RowSource[];
  added: (string | undefined)[];
  rows: FeatureRow[];
  /** Row i's unit row (its strongest file alone, src/features/unit.ts), or -1. */
  unitOf: Int32Array;
}

/** Feature names in first-seen order over the rows (the extractor emits FEATURE_NAMES order). */
export function featureNamesOf(rows: readonly FeatureRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.features)) seen.add(name);
  return [...seen];
}

/** Smallest power of two above every bucket seen, at least 16. */
export function inferTokenBuckets(rows: readonly FeatureRow[]): number {
  let max = 0;
  for (const row of rows) for (const key of Object.keys(row.tokens)) max = Math.max(max, Number(key) || 0);
  let buckets = 16;
  while (buckets <= max) buckets *= 2;
  return buckets;
}

export function buildDataset(
  rows: FeatureRow[],
  options: { featureNames?: string[]; tokenBuckets?: number } = {},
): Dataset {
  const featureNames = options.featureNames ?? featureNamesOf(rows);
  const tokenBuckets = options.tokenBuckets ?? inferTokenBuckets(rows);
  const n = rows.length;
  const d = featureNames.length;
  const X = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const tokPtr = new Int32Array(n + 1);
  const entries = rows.map((row) => tokenEntries(row.tokens, tokenBuckets));
  for (let i = 0; i < n; i++) tokPtr[i + 1] = tokPtr[i]! + entries[i]!.bucket.length;
  const tokIdx = new Int32Array(tokPtr[n]!);
  const tokVal = new Float64Array(tokPtr[n]!);
  rows.forEach((row, i) => {
    const v = featureVector(featureNames, row.features);
    for (let j = 0; j < d; j++) X[j * n + i] = v[j]!;
    y[i] = row.label;
    tokIdx.set(entries[i]!.bucket, tokPtr[i]!);
    tokVal.set(entries[i]!.count, tokPtr[i]!);
  });
  return {
    n,
    d,
    featureNames,
    X,
    y,
    tokenBuckets,
    tokPtr,
    tokIdx,
    tokVal,
    ids: rows.map((r) => r.id),
    groups: rows.map((r) => r.group),
    sources: rows.map((r) => r.source),
    added: rows.map((r) => r.added),
    rows,
    unitOf: unitIndexes(rows),
  };
}

/** For each row, the index of the unit row whose parent it is (unit rows are named `unit:<parent id>`), or -1. */
function unitIndexes(rows: readonly FeatureRow[]): Int32Array {
  const at = new Map(rows.map((r, i) => [r.id, i]));
  const out = new Int32Array(rows.length).fill(-1);
  rows.forEach((r, i) => {
    if (r.source === 'malicious-unit' || r.source === 'benign-unit') {
      const parent = at.get(r.parent ?? '');
      if (parent !== undefined) out[parent] = i;
    }
  });
  return out;
}

/** A unit row for a row that has a unit: the same label, group and parentage, the unit's features. */
export function unitRow(row: FeatureRow): FeatureRow | undefined {
  if (!row.unit) return undefined;
  return {
    id: `unit:${row.id}`,
    label: row.label,
    source: row.label ? 'malicious-unit' : 'benign-unit',
    group: row.group,
    ...(row.added ? { added: row.added } : {}),
    name: row.name,
    status: 'ok',
    features: row.unit.features,
    tokens: row.unit.tokens,
    evidence: (row.evidence ?? []).filter((e) => e.path === row.unit!.path),
    parent: row.id,
    ...(row.host ? { host: row.host } : {}),
  };
}

/**
 * The package's score for each of `rows` (positions match `scores`): the higher of its own and its unit
 * row's, when the unit row is among `rows` too, as src/model/score.ts scoreAnalysis does at run time.
 */
export function packageScores(data: Dataset, rows: ArrayLike<number>, scores: ArrayLike<number>): Float64Array {
  const pos = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) pos.set(rows[k]!, k);
  const out = Float64Array.from(scores);
  for (let k = 0; k < rows.length; k++) {
    const u = data.unitOf[rows[k]!]!;
    const at = u >= 0 ? pos.get(u) : undefined;
    if (at !== undefined) out[k] = Math.max(out[k]!, scores[at]!);
  }
  return out;
}

export const allRows = (data: Dataset): Int32Array => Int32Array.from({ length: data.n }, (_, i) => i);

/** Row i's feature values as a vector (for parity vectors and explanations). */
export function rowVector(data: Dataset, i: number): Float64Array {
  const out = new Float64Array(data.d);
  for (let j = 0; j < data.d; j++) out[j] = data.X[j * data.n + i]!;
  return out;
}
