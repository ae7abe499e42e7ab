import { describe, expect, it } from 'vitest';
import { loadModel, scoreAnalysis, scoreVector } from '../../src/model/index.js';
import { tinyModel } from './tiny-model.js';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('scoreVector', () => {
  const model = loadModel(tinyModel());

  it('computes the stacked, calibrated score by the formula', () => {
    // tree: -1 + 2 = 1; linear: 0.25 - (20 - 10) / 5 = -1.75; text: bucket 1 present -> 1.5
    const got = scoreVector(model, { exec_calls: 3, files: 20 }, { 1: 7, 3: 0 });
    expect(got.baseLogits).toEqual([1, -1.75, 1.5]);
    const z = 0.1 + 1 * 1 + 0.5 * -1.75 + 2 * 1.5;
    expect(got.logit).toBeCloseTo(2 * z - 0.2, 12);
    expect(got.score).toBeCloseTo(sigmoid(2 * z - 0.2), 12);
    expect(got.verdict).toBe('malicious');
  });

  it('attributes the score to the inputs that drove it, largest first, summing to the logit', () => {
    const got = scoreVector(
      model,
      { exec_calls: 3, files: 20 },
      { 1: 7 },
      { limit: Number.POSITIVE_INFINITY },
    );
    // exec_calls: 2 * 1 * (2 - 0) = 4; token:1: 2 * 2 * 1.5 = 6; files: 2 * 0.5 * -2 = -2
    expect(got.contributions).toEqual([
      { feature: 'token:1', value: 7, weight: 6 },
      { feature: 'exec_calls', value: 3, weight: 4 },
      { feature: 'files', value: 20, weight: -2 },
    ]);
    expect(got.baseline + 6 + 4 - 2).toBeCloseTo(got.logit, 12);
  });

  it('treats missing and non-finite features as 0 and ignores tokens outside the buckets', () => {
    const a = scoreVector(model, { files: Number.NaN }, { 9: 5, [-1]: 2 });
    const b = scoreVector(model, { exec_calls: 0, files: 0 }, {});
    expect(a.score).toBe(b.score);
    expect(a.baseLogits).toEqual([-1.5, 2.25, 0]);
  });

  it('clamps standardized linear inputs', () => {
    // (1000 - 10) / 5 = 198, clamped to 3: linear logit 0.25 - 3
    expect(scoreVector(model, { files: 1000 }, {}).baseLogits[1]).toBe(-2.75);
  });

  it('gives the verdict bands from the stored thresholds', () => {
    expect(scoreVector(model, {}, {}).verdict).toBe('benign');
    expect(scoreVector(model, { exec_calls: 1, files: 10 }, {}).verdict).toMatch(/suspicious|malicious/);
  });
});

describe('scoreAnalysis', () => {
  const model = loadModel(tinyModel());
  const whole = { features: { exec_calls: 0, files: 40 }, tokens: {} };
  const unit = { path: 'pkg/__init__.py', features: { exec_calls: 2, files: 1 }, tokens: {} };

  it("keeps the unit's score when it is higher, and names the file", () => {
    const got = scoreAnalysis(model, { ...whole, unit });
    expect(got.score).toBe(scoreVector(model, unit.features, unit.tokens).score);
    expect(got.score).toBeGreaterThan(scoreVector(model, whole.features, whole.tokens).score);
    expect(got.unit).toBe('pkg/__init__.py');
  });

  it('keeps the whole package score when the unit scores lower or there is none', () => {
    const high = { features: { exec_calls: 3, files: 1 }, tokens: {} };
    expect(
      scoreAnalysis(model, { ...high, unit: { ...unit, features: { exec_calls: 0, files: 1 } } }),
    ).toEqual(scoreVector(model, high.features, high.tokens));
    expect(scoreAnalysis(model, whole)).toEqual(scoreVector(model, whole.features, whole.tokens));
  });
});
