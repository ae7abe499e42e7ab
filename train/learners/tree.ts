// Histogram decision trees shared by the gradient-boosted trees and the random forest. Features are
// cut into at most maxBins quantile bins (the bin edges are the thresholds the saved tree compares
// against, so training-time partitions and run-time comparisons agree exactly), and each node finds its
// split from per-bin sums of gradient g and hessian h. With g = -w*y, h = w and no L2 this is the
// variance (= Gini for 0/1 labels) criterion of a classification tree; with the logistic loss's g and h
// it is a boosting tree.
import type { TreeJson } from '../../src/model/format.js';
import type { Dataset } from '../dataset.js';
import { type Rng, shuffle } from '../prng.js';
import { round } from './types.js';

export interface Binned {
  n: number;
  d: number;
  /** Column-major bin index per (feature, row) for every row of the dataset. */
  bins: Uint8Array;
  /** Per feature, ascending upper edges: bin b holds values <= edges[b] (and > edges[b-1]). */
  edges: Float64Array[];
  maxBins: number;
}

/** Quantile bins from the training rows' values; every row of the dataset is binned. */
export function binDataset(data: Dataset, rows: Int32Array, maxBins: number): Binned {
  if (maxBins < 2 || maxBins > 256) throw new Error('maxBins must be in 2..256');
  const { n, d, X } = data;
  const bins = new Uint8Array(n * d);
  const edges: Float64Array[] = [];
  const values = new Float64Array(rows.length);
  for (let j = 0; j < d; j++) {
    const col = j * n;
    for (let k = 0; k < rows.length; k++) values[k] = X[col + rows[k]!]!;
    values.sort();
    const e = quantileEdges(values, maxBins);
    edges.push(e);
    const last = e.length - 1;
    for (let i = 0; i < n; i++) {
      const x = X[col + i]!;
      // Binary search for the first edge >= x; values above every edge go to the last bin.
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (x <= e[mid]!) hi = mid;
        else lo = mid + 1;
      }
      bins[col + i] = lo;
    }
  }
  return { n, d, bins, edges, maxBins };
}

/** Up to maxBins ascending edges (rounded to 7 digits, so the saved thresholds are these exact numbers). */
function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  const out: number[] = [];
  const push = (v: number) => {
    const r = round(v);
    if (out.length === 0 || r > out[out.length - 1]!) out.push(r);
  };
  let distinct = 0;
  for (let k = 0; k < m && distinct <= maxBins; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let k = 0; k < m; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) push(sorted[k]!);
  } else {
    for (let q = 1; q < maxBins; q++) push(sorted[Math.min(m - 1, Math.floor((q * m) / maxBins))]!);
    push(sorted[m - 1]!);
  }
  if (out.length === 0) out.push(0);
  return Float64Array.from(out);
}

export interface TreeOptions {
  maxDepth: number;
  /** Minimum sum of hessians in each child. */
  minChildWeight: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  minGain: number;
  /** Multiplies node values (boosting's learning rate; 1 for forests). */
  shrinkage: number;
  /** Features to try: a fixed list per tree, or a random subset of this size at every node. */
  features: Int32Array;
  featuresPerNode?: number;
}

/** A grown tree: the runtime arrays plus each split's bin, for fast binned traversal while training. */
export interface GrownTree extends TreeJson {
  bin: number[];
}

/**
 * Grow one tree over `rows` (a scratch buffer it reorders) with per-row g and h indexed by dataset row.
 * Adds each split's gain to `gains[feature]`.
 */
