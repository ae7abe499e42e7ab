// Group k-fold, stratified as far as groups allow: a family (malicious) or a project (benign) is
// never split across folds, so every test fold holds only families the training folds never saw.
// Greedy, as scikit-learn's StratifiedGroupKFold: largest groups first (ties in seeded random order),
// each into the fold where its label is scarcest relative to the target share.
import { deriveSeed, makeRng, shuffle } from './prng.js';

/** Fold index (0..k-1) per row. */
export function groupKFold(
  groups: readonly string[],
  labels: ArrayLike<number>,
  k: number,
  seed: number,
): Int32Array {
  const byGroup = new Map<string, { rows: number[]; positives: number }>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    let entry = byGroup.get(g);
    if (!entry) {
      entry = { rows: [], positives: 0 };
      byGroup.set(g, entry);
    }
    entry.rows.push(i);
    entry.positives += labels[i]! ? 1 : 0;
  }
  const names = [...byGroup.keys()].sort();
  shuffle(names, makeRng(deriveSeed(seed, 'group-k-fold')));
  // Stable sort by size (descending) keeps the shuffled order among equal sizes.
  names.sort((a, b) => byGroup.get(b)!.rows.length - byGroup.get(a)!.rows.length);
  const pos = new Float64Array(k);
  const neg = new Float64Array(k);
  const fold = new Int32Array(groups.length);
  for (const name of names) {
    const { rows, positives } = byGroup.get(name)!;
    const negatives = rows.length - positives;
    let best = 0;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let f = 0; f < k; f++) {
      // Cost: how full this fold already is in the labels this group brings (then in total).
      const cost = (positives > 0 ? pos[f]! : 0) + (negatives > 0 ? neg[f]! : 0) + 1e-6 * (pos[f]! + neg[f]!);
      if (cost < bestCost) {
        bestCost = cost;
        best = f;
      }
    }
    pos[best]! += positives;
    neg[best]! += negatives;
    for (const r of rows) fold[r] = best;
  }
  return fold;
}

/** Row indices (within `rows`) split into train/test for fold f. */
export function splitFold(
  rows: Int32Array,
  fold: Int32Array,
  f: number,
): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let k = 0; k < rows.length; k++) (fold[k] === f ? test : train).push(rows[k]!);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
