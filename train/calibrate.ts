// Platt scaling (p = sigmoid(a*z + b)) fitted on out-of-fold logits, and the choice of decision
// thresholds on out-of-fold scores. Platt rather than isotonic: it is monotone and smooth, so the
// score keeps its order and per-feature contributions stay additive in logit units (scaled by a).
import type { RowSource } from './table.js';
import { fitLogisticDense } from './logistic.js';
import { round } from './learners/types.js';

export function fitPlatt(z: Float64Array, y: ArrayLike<number>): { a: number; b: number } {
  const w = fitLogisticDense(z, z.length, 1, y, { l2: 1e-6, tolerance: 1e-9 });
  const a = w[1]!;
  // A non-positive slope means the logits carry no signal at all; keep the order rather than invert it.
  return a > 1e-6 ? { a: round(a), b: round(w[0]!) } : { a: 1e-6, b: round(w[0]!) };
}

export interface FprConstraint {
  /** Which rows this constraint counts (benign rows of some source, or all benign rows). */
  label: string;
  rows: Uint8Array;
  maxFpr: number;
}

export interface ThresholdChoice {
  threshold: number;
  /** Per constraint: false positives at the threshold / rows counted, and how many were allowed. */
  counts: { label: string; falsePositives: number; rows: number; allowed: number }[];
  recall: number;
}

/**
 * The lowest threshold (flag when score >= threshold) at which every constraint holds: false positives
 * among a constraint's rows <= floor(maxFpr * rows) (so a source too small for the target allows none).
 * The threshold sits midway between the last score that passes and the first that fails.
 */
export function chooseThreshold(
  scores: Float64Array,
  labels: ArrayLike<number>,
  constraints: FprConstraint[],
): ThresholdChoice {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const allowed = constraints.map((c) => Math.floor(c.maxFpr * count(c.rows) + 1e-9));
  const fp = constraints.map(() => 0);
  let lastOk = Number.NaN;
  let firstBad = Number.NaN;
  for (let k = 0; k < n; ) {
    const s = scores[order[k]!]!;
    let j = k;
    const add = constraints.map(() => 0);
    for (; j < n && scores[order[j]!] === s; j++) {
      const i = order[j]!;
      if (labels[i]) continue;
      constraints.forEach((c, ci) => {
        if (c.rows[i]) add[ci]!++;
      });
    }
    if (constraints.some((_, ci) => fp[ci]! + add[ci]! > allowed[ci]!)) {
      firstBad = s;
      break;
    }
    constraints.forEach((_, ci) => {
      fp[ci]! += add[ci]!;
    });
    lastOk = s;
    k = j;
  }
  let threshold: number;
  if (Number.isNaN(lastOk)) threshold = Number.isNaN(firstBad) ? 0.5 : (firstBad + 1) / 2;
  else if (Number.isNaN(firstBad)) threshold = lastOk / 2;
  else threshold = (lastOk + firstBad) / 2;
  // Shorter in the file, as long as rounding does not step over the scores it separates.
  const short = round(threshold, 10);
  if ((Number.isNaN(lastOk) || short <= lastOk) && (Number.isNaN(firstBad) || short > firstBad))
    threshold = short;
  return {
    threshold,
    counts: constraints.map((c, ci) => ({
      label: c.label,
      falsePositives: fp[ci]!,
      rows: count(c.rows),
      allowed: allowed[ci]!,
    })),
    recall: recallAt(scores, labels, threshold),
  };
}

/**
 * The constraints for a target FPR: benign sdists and wheels together, and each on its own. Hard-benign
 * rows (packages once listed as malware, then removed: reverse shells, crypters, bots, typosquat
 * placeholders) are not held to it: 0.1% of about a hundred rows allows none, they score like the
 * malware they resemble, and holding them to it traded away much of the recall for a handful of them.
 * Their false-positive rate is reported apart (train/evaluate.ts).
 */
export function benignConstraints(sources: readonly RowSource[], labels: ArrayLike<number>, maxFpr: number) {
  const mask = (keep: (s: RowSource) => boolean) =>
    Uint8Array.from(sources, (s, i) => (!labels[i] && keep(s) ? 1 : 0));
  return [
    {
      label: 'benign sdists and wheels',
      rows: mask((s) => s === 'benign-sdist' || s === 'benign-wheel'),
      maxFpr,
    },
    { label: 'benign-sdist', rows: mask((s) => s === 'benign-sdist'), maxFpr },
    { label: 'benign-wheel', rows: mask((s) => s === 'benign-wheel'), maxFpr },
    // Small honest packages cut from the benign projects (train/augment.ts): young long-tail projects, held
    // to the gate's goal for them (0.5%) or the target, whichever is looser.
    { label: 'benign-small', rows: mask((s) => s === 'benign-small'), maxFpr: Math.max(maxFpr, 0.005) },
  ].filter((c) => count(c.rows) > 0);
}

function count(mask: Uint8Array): number {
  let c = 0;
  for (const v of mask) c += v;
  return c;
}

function recallAt(scores: Float64Array, labels: ArrayLike<number>, threshold: number): number {
  let tp = 0;
  let p = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!labels[i]) continue;
    p++;
    if (scores[i]! >= threshold) tp++;
  }
  return p === 0 ? 0 : tp / p;
}
