// Scoring one package with the loaded model: every base learner gives a logit, the meta-learner (a
// logistic regression) combines them, Platt scaling turns that into a probability. Contributions say
// which inputs drove the score: path attributions (Saabas) for trees, weight * value for linear parts,
// carried through the meta weights and calibration slope, in logit units.
import type { Analysis, ModelScore } from '../types.js';
import type { CompiledBase, CompiledTokenLinear, LoadedModel } from './compile.js';
import { clamp, FOREST_EPS, featureVector, probabilityLogit, sigmoid, tokenEntries } from './vector.js';

export interface ModelScoreDetail extends ModelScore {
  /** Calibrated logit (score = sigmoid(logit)). */
  logit: number;
  /** Each base learner's clamped logit, in model order. */
  baseLogits: number[];
  /** The logit with every input's contribution taken away: logit = baseline + sum of all contributions. */
  baseline: number;
  verdict: 'malicious' | 'suspicious' | 'benign';
}

export interface ScoreOptions {
  /** How many contributions to return (largest absolute value first); default 20, Infinity for all. */
  limit?: number;
}

/** Name under which a token bucket appears in contributions. */
export const tokenFeatureName = (bucket: number): string => `token:${bucket}`;

export function scoreVector(
  model: LoadedModel,
  features: Record<string, number>,
  tokens: Record<number, number>,
  options: ScoreOptions = {},
): ModelScoreDetail {
  const x = featureVector(model.features, features);
  const tok = tokenEntries(tokens, model.tokenBuckets);
  const nf = model.features.length;
  const total = new Float64Array(nf + model.tokenBuckets);
  const part = new Float64Array(nf + model.tokenBuckets);
  const baseLogits: number[] = [];
  let z = model.meta.bias;
  let z0 = model.meta.bias;
  model.base.forEach((base, i) => {
    part.fill(0);
    const { raw, constant } = baseRaw(base, x, tok, part, nf);
    const logit = clamp(link(base, raw), model.logitClip);
    // Rescale the raw-space attributions so they sum to this learner's logit minus its constant.
    const span = raw - constant;
    const constantLogit = clamp(link(base, constant), model.logitClip);
    const factor =
      Math.abs(span) > 1e-12
        ? (logit - constantLogit) / span
        : Math.abs(logit) >= model.logitClip
          ? 0
          : linkSlope(base, raw);
    z0 += model.meta.weights[i]! * constantLogit;
    const w = model.meta.weights[i]! * model.calibration.a * factor;
    if (w !== 0) for (let k = 0; k < total.length; k++) if (part[k] !== 0) total[k]! += w * part[k]!;
    baseLogits.push(logit);
    z += model.meta.weights[i]! * logit;
  });
  const logit = model.calibration.a * z + model.calibration.b;
  const score = sigmoid(logit);
  return {
    score,
    logit,
    baseLogits,
    baseline: model.calibration.a * z0 + model.calibration.b,
    verdict:
      score >= model.thresholds.malicious
        ? 'malicious'
        : score >= model.thresholds.suspicious
          ? 'suspicious'
          : 'benign',
    contributions: topContributions(model, total, x, tok, options.limit ?? 20),
  };
}

/**
 * A package's score: the whole archive's, or its unit's (the file of its strongest evidence scored alone,
 * src/features/unit.ts) when that is higher, so an implant is judged by itself, not by the project around it.
 * `unit` names the file when its score is the one returned.
 */
export function scoreAnalysis(
  model: LoadedModel,
  analysis: Pick<Analysis, 'features' | 'tokens' | 'unit'>,
  options: ScoreOptions = {},
): ModelScoreDetail & { unit?: string } {
  const whole = scoreVector(model, analysis.features, analysis.tokens, options);
  if (!analysis.unit) return whole;
  const alone = scoreVector(model, analysis.unit.features, analysis.unit.tokens, options);
  return alone.score > whole.score ? { ...alone, unit: analysis.unit.path } : whole;
}

