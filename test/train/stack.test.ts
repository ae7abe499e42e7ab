// The whole training pipeline on a small synthetic table: the saved model, loaded by src/model, gives
// the trainer's own scores (parity), the same seed gives the same file, and the thresholds hold on the
// out-of-fold scores they were chosen on.
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load.js';
import { scoreVector } from '../../src/model/score.js';
import { allRows, buildDataset } from '../../train/dataset.js';
import { forest } from '../../train/learners/forest.js';
import { gbdt } from '../../train/learners/gbdt.js';
import { linear } from '../../train/learners/linear.js';
import { tokenLogistic, tokenNaiveBayes } from '../../train/learners/text.js';
import { buildModelJson } from '../../train/model-file.js';
import { predictStack, STACK_DEFAULTS, type StackOptions, trainStack } from '../../train/stack.js';
import { syntheticTable } from './synthetic.js';

const table = syntheticTable({ rows: 900, features: 24, buckets: 256, behaviours: 12, seed: 4 });
const data = buildDataset(table);
const rows = allRows(data);
const options = (seed: number): StackOptions => ({
  ...STACK_DEFAULTS,
  seed,
  folds: 3,
  featureLearners: [gbdt({ rounds: 30 }), forest({ trees: 15 }), linear()],
  textLearners: [tokenNaiveBayes(), tokenLogistic()],
});
const stack = trainStack(data, rows, options(1));
const json = buildModelJson(stack, data, rows, 1);
const text = JSON.stringify(json);

describe('trained stack', () => {
  it('scores every row the same through src/model as in the trainer (parity)', () => {
    const model = loadModel(text);
    const trainer = predictStack(stack, data, rows);
    table.forEach((row, i) => {
      const got = scoreVector(model, row.features, row.tokens);
      expect(Math.abs(got.score - trainer.score[i]!)).toBeLessThan(1e-12);
      got.baseLogits.forEach((l, j) => {
        expect(Math.abs(l - trainer.baseLogits[j]![i]!)).toBeLessThan(1e-12);
      });
    });
  });

  it('stores parity vectors that the runtime reproduces', () => {
    const model = loadModel(text);
    expect(json.parity.length).toBeGreaterThanOrEqual(4);
    for (const p of json.parity)
      expect(scoreVector(model, p.features, p.tokens).score).toBeCloseTo(p.score, 12);
  });

  it('explains each score exactly: baseline + contributions = logit', () => {
    const model = loadModel(text);
    for (const row of table.slice(0, 50)) {
      const got = scoreVector(model, row.features, row.tokens, { limit: Number.POSITIVE_INFINITY });
      const sum = got.contributions.reduce((a, c) => a + c.weight, got.baseline);
      expect(sum).toBeCloseTo(got.logit, 6);
      const sizes = got.contributions.map((c) => Math.abs(c.weight));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
  });

  it('writes the same model file for the same seed, and a different one for another seed', () => {
    expect(JSON.stringify(buildModelJson(trainStack(data, rows, options(1)), data, rows, 1))).toBe(text);
    expect(JSON.stringify(buildModelJson(trainStack(data, rows, options(2)), data, rows, 2))).not.toBe(text);
  });

  it('keeps benign false positives within the targets on the out-of-fold scores', () => {
    const { malicious, suspicious } = stack.calibrated.thresholds;
    expect(suspicious).toBeLessThanOrEqual(malicious);
    let benign = 0;
    let flagged = 0;
    stack.oof.score.forEach((s, i) => {
      if (data.y[rows[i]!]) return;
      benign++;
      if (s >= malicious) flagged++;
    });
    expect(flagged).toBeLessThanOrEqual(Math.floor(0.001 * benign));
  });

  it('records the training data digest and counts', () => {
    expect(json.training.rows).toBe(table.length);
    expect(json.training.malicious).toBe(table.filter((r) => r.label === 1).length);
    expect(json.training.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
