// The stacking pipeline, as in the seed paper (Samaana et al. 2024): base learners make out-of-fold
// predictions under group k-fold, a logistic-regression meta-learner learns how to combine their
// logits, and the base learners are refit on all the rows given. On top: Platt calibration and the
// malicious/suspicious thresholds, both fitted on out-of-fold stacked scores (the meta-learner is
// cross-fitted over the same folds, so no row's stacked score comes from a model that saw it).
import { clamp, sigmoid } from '../src/model/vector.js';
import { benignConstraints, chooseThreshold, fitPlatt, type ThresholdChoice } from './calibrate.js';
import { type Dataset, packageScores } from './dataset.js';
import { groupKFold, splitFold } from './folds.js';
import { forest } from './learners/forest.js';
import { gbdt } from './learners/gbdt.js';
import { linear } from './learners/linear.js';
import { tokenLogistic, tokenNaiveBayes } from './learners/text.js';
import type { FittedLearner, Learner } from './learners/types.js';
import { round } from './learners/types.js';
import { fitLogisticDense } from './logistic.js';
import { deriveSeed } from './prng.js';

export interface StackOptions {
  seed: number;
  folds: number;
  /** Learners on the named features; all of them go into the stack. */
  featureLearners: Learner[];
  /** Learners on the tokens; the one with the best out-of-fold log loss goes into the stack. */
  textLearners: Learner[];
  logitClip: number;
  metaL2: number;
  targets: { malicious: number; suspicious: number };
  /** Also refit the candidates the stack did not keep (for evaluating every learner alone). */
  refitAll?: boolean;
  log: (line: string) => void;
}

export const defaultLearners = () => ({
  featureLearners: [gbdt(), forest(), linear()],
  textLearners: [tokenNaiveBayes(), tokenLogistic()],
});

export const STACK_DEFAULTS: Omit<StackOptions, 'featureLearners' | 'textLearners'> = {
  seed: 1,
  folds: 5,
  logitClip: 12,
  metaL2: 1e-3,
  targets: { malicious: 0.001, suspicious: 0.01 },
  log: () => {},
};

export interface CalibratedChoice {
  calibration: { a: number; b: number };
  thresholds: { malicious: number; suspicious: number };
  choice: { malicious: ThresholdChoice; suspicious: ThresholdChoice };
}

export interface TrainedStack {
  names: string[];
  bases: FittedLearner[];
  /** Every refit learner by name (the bases, plus the other candidates with refitAll). */
  fitted: Record<string, FittedLearner>;
  logitClip: number;
  meta: { bias: number; weights: number[] };
  calibrated: CalibratedChoice;
  /** Every candidate learner alone, calibrated and thresholded on its own out-of-fold logits. */
  alone: Record<string, CalibratedChoice>;
  oof: {
    rows: Int32Array;
    /** Clamped out-of-fold logits per candidate learner (rows in the order of oof.rows). */
    candidates: Record<string, Float64Array>;
    /** Out-of-fold text-learner log loss (after Platt), which picked the text learner. */
    textLoss: Record<string, number>;
    stackedLogit: Float64Array;
    score: Float64Array;
  };
  timings: Record<string, number>;
}

