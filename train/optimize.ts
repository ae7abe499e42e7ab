// L-BFGS with a backtracking (Armijo) line search, for the L2 logistic regressions (numeric features,
// token counts, the meta-learner). Hand-written because the JavaScript optimizers on npm are either
// unmaintained or pull in a whole numeric framework, and this is ~60 lines of a textbook algorithm.

/** Returns the loss at w and writes its gradient into grad. */
export type Objective = (w: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Stop when the gradient's max-norm falls below this. */
  tolerance: number;
  memory: number;
}

export function lbfgs(f: Objective, w0: Float64Array, options: Partial<LbfgsOptions> = {}): Float64Array {
  const { maxIterations = 200, tolerance = 1e-6, memory = 10 } = options;
  const n = w0.length;
  let w = Float64Array.from(w0);
  let grad = new Float64Array(n);
  let loss = f(w, grad);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const dir = new Float64Array(n);
  const alpha = new Float64Array(memory);
  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(grad) < tolerance) break;
    // Two-loop recursion: dir = -H * grad.
    for (let i = 0; i < n; i++) dir[i] = -grad[i]!;
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(S[k]!, dir);
      axpy(-alpha[k]!, Y[k]!, dir);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!);
      for (let i = 0; i < n; i++) dir[i]! *= gamma;
    } else {
      const scale = 1 / Math.max(1, Math.sqrt(dot(grad, grad)));
      for (let i = 0; i < n; i++) dir[i]! *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dot(Y[k]!, dir);
      axpy(alpha[k]! - beta, S[k]!, dir);
    }
    let slope = dot(grad, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature went bad): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -grad[i]!;
      slope = dot(grad, dir);
    }
    let step = 1;
    const next = new Float64Array(n);
    const nextGrad = new Float64Array(n);
    let nextLoss = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) next[i] = w[i]! + step * dir[i]!;
      nextLoss = f(next, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(nextLoss < loss) && !(nextLoss <= loss + 1e-4 * step * slope)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i]! - w[i]!;
      y[i] = nextGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const improvement = loss - nextLoss;
    w = next;
    grad = nextGrad;
    loss = nextLoss;
    if (improvement >= 0 && improvement < 1e-12 * Math.max(1, Math.abs(loss))) break;
  }
  return w;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Numerically safe log(1 + exp(z)). */
export const softplus = (z: number): number =>
  z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));

/**
 * L2-regularized mean logistic loss for a model whose logit for row k is bias + <w, x_k>, given a
 * callback that computes all logits and one that accumulates X^T r. Weight index 0 is the bias
 * (not penalized).
 */
export function logisticObjective(
  y: ArrayLike<number>,
  logits: (w: Float64Array, out: Float64Array) => void,
  backprop: (residual: Float64Array, grad: Float64Array) => void,
  l2: number,
  sampleWeight?: Float64Array,
): Objective {
  const m = y.length;
  const z = new Float64Array(m);
  const residual = new Float64Array(m);
  let totalWeight = 0;
  for (let k = 0; k < m; k++) totalWeight += sampleWeight ? sampleWeight[k]! : 1;
  return (w, grad) => {
    logits(w, z);
    let loss = 0;
    for (let k = 0; k < m; k++) {
      const sw = sampleWeight ? sampleWeight[k]! : 1;
      const zk = z[k]!;
      loss += sw * (softplus(zk) - y[k]! * zk);
      const p = zk >= 0 ? 1 / (1 + Math.exp(-zk)) : Math.exp(zk) / (1 + Math.exp(zk));
      residual[k] = (sw * (p - y[k]!)) / totalWeight;
    }
    loss /= totalWeight;
    grad.fill(0);
    backprop(residual, grad);
    for (let i = 1; i < w.length; i++) {
      loss += 0.5 * l2 * w[i]! * w[i]!;
      grad[i]! += l2 * w[i]!;
    }
    return loss;
  };
}
