import { describe, expect, it } from 'vitest';
import { benignConstraints, chooseThreshold, fitPlatt } from '../../train/calibrate.js';
import { makeRng } from '../../train/prng.js';
import type { RowSource } from '../../train/table.js';

function gaussian(rng: ReturnType<typeof makeRng>): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** 3,000 sdists, 3,000 wheels, 100 hard-benign (scores shifted up), 3,000 malicious. */
function synthetic(seed: number) {
  const rng = makeRng(seed);
  const sources: RowSource[] = [];
  const labels: number[] = [];
  const scores: number[] = [];
  const add = (source: RowSource, n: number, mean: number) => {
    for (let i = 0; i < n; i++) {
      sources.push(source);
      labels.push(source === 'malicious' ? 1 : 0);
      scores.push(1 / (1 + Math.exp(-(mean + gaussian(rng)))));
    }
  };
  add('benign-sdist', 3000, -3);
  add('benign-wheel', 3000, -3.5);
  add('hard-benign', 100, -1);
  add('malicious', 3000, 1.5);
  return { sources, labels, scores: Float64Array.from(scores) };
}

describe('chooseThreshold', () => {
  for (const target of [0.001, 0.01]) {
    it(`meets a ${target * 100}% FPR target overall and per benign source, and is the lowest that does`, () => {
      const { sources, labels, scores } = synthetic(5);
      const constraints = benignConstraints(sources, labels, target);
      const choice = chooseThreshold(scores, labels, constraints);
      for (const c of constraints) {
        let fp = 0;
        scores.forEach((s, i) => {
          if (c.rows[i] && s >= choice.threshold) fp++;
        });
        expect(fp).toBeLessThanOrEqual(
          Math.floor(target * choice.counts.find((x) => x.label === c.label)!.rows),
        );
      }
      // The next score below the threshold would break a constraint.
      const below = Math.max(...[...scores].filter((s) => s < choice.threshold));
      const broken = constraints.some((c) => {
        let fp = 0;
        scores.forEach((s, i) => {
          if (c.rows[i] && s >= below) fp++;
        });
        return fp > Math.floor(target * c.rows.reduce((a, b) => a + b, 0));
      });
      expect(broken).toBe(true);
      expect(choice.recall).toBeGreaterThan(0.2);
    });
  }

  it('allows no false positive where a source is too small for the target', () => {
    const scores = Float64Array.from([0.9, 0.8, 0.7, 0.2]);
    const labels = [1, 0, 1, 0];
    const sources: RowSource[] = ['malicious', 'benign-wheel', 'malicious', 'benign-wheel'];
    const choice = chooseThreshold(scores, labels, benignConstraints(sources, labels, 0.001));
    expect(choice.threshold).toBeGreaterThan(0.8);
    expect(choice.threshold).toBeLessThanOrEqual(0.9);
  });
});

describe('fitPlatt', () => {
  it('recovers the slope and intercept that generated the labels', () => {
    const rng = makeRng(3);
    const z = new Float64Array(20000);
    const y = new Uint8Array(z.length);
    for (let i = 0; i < z.length; i++) {
      z[i] = 6 * rng.next() - 3;
      y[i] = rng.next() < 1 / (1 + Math.exp(-(2 * z[i]! - 0.5))) ? 1 : 0;
    }
    const { a, b } = fitPlatt(z, y);
    expect(a).toBeCloseTo(2, 0);
    expect(Math.abs(a - 2)).toBeLessThan(0.15);
    expect(Math.abs(b + 0.5)).toBeLessThan(0.1);
  });
});
