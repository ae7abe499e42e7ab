// Learners on the hashed text tokens: multinomial naive Bayes on log1p counts, and an L2 logistic
// regression on l2-normalized log1p(count) * idf. Both are stored as the runtime's token-linear form;
// which one the stack keeps is decided by cross-validation (train/stack.ts).
import type { TokenLinearJson } from '../../src/model/format.js';
import { tokenValues } from '../../src/model/score.js';
import type { Dataset } from '../dataset.js';
import { fitLogisticSparse } from '../logistic.js';
import { type FittedLearner, type Learner, round } from './types.js';

export interface NaiveBayesOptions {
  /** Additive (Laplace) smoothing per bucket. */
  alpha: number;
  transform: 'log1p' | 'binary';
}

export function tokenNaiveBayes(options: Partial<NaiveBayesOptions> = {}, name = 'text-nb'): Learner {
  const o: NaiveBayesOptions = { alpha: 1, transform: 'log1p', ...options };
  return {
    name,
    inputs: 'tokens',
    fit(data: Dataset, rows: Int32Array): FittedLearner {
      const B = data.tokenBuckets;
      const mass: [Float64Array, Float64Array] = [new Float64Array(B), new Float64Array(B)];
      const total = [0, 0];
      const docs = [0, 0];
      for (const r of rows) {
        const c = data.y[r]!;
        docs[c]!++;
        for (let e = data.tokPtr[r]!; e < data.tokPtr[r + 1]!; e++) {
          const v = o.transform === 'binary' ? 1 : Math.log1p(data.tokVal[e]!);
          mass[c as 0 | 1][data.tokIdx[e]!]! += v;
          total[c]! += v;
        }
      }
      const weights: number[] = [];
      for (let b = 0; b < B; b++) {
        const p1 = (mass[1][b]! + o.alpha) / (total[1]! + o.alpha * B);
        const p0 = (mass[0][b]! + o.alpha) / (total[0]! + o.alpha * B);
        weights.push(round(Math.log(p1 / p0)));
      }
      const json: TokenLinearJson = {
        kind: 'token-linear',
        name,
        bias: round(Math.log((docs[1]! + 1) / (docs[0]! + 1))),
        transform: o.transform,
        normalize: 'none',
        idf: null,
        weights,
      };
      return { predict: (d, rs) => predictTokenLinear(json, d, rs), toJson: () => json };
    },
  };
}

export interface TokenLogisticOptions {
  l2: number;
}

export function tokenLogistic(options: Partial<TokenLogisticOptions> = {}, name = 'text-lr'): Learner {
  // l2 chosen by group 5-fold CV on the corpus (1e-3 .. 1e-6): 1e-5 had the best AUC and recall at 0.1% FPR.
  const o: TokenLogisticOptions = { l2: 1e-5, ...options };
  return {
    name,
    inputs: 'tokens',
    fit(data: Dataset, rows: Int32Array): FittedLearner {
      const B = data.tokenBuckets;
      const df = new Float64Array(B);
      for (const r of rows)
        for (let e = data.tokPtr[r]!; e < data.tokPtr[r + 1]!; e++) df[data.tokIdx[e]!]!++;
      const idf = Array.from(df, (count) => round(Math.log((1 + rows.length) / (1 + count)) + 1));
      const shape = { transform: 'log1p' as const, normalize: 'l2' as const, idf: Float64Array.from(idf) };
      const m = rows.length;
      const ptr = new Int32Array(m + 1);
      for (let k = 0; k < m; k++) ptr[k + 1] = ptr[k]! + data.tokPtr[rows[k]! + 1]! - data.tokPtr[rows[k]!]!;
      const idx = new Int32Array(ptr[m]!);
      const val = new Float64Array(ptr[m]!);
      const y = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        const r = rows[k]!;
        const from = data.tokPtr[r]!;
        const to = data.tokPtr[r + 1]!;
        idx.set(data.tokIdx.subarray(from, to), ptr[k]!);
        val.set(tokenValues(shape, data.tokIdx.subarray(from, to), data.tokVal.subarray(from, to)), ptr[k]!);
        y[k] = data.y[r]!;
      }
      const w = fitLogisticSparse(ptr, idx, val, B, y, { l2: o.l2 });
      const json: TokenLinearJson = {
        kind: 'token-linear',
        name,
        bias: round(w[0]!),
        ...shape,
        idf,
        weights: Array.from(w.subarray(1), (v) => round(v)),
      };
      return { predict: (d, rs) => predictTokenLinear(json, d, rs), toJson: () => json };
    },
  };
}

export function predictTokenLinear(model: TokenLinearJson, data: Dataset, rows: Int32Array): Float64Array {
  const shape = {
    transform: model.transform,
    normalize: model.normalize,
    idf: model.idf === null ? null : Float64Array.from(model.idf),
  };
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const from = data.tokPtr[r]!;
    const to = data.tokPtr[r + 1]!;
    const buckets = data.tokIdx.subarray(from, to);
    const values = tokenValues(shape, buckets, data.tokVal.subarray(from, to));
    let s = model.bias;
    for (let e = 0; e < buckets.length; e++) s += model.weights[buckets[e]!]! * values[e]!;
    out[k] = s;
  }
  return out;
}
