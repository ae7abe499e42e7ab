// What every base learner looks like to the stack: fit on some rows of a Dataset with a seed, then
// give logits for other rows and serialize itself in one of the runtime's forms (src/model/format.ts).
import type { BaseLearnerJson } from '../../src/model/format.js';
import type { Dataset } from '../dataset.js';

export interface Learner {
  name: string;
  /** What it reads: the named features or the hashed tokens (for reports). */
  inputs: 'features' | 'tokens';
  fit(data: Dataset, rows: Int32Array, seed: number): FittedLearner;
}

export interface FittedLearner {
  /** Logits (after the learner's link, before the stack's clamp), one per row, same computation as src/model. */
  predict(data: Dataset, rows: Int32Array): Float64Array;
  toJson(): BaseLearnerJson;
  /** Per named feature, how much the learner used it (gain for trees, |weight| * spread for linear). */
  importance?(): Float64Array;
}

/** Round to significant digits, so the stored model is what the trainer scored with (exact parity). */
export function round(value: number, digits = 7): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