function topContributions(
  model: LoadedModel,
  total: Float64Array,
  x: Float64Array,
  tok: { bucket: Int32Array; count: Float64Array },
  limit: number,
): ModelScore['contributions'] {
  const nf = model.features.length;
  const idx: number[] = [];
  for (let k = 0; k < total.length; k++) if (Math.abs(total[k]!) > 1e-9) idx.push(k);
  idx.sort((a, b) => Math.abs(total[b]!) - Math.abs(total[a]!) || a - b);
  return idx.slice(0, limit).map((k) => {
    if (k < nf) return { feature: model.features[k]!, value: x[k]!, weight: total[k]! };
    const bucket = k - nf;
    const at = tok.bucket.indexOf(bucket);
    return { feature: tokenFeatureName(bucket), value: at >= 0 ? tok.count[at]! : 0, weight: total[k]! };
  });
}

function link(base: CompiledBase, raw: number): number {
  return base.kind === 'tree-ensemble' && base.link === 'mean-probability' ? probabilityLogit(raw) : raw;
}

function linkSlope(base: CompiledBase, raw: number): number {
  if (base.kind === 'tree-ensemble' && base.link === 'mean-probability') {
    return 1 / (raw + FOREST_EPS) + 1 / (1 - raw + FOREST_EPS);
  }
  return 1;
}

/** A base learner's raw output (logit, or vote share for forests) and its input-free constant part. */
function baseRaw(
  base: CompiledBase,
  x: Float64Array,
  tok: { bucket: Int32Array; count: Float64Array },
  contrib: Float64Array,
  nf: number,
): { raw: number; constant: number } {
  if (base.kind === 'linear') {
    let raw = base.bias;
    for (let j = 0; j < base.feature.length; j++) {
      const f = base.feature[j]!;
      const term =
        base.weight[j]! * linearInput(x[f]!, base.log1p[j]!, base.center[j]!, base.scale[j]!, base.clip);
      raw += term;
      contrib[f]! += term;
    }
    return { raw, constant: base.bias };
  }
  if (base.kind === 'token-linear') {
    const values = tokenValues(base, tok.bucket, tok.count);
    let raw = base.bias;
    for (let k = 0; k < tok.bucket.length; k++) {
      const b = tok.bucket[k]!;
      const term = base.weights[b]! * values[k]!;
      raw += term;
      contrib[nf + b]! += term;
    }
    return { raw, constant: base.bias };
  }
  const scale = base.link === 'mean-probability' ? 1 / base.roots.length : 1;
  let sum = base.link === 'sum' ? base.bias : 0;
  let constant = sum;
  let rootSum = 0;
  for (let t = 0; t < base.roots.length; t++) {
    let node = base.roots[t]!;
    rootSum += base.value[node]!;
    while (base.feature[node]! >= 0) {
      const f = base.feature[node]!;
      const next = x[f]! <= base.threshold[node]! ? base.left[node]! : base.right[node]!;
      contrib[f]! += (base.value[next]! - base.value[node]!) * scale;
      node = next;
    }
    sum += base.value[node]!;
  }
  if (base.link === 'mean-probability') return { raw: sum / base.roots.length, constant: rootSum * scale };
  constant += rootSum;
  return { raw: sum, constant };
}

/** The value a linear term multiplies: optional log1p, standardized, clamped. */
export function linearInput(
  value: number,
  log1p: number,
  center: number,
  scale: number,
  clip: number,
): number {
  const v = log1p ? Math.log1p(Math.max(value, 0)) : value;
  return clamp((v - center) / scale, clip);
}

/** Per-entry inputs of a token-linear learner (same order as the entries). */
export function tokenValues(
  base: Pick<CompiledTokenLinear, 'transform' | 'normalize' | 'idf'>,
  bucket: Int32Array,
  count: Float64Array,
): Float64Array {
  const out = new Float64Array(bucket.length);
  let sq = 0;
  for (let k = 0; k < bucket.length; k++) {
    const c = count[k]!;
    const t = base.transform === 'binary' ? 1 : Math.log1p(c);
    const v = base.idf === null ? t : t * base.idf[bucket[k]!]!;
    out[k] = v;
    sq += v * v;
  }
  if (base.normalize === 'l2' && sq > 0) {
    const norm = Math.sqrt(sq);
    for (let k = 0; k < out.length; k++) out[k] = out[k]! / norm;
  }
  return out;
}
