import { describe, expect, it } from 'vitest';
import { fitLogisticDense } from '../../train/logistic.js';
import { figuresAt, recallAtFpr, rocAuc } from '../../train/metrics.js';
import { makeRng } from '../../train/prng.js';

describe('metrics', () => {
  it('rocAuc counts ordered pairs, ties as half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.5, 0.5], [0, 1])).toBe(0.5);
    expect(rocAuc([0.9, 0.1], [0, 1])).toBe(0);
  });

  it('recallAtFpr flags only scores above the allowed benign tail', () => {
    const benign = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const scores = [...benign, 0.9985, 0.9995, 0.5];
    const labels = [...benign.map(() => 0), 1, 1, 1];
    // One false positive allowed at 0.1% of 1000: the cut is the second-highest benign score (0.998).
    expect(recallAtFpr(scores, labels, 0.001)).toBeCloseTo(2 / 3, 12);
    expect(recallAtFpr(scores, labels, 0)).toBeCloseTo(1 / 3, 12);
  });

  it('figuresAt counts per source', () => {
    const f = figuresAt(
      [0.9, 0.2, 0.7, 0.1],
      [1, 1, 0, 0],
      ['malicious', 'malicious', 'benign-wheel', 'benign-sdist'],
      0.5,
    );
    expect(f.counts).toMatchObject({ tp: 1, fn: 1, fp: 1, tn: 1 });
    expect(f.fprBySource).toEqual({ 'benign-wheel': 1, 'benign-sdist': 0 });
    expect(f.f1).toBeCloseTo(0.5, 12);
  });
});

describe('fitLogisticDense', () => {
  it('recovers the weights that generated the labels', () => {
    const rng = makeRng(8);
    const m = 20000;
    const Z = new Float64Array(m * 2);
    const y = new Uint8Array(m);
    for (let k = 0; k < m; k++) {
      Z[2 * k] = rng.next() * 4 - 2;
      Z[2 * k + 1] = rng.next() * 4 - 2;
      const z = 0.5 + 1.5 * Z[2 * k]! - 1 * Z[2 * k + 1]!;
      y[k] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const w = fitLogisticDense(Z, m, 2, y, { l2: 0 });
    expect(Math.abs(w[0]! - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(w[1]! - 1.5)).toBeLessThan(0.1);
    expect(Math.abs(w[2]! + 1)).toBeLessThan(0.1);
  });
});