export function growTree(
  binned: Binned,
  rows: Int32Array,
  g: Float64Array,
  h: Float64Array,
  options: TreeOptions,
  rng: Rng,
  gains: Float64Array,
): GrownTree {
  const { n, bins, edges, maxBins } = binned;
  const tree: GrownTree = { feature: [], threshold: [], left: [], right: [], value: [], bin: [] };
  const nodeFeatures = new Int32Array(options.features);
  const scratch = new Int32Array(rows.length);
  const { lambda, minChildWeight, minGain, shrinkage } = options;
  // With one feature list for the whole tree, a child's histogram is its parent's minus its sibling's,
  // so only the smaller child is counted (LightGBM's trick). Buffers are per depth: a node at depth d
  // owns a buffer of level <= d, and hands level d+1 to its smaller child.
  const fixed = options.featuresPerNode === undefined || options.featuresPerNode >= options.features.length;
  const size = options.features.length * maxBins;
  const pool: { g: Float64Array; h: Float64Array }[] = [];
  const buffer = (level: number) => {
    pool[level] ??= { g: new Float64Array(size), h: new Float64Array(size) };
    return pool[level];
  };
  const count = (
    start: number,
    end: number,
    candidates: number,
    hist: { g: Float64Array; h: Float64Array },
  ) => {
    const { g: hg, h: hh } = hist;
    hg.fill(0, 0, candidates * maxBins);
    hh.fill(0, 0, candidates * maxBins);
    for (let c = 0; c < candidates; c++) {
      const col = nodeFeatures[c]! * n;
      const base = c * maxBins;
      for (let k = start; k < end; k++) {
        const r = rows[k]!;
        const b = base + bins[col + r]!;
        hg[b]! += g[r]!;
        hh[b]! += h[r]!;
      }
    }
  };

  const grow = (
    start: number,
    end: number,
    depth: number,
    counted: { g: Float64Array; h: Float64Array } | null,
  ): number => {
    let G = 0;
    let H = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k]!;
      G += g[r]!;
      H += h[r]!;
    }
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(0);
    tree.right.push(0);
    tree.value.push(H + lambda > 0 ? round((-G / (H + lambda)) * shrinkage) : 0);
    tree.bin.push(0);
    if (depth >= options.maxDepth || H < 2 * minChildWeight || end - start < 2) return id;

    // Candidate features: the tree's list, or a fresh random subset for this node (forests).
    let candidates = options.features.length;
    if (!fixed) {
      nodeFeatures.set(options.features);
      shuffle(nodeFeatures, rng);
      candidates = options.featuresPerNode!;
    }
    const hist = counted ?? buffer(depth);
    if (!counted) count(start, end, candidates, hist);
    const histG = hist.g;
    const histH = hist.h;
    const parentScore = (G * G) / (H + lambda);
    let bestGain = minGain;
    let bestC = -1;
    let bestBin = -1;
    for (let c = 0; c < candidates; c++) {
      const nb = edges[nodeFeatures[c]!]!.length;
      const base = c * maxBins;
      let GL = 0;
      let HL = 0;
      for (let b = 0; b < nb - 1; b++) {
        GL += histG[base + b]!;
        HL += histH[base + b]!;
        if (HL < minChildWeight) continue;
        const HR = H - HL;
        if (HR < minChildWeight) break;
        const GR = G - GL;
        const gain = (GL * GL) / (HL + lambda) + (GR * GR) / (HR + lambda) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestC = c;
          bestBin = b;
        }
      }
    }
    if (bestC < 0) return id;
    const f = nodeFeatures[bestC]!;
    gains[f]! += bestGain;

    // Stable partition of rows[start, end) into <= bin and > bin.
    const col = f * n;
    let lo = start;
    let hiCount = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k]!;
      if (bins[col + r]! <= bestBin) rows[lo++] = r;
      else scratch[hiCount++] = r;
    }
    rows.set(scratch.subarray(0, hiCount), lo);
    tree.feature[id] = f;
    tree.threshold[id] = edges[f]![bestBin]!;
    tree.bin[id] = bestBin;

    if (fixed && depth + 1 < options.maxDepth) {
      const leftSmaller = lo - start <= end - lo;
      const small = buffer(depth + 1);
      if (leftSmaller) count(start, lo, candidates, small);
      else count(lo, end, candidates, small);
      for (let k = 0; k < candidates * maxBins; k++) {
        histG[k]! -= small.g[k]!;
        histH[k]! -= small.h[k]!;
      }
      if (leftSmaller) {
        tree.left[id] = grow(start, lo, depth + 1, small);
        tree.right[id] = grow(lo, end, depth + 1, hist);
      } else {
        tree.right[id] = grow(lo, end, depth + 1, small);
        tree.left[id] = grow(start, lo, depth + 1, hist);
      }
    } else {
      tree.left[id] = grow(start, lo, depth + 1, null);
      tree.right[id] = grow(lo, end, depth + 1, null);
    }
    return id;
  };
  grow(0, rows.length, 0, null);
  return tree;
}

/** Leaf value for dataset row r of a grown tree, walking by bins (training rows only). */
export function leafValueBinned(tree: GrownTree, binned: Binned, r: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node =
      binned.bins[tree.feature[node]! * binned.n + r]! <= tree.bin[node]!
        ? tree.left[node]!
        : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** Leaf value for dataset row r by raw feature values (the run-time rule: go left when x <= threshold). */
export function leafValue(tree: TreeJson, data: Dataset, r: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const x = data.X[tree.feature[node]! * data.n + r]!;
    node = x <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

export const stripBins = (tree: GrownTree): TreeJson => ({
  feature: tree.feature,
  threshold: tree.threshold,
  left: tree.left,
  right: tree.right,
  value: tree.value,
});
