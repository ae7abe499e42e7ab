// Gradient-boosted trees with the logistic loss, written here because no maintained JavaScript library
// does gradient boosting (the npm packages that claim it are unmaintained wrappers, native bindings, or
// predict-only loaders for models trained in Python). Histogram splits over quantile bins, depth-limited
// trees, shrinkage, row and column subsampling per tree, min child weight and L2 on leaf values: the
// XGBoost/LightGBM recipe, minus what this data does not need (missing-value routing, sparsity).
import type { TreeEnsembleJson } from '../../src/model/format.js';
import type { Dataset } from '../dataset.js';
import { deriveSeed, makeRng, shuffle } from '../prng.js';
import { binDataset, type GrownTree, growTree, leafValue, leafValueBinned, stripBins } from './tree.js';
import { type FittedLearner, type Learner, round } from './types.js';

export interface GbdtOptions {
  rounds: number;
  learningRate: number;
  maxDepth: number;
  maxBins: number;
  minChildWeight: number;
  lambda: number;
  minGain: number;
  /** Share of training rows each tree sees (without replacement). */
  subsample: number;
  /** Share of features each tree may split on. */
  colsample: number;
}

export const GBDT_DEFAULTS: GbdtOptions = {
  rounds: 300,
  learningRate: 0.08,
  maxDepth: 5,
  maxBins: 64,
  minChildWeight: 1,
  lambda: 1,
  minGain: 0,
  subsample: 0.8,
  colsample: 0.7,
};

export function gbdt(options: Partial<GbdtOptions> = {}, name = 'gbdt'): Learner {
  const o = { ...GBDT_DEFAULTS, ...options };
  return {
    name,
    inputs: 'features',
    fit(data: Dataset, rows: Int32Array, seed: number): FittedLearner {
      const rng = makeRng(deriveSeed(seed, name));
      const binned = binDataset(data, rows, o.maxBins);
      let positives = 0;
      for (const r of rows) positives += data.y[r]!;
      const prior = (positives + 0.5) / (rows.length + 1);
      const bias = round(Math.log(prior / (1 - prior)));
      const F = new Float64Array(data.n).fill(bias);
      const g = new Float64Array(data.n);
      const h = new Float64Array(data.n);
      const gains = new Float64Array(data.d);
      const trees: GrownTree[] = [];
      const order = Int32Array.from(rows);
      const allFeatures = Int32Array.from({ length: data.d }, (_, j) => j);
      const nRows = Math.max(1, Math.round(rows.length * o.subsample));
      const nCols = Math.max(1, Math.round(data.d * o.colsample));
      for (let t = 0; t < o.rounds; t++) {
        for (const r of rows) {
          const p = 1 / (1 + Math.exp(-F[r]!));
          g[r] = p - data.y[r]!;
          h[r] = Math.max(p * (1 - p), 1e-12);
        }
        shuffle(order, rng);
        const sample = Int32Array.from(order.subarray(0, nRows)).sort();
        shuffle(allFeatures, rng);
        const features = Int32Array.from(allFeatures.subarray(0, nCols)).sort();
        const tree = growTree(
          binned,
          sample,
          g,
          h,
          {
            maxDepth: o.maxDepth,
            minChildWeight: o.minChildWeight,
            lambda: o.lambda,
            minGain: o.minGain,
            shrinkage: o.learningRate,
            features,
          },
          rng,
          gains,
        );
        trees.push(tree);
        for (const r of rows) F[r]! += leafValueBinned(tree, binned, r);
      }
      const json: TreeEnsembleJson = {
        kind: 'tree-ensemble',
        name,
        link: 'sum',
        bias,
        trees: trees.map(stripBins),
      };
      return {
        predict: (d, rs) => predictSum(json, d, rs),
        toJson: () => json,
        importance: () => gains,
      };
    },
  };
}

/** bias + sum of tree values, in tree order (as src/model adds them). */
export function predictSum(model: TreeEnsembleJson, data: Dataset, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    let sum = model.bias;
    for (const tree of model.trees) sum += leafValue(tree, data, rows[k]!);
    out[k] = sum;
  }
  return out;
}
