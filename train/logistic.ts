// L2 logistic regression fitters over a dense row-major matrix or a CSR matrix, shared by the linear
// base learners, the meta-learner and Platt scaling. Returns [bias, w_1..w_d].
import { lbfgs, logisticObjective } from './optimize.js';

export interface LogisticOptions {
  l2: number;
  maxIterations?: number;
  tolerance?: number;
  sampleWeight?: Float64Array;
}

/** Dense: Z is m x d row-major. */
export function fitLogisticDense(
  Z: Float64Array,
  m: number,
  d: number,
  y: ArrayLike<number>,
  o: LogisticOptions,
) {
  const objective = logisticObjective(
    y,
    (w, out) => {
      for (let k = 0; k < m; k++) {
        let s = w[0]!;
        const row = k * d;
        for (let j = 0; j < d; j++) s += w[j + 1]! * Z[row + j]!;
        out[k] = s;
      }
    },
    (r, grad) => {
      for (let k = 0; k < m; k++) {
        const rk = r[k]!;
        if (rk === 0) continue;
        grad[0]! += rk;
        const row = k * d;
        for (let j = 0; j < d; j++) grad[j + 1]! += rk * Z[row + j]!;
      }
    },
    o.l2,
    o.sampleWeight,
  );
  return lbfgs(objective, new Float64Array(d + 1), {
    maxIterations: o.maxIterations ?? 300,
    tolerance: o.tolerance,
  });
}

/** Sparse: row k's entries are idx/val[ptr[k] .. ptr[k+1]) over d columns. */
export function fitLogisticSparse(
  ptr: Int32Array,
  idx: Int32Array,
  val: Float64Array,
  d: number,
  y: ArrayLike<number>,
  o: LogisticOptions,
) {
  const m = ptr.length - 1;
  const objective = logisticObjective(
    y,
    (w, out) => {
      for (let k = 0; k < m; k++) {
        let s = w[0]!;
        for (let e = ptr[k]!; e < ptr[k + 1]!; e++) s += w[idx[e]! + 1]! * val[e]!;
        out[k] = s;
      }
    },
    (r, grad) => {
      for (let k = 0; k < m; k++) {
        const rk = r[k]!;
        grad[0]! += rk;
        for (let e = ptr[k]!; e < ptr[k + 1]!; e++) grad[idx[e]! + 1]! += rk * val[e]!;
      }
    },
    o.l2,
    o.sampleWeight,
  );
  return lbfgs(objective, new Float64Array(d + 1), {
    maxIterations: o.maxIterations ?? 300,
    tolerance: o.tolerance,
  });
}
