// Turning an extractor's output into the model's inputs. Shared by the trainer and the runtime scorer,
// so both see exactly the same numbers: a feature the record lacks, or a value that is not finite,
// counts as 0; token buckets outside the model's range are ignored.

export function featureVector(names: readonly string[], record: Record<string, number>): Float64Array {
  const out = new Float64Array(names.length);
  for (let j = 0; j < names.length; j++) out[j] = finiteOrZero(record[names[j]!]);
  return out;
}

export function finiteOrZero(value: number | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Token buckets with a positive count, ascending by bucket (a fixed order keeps sums reproducible). */
export function tokenEntries(
  tokens: Record<number | string, number>,
  buckets: number,
): { bucket: Int32Array; count: Float64Array } {
  const pairs: [number, number][] = [];
  for (const [key, raw] of Object.entries(tokens)) {
    const bucket = Number(key);
    const count = finiteOrZero(raw);
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= buckets || count <= 0) continue;
    pairs.push([bucket, count]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return {
    bucket: Int32Array.from(pairs, (p) => p[0]),
    count: Float64Array.from(pairs, (p) => p[1]),
  };
}

/** v limited to [-c, c] (trainer and runtime clamp with this one function). */
export const clamp = (v: number, c: number): number => Math.max(-c, Math.min(c, v));

export const sigmoid = (z: number): number =>
  z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));

/** Probability -> logit for forests' vote shares; eps keeps unanimous votes finite. */
export const FOREST_EPS = 0.01;
export const probabilityLogit = (p: number): number => Math.log((p + FOREST_EPS) / (1 - p + FOREST_EPS));
