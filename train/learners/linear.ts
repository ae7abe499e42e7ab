// L2 logistic regression on the named features: skewed non-negative features (counts, sizes) go
// through log1p, then everything is standardized on the training rows and clamped, so one huge file
// cannot swing the score. The clamp and transforms are stored, and src/model applies the same ones.
import type { LinearJson, LinearTermJson } from '../../src/model/format.js';
import { linearInput } from '../../src/model/score.js';
import type { Dataset } from '../dataset.js';
import { fitLogisticDense } from '../logistic.js';
import { type FittedLearner, type Learner, round } from './types.js';

export interface LinearOptions {
  l2: number;
  clip: number;
  /** Sample skewness above which a non-negative feature is log1p-transformed. */
  skew: number;
}

export const LINEAR_DEFAULTS: LinearOptions = { l2: 3e-3, clip: 8, skew: 1 };

export function linear(options: Partial<LinearOptions> = {}, name = 'linear'): Learner {
  const o = { ...LINEAR_DEFAULTS, ...options };
  return {
    name,
    inputs: 'features',
    fit(data: Dataset, rows: Int32Array): FittedLearner {
      const m = rows.length;
      const terms: LinearTermJson[] = [];
      const values = new Float64Array(m);
      for (let j = 0; j < data.d; j++) {
        const col = j * data.n;
        let min = Number.POSITIVE_INFINITY;
        for (let k = 0; k < m; k++) {
          values[k] = data.X[col + rows[k]!]!;
          min = Math.min(min, values[k]!);
        }
        const log1p = min >= 0 && skewness(values) > o.skew;
        if (log1p) for (let k = 0; k < m; k++) values[k] = Math.log1p(values[k]!);
        const { mean, sd } = meanSd(values);
        if (!(sd > 1e-9)) continue; // constant on the training rows: nothing to learn
        terms.push({ feature: j, log1p, center: round(mean), scale: round(sd), weight: 0 });
      }
      const d = terms.length;
      const Z = new Float64Array(m * d);
      const y = new Float64Array(m);
      for (let k = 0; k < m; k++) {
        const r = rows[k]!;
        y[k] = data.y[r]!;
        terms.forEach((t, c) => {
          Z[k * d + c] = linearInput(
            data.X[t.feature * data.n + r]!,
            t.log1p ? 1 : 0,
            t.center,
            t.scale,
            o.clip,
          );
        });
      }
      const w = fitLogisticDense(Z, m, d, y, { l2: o.l2 });
      terms.forEach((t, c) => {
        t.weight = round(w[c + 1]!);
      });
      const json: LinearJson = { kind: 'linear', name, bias: round(w[0]!), clip: o.clip, terms };
      return {
        predict: (dd, rs) => predictLinear(json, dd, rs),
        toJson: () => json,
        importance: () => {
          const out = new Float64Array(data.d);
          for (const t of terms) out[t.feature] = Math.abs(t.weight);
          return out;
        },
      };
    },
  };
}

export function predictLinear(model: LinearJson, data: Dataset, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    let s = model.bias;
    for (const t of model.terms) {
      s +=
        t.weight *
        linearInput(data.X[t.feature * data.n + r]!, t.log1p ? 1 : 0, t.center, t.scale, model.clip);
    }
    out[k] = s;
  }
  return out;
}

function meanSd(values: Float64Array): { mean: number; sd: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) * (v - mean);
  return { mean, sd: Math.sqrt(sq / Math.max(1, values.length - 1)) };
}

function skewness(values: Float64Array): number {
  const { mean, sd } = meanSd(values);
  if (!(sd > 0)) return 0;
  let s = 0;
  for (const v of values) s += ((v - mean) / sd) ** 3;
  return s / values.length;
}
