// Each base learner must learn a separable synthetic problem (held-out AUC near 1) and must not
// "learn" the same problem with shuffled labels (held-out AUC near 0.5); same seed, same model.
import { describe, expect, it } from 'vitest';
import { allRows, buildDataset, type Dataset } from '../../train/dataset.js';
import { groupKFold, splitFold } from '../../train/folds.js';
import { forest } from '../../train/learners/forest.js';
import { gbdt } from '../../train/learners/gbdt.js';
import { linear } from '../../train/learners/linear.js';
import { tokenLogistic, tokenNaiveBayes } from '../../train/learners/text.js';
import type { Learner } from '../../train/learners/types.js';
import { rocAuc } from '../../train/metrics.js';
import { SEPARABLE, syntheticTable } from './synthetic.js';

const small = { rows: 800, features: 24, buckets: 256, behaviours: 12 };
const separable = buildDataset(syntheticTable({ ...small, ...SEPARABLE, seed: 1 }));
const shuffled = buildDataset(syntheticTable({ ...small, ...SEPARABLE, seed: 1, shuffleLabels: true }));

const learners: Learner[] = [
  gbdt({ rounds: 60 }),
  forest({ trees: 40 }),
  linear(),
  tokenNaiveBayes(),
  tokenLogistic(),
];

function heldOutAuc(learner: Learner, data: Dataset): number {
  const { train, test } = splitFold(allRows(data), groupKFold(data.groups, data.y, 4, 3), 0);
  const logits = learner.fit(data, train, 42).predict(data, test);
  return rocAuc(
    logits,
    Array.from(test, (r) => data.y[r]!),
  );
}

describe.each(learners.map((l) => [l.name, l] as const))('%s', (_, learner) => {
  it('learns a separable problem', () => {
    expect(heldOutAuc(learner, separable)).toBeGreaterThan(0.95);
  });

  it('learns nothing from shuffled labels', () => {
    const auc = heldOutAuc(learner, shuffled);
    expect(auc).toBeGreaterThan(0.35);
    expect(auc).toBeLessThan(0.65);
  });

  it('gives the same model for the same seed', () => {
    const rows = allRows(separable);
    const a = JSON.stringify(learner.fit(separable, rows, 7).toJson());
    const b = JSON.stringify(learner.fit(separable, rows, 7).toJson());
    expect(a).toBe(b);
  });

  it('predicts what its saved form says (finite logits, one per row)', () => {
    const rows = allRows(separable);
    const logits = learner.fit(separable, rows, 7).predict(separable, rows);
    expect(logits.length).toBe(rows.length);
    expect(logits.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('seeds', () => {
  it('a different seed gives a different randomized model (the seed is used)', () => {
    const rows = allRows(separable);
    for (const learner of [gbdt({ rounds: 20 }), forest({ trees: 10 })]) {
      const a = JSON.stringify(learner.fit(separable, rows, 1).toJson());
      const b = JSON.stringify(learner.fit(separable, rows, 2).toJson());
      expect(a).not.toBe(b);
    }
  });
});
