import { describe, expect, it } from 'vitest';
import { groupKFold, splitFold } from '../../train/folds.js';
import { syntheticTable } from './synthetic.js';

const rows = syntheticTable({ rows: 3000, features: 4, buckets: 16, seed: 9 });
const groups = rows.map((r) => r.group);
const labels = rows.map((r) => r.label);

describe('groupKFold', () => {
  const fold = groupKFold(groups, labels, 5, 1);

  it('never splits a group across folds', () => {
    const seen = new Map<string, number>();
    groups.forEach((g, i) => {
      const f = seen.get(g);
      if (f === undefined) seen.set(g, fold[i]!);
      else expect(fold[i]).toBe(f);
    });
    // The synthetic table does have multi-row groups, so the check above is not vacuous.
    expect(seen.size).toBeLessThan(rows.length * 0.9);
  });

  it('stratifies: every fold holds about a fifth of each label', () => {
    for (const label of [0, 1]) {
      const total = labels.filter((l) => l === label).length;
      for (let f = 0; f < 5; f++) {
        const inFold = labels.filter((l, i) => l === label && fold[i] === f).length;
        expect(Math.abs(inFold - total / 5)).toBeLessThan(total * 0.02 + 3);
      }
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    expect(groupKFold(groups, labels, 5, 1)).toEqual(fold);
    expect(groupKFold(groups, labels, 5, 2)).not.toEqual(fold);
  });

  it('splitFold partitions the given rows', () => {
    const all = Int32Array.from(rows.keys());
    const { train, test } = splitFold(all, fold, 2);
    expect(train.length + test.length).toBe(rows.length);
    expect([...test].every((r) => fold[r] === 2)).toBe(true);
    expect([...train].every((r) => fold[r] !== 2)).toBe(true);
  });
});