export function trainStack(data: Dataset, rows: Int32Array, options: StackOptions): TrainedStack {
  const o = options;
  const timings: Record<string, number> = {};
  const time = <T>(key: string, fn: () => T): T => {
    const start = performance.now();
    const out = fn();
    timings[key] = (timings[key] ?? 0) + (performance.now() - start) / 1000;
    return out;
  };
  const y = Uint8Array.from(rows, (r) => data.y[r]!);
  const fold = groupKFold(
    Array.from(rows, (r) => data.groups[r]!),
    y,
    o.folds,
    o.seed,
  );
  const position = new Map<number, number>();
  rows.forEach((r, k) => {
    position.set(r, k);
  });

  // 1. Out-of-fold logits for every candidate learner.
  const candidates: Record<string, Float64Array> = {};
  for (const learner of [...o.featureLearners, ...o.textLearners]) {
    const oof = new Float64Array(rows.length);
    for (let f = 0; f < o.folds; f++) {
      const { train, test } = splitFold(rows, fold, f);
      if (test.length === 0) continue;
      const fitted = time(learner.name, () => learner.fit(data, train, deriveSeed(o.seed, 'fold', f)));
      const logits = fitted.predict(data, test);
      test.forEach((r, k) => {
        oof[position.get(r)!] = clamp(logits[k]!, o.logitClip);
      });
    }
    candidates[learner.name] = oof;
    o.log(`  ${learner.name}: out-of-fold done (${timings[learner.name]!.toFixed(1)} s)`);
  }

  // 2. The text learner with the lowest out-of-fold log loss after Platt scaling (scale-free).
  const textLoss: Record<string, number> = {};
  for (const learner of o.textLearners) textLoss[learner.name] = plattLogLoss(candidates[learner.name]!, y);
  const text = [...o.textLearners].sort((a, b) => textLoss[a.name]! - textLoss[b.name]!)[0];
  if (text) o.log(`  text learner: ${text.name} (out-of-fold log loss ${fmtLoss(textLoss)})`);

  // 3. Meta-learner: logistic regression on the out-of-fold logits, with non-negative weights (as
  // Breiman found stacking needs: correlated learners otherwise get weights of opposite signs, and a
  // feature that raises one learner's score would lower the stack's). A learner whose weight would be
  // negative is dropped and the rest refit; cross-fitted over the folds for out-of-fold stacked scores.
  const fitMeta = (use: Learner[], mask: (i: number) => boolean) => {
    const k = use.length;
    const cols = use.map((l) => candidates[l.name]!);
    const idx: number[] = [];
    for (let i = 0; i < rows.length; i++) if (mask(i)) idx.push(i);
    const Z = new Float64Array(idx.length * k);
    idx.forEach((i, t) => {
      for (let j = 0; j < k; j++) Z[t * k + j] = cols[j]![i]!;
    });
    const w = fitLogisticDense(
      Z,
      idx.length,
      k,
      Uint8Array.from(idx, (i) => y[i]!),
      { l2: o.metaL2, tolerance: 1e-9 },
    );
    return { bias: round(w[0]!), weights: Array.from(w.subarray(1), (v) => round(v)) };
  };
  let chosen = text ? [...o.featureLearners, text] : [...o.featureLearners];
  let meta = fitMeta(chosen, () => true);
  while (chosen.length > 1 && meta.weights.some((w) => w <= 0)) {
    const worst = meta.weights.indexOf(Math.min(...meta.weights));
    o.log(
      `  meta-learner: dropping ${chosen[worst]!.name} (weight ${meta.weights[worst]} with the others present)`,
    );
    chosen = chosen.filter((_, j) => j !== worst);
    meta = fitMeta(chosen, () => true);
  }
  const names = chosen.map((l) => l.name);
  const metaLogit = (m: { bias: number; weights: number[] }, i: number) => {
    let z = m.bias;
    for (let j = 0; j < m.weights.length; j++) z += m.weights[j]! * candidates[names[j]!]![i]!;
    return z;
  };
  const stackedLogit = new Float64Array(rows.length);
  for (let f = 0; f < o.folds; f++) {
    const foldMeta = fitMeta(chosen, (i) => fold[i] !== f);
    for (let i = 0; i < rows.length; i++) if (fold[i] === f) stackedLogit[i] = metaLogit(foldMeta, i);
  }
  o.log(
    `  meta-learner: bias ${meta.bias}, weights ${names.map((n, j) => `${n} ${meta.weights[j]}`).join(', ')}`,
  );

  // 4. Calibration and thresholds on out-of-fold stacked logits, each package's the higher of its own and
  // its unit's (src/model/score.ts scoreAnalysis), so the thresholds hold for the score the gate uses.
  const sources = Array.from(rows, (r) => data.sources[r]!);
  const packageLogit = packageScores(data, rows, stackedLogit);
  const calibrated = calibrateAndChoose(packageLogit, y, sources, o.targets);
  const score = packageLogit.map((z) => sigmoid(calibrated.calibration.a * z + calibrated.calibration.b));
  const alone: Record<string, CalibratedChoice> = {};
  for (const [name, logits] of Object.entries(candidates))
    alone[name] = calibrateAndChoose(logits, y, sources, o.targets);

  // 5. Refit the chosen base learners (or every candidate) on every row.
  const refit = o.refitAll ? [...o.featureLearners, ...o.textLearners] : chosen;
  const fitted: Record<string, FittedLearner> = {};
  for (const l of refit) {
    fitted[l.name] = time(`${l.name} (all rows)`, () => l.fit(data, rows, deriveSeed(o.seed, 'all')));
  }
  o.log(
    `  refit on all ${rows.length} rows: ${refit.map((l) => `${l.name} ${timings[`${l.name} (all rows)`]!.toFixed(1)} s`).join(', ')}`,
  );
  return {
    names,
    bases: names.map((n) => fitted[n]!),
    fitted,
    logitClip: o.logitClip,
    meta,
    calibrated,
    alone,
    oof: { rows, candidates, textLoss, stackedLogit, score },
    timings,
  };
}

export function calibrateAndChoose(
  logits: Float64Array,
  y: Uint8Array,
  sources: Parameters<typeof benignConstraints>[0],
  targets: { malicious: number; suspicious: number },
): CalibratedChoice {
  const calibration = fitPlatt(logits, y);
  const scores = logits.map((z) => sigmoid(calibration.a * z + calibration.b));
  const malicious = chooseThreshold(scores, y, benignConstraints(sources, y, targets.malicious));
  const suspicious = chooseThreshold(scores, y, benignConstraints(sources, y, targets.suspicious));
  const thresholds = {
    malicious: malicious.threshold,
    suspicious: Math.min(suspicious.threshold, malicious.threshold),
  };
  return { calibration, thresholds, choice: { malicious, suspicious } };
}

export interface StackPrediction {
  /** Clamped logits per base learner (in stack order), one array per learner. */
  baseLogits: Float64Array[];
  logit: Float64Array;
  score: Float64Array;
}

/** Score rows with a trained stack, with the same arithmetic (and order) as src/model/score.ts. */
export function predictStack(stack: TrainedStack, data: Dataset, rows: Int32Array): StackPrediction {
  const clip = stack.logitClip;
  const baseLogits = stack.bases.map((b) => b.predict(data, rows).map((v) => clamp(v, clip)));
  const { a, b } = stack.calibrated.calibration;
  const logit = new Float64Array(rows.length);
  const score = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    let z = stack.meta.bias;
    for (let j = 0; j < baseLogits.length; j++) z += stack.meta.weights[j]! * baseLogits[j]![i]!;
    logit[i] = a * z + b;
    score[i] = sigmoid(logit[i]!);
  }
  return { baseLogits, logit, score };
}

function plattLogLoss(logits: Float64Array, y: Uint8Array): number {
  const { a, b } = fitPlatt(logits, y);
  let loss = 0;
  for (let i = 0; i < logits.length; i++) {
    const p = Math.min(1 - 1e-12, Math.max(1e-12, sigmoid(a * logits[i]! + b)));
    loss -= y[i] ? Math.log(p) : Math.log(1 - p);
  }
  return loss / logits.length;
}

const fmtLoss = (losses: Record<string, number>) =>
  Object.entries(losses)
    .map(([n, v]) => `${n} ${v.toFixed(4)}`)
    .join(', ');
