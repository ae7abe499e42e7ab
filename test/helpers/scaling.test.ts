import { describe, expect, it } from 'vitest';
import { linearGrowth } from './scaling.js';

// The scaling tests lean on linearGrowth; it must still tell a square law from a linear one.
describe('linearGrowth', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);
  it('measures a square law as one, even after confirming', async () => {
    const pairs = (xs: number[]) => {
      let sum = 0;
      for (const a of xs) for (const b of xs) sum += a ^ b;
      return sum;
    };
    expect(await linearGrowth(numbers, pairs, 1000)).toBeGreaterThan(3);
  });
  it('measures a linear pass at about 2', async () => {
    const total = (xs: number[]) => xs.reduce((a, b) => a + (b ^ 7), 0);
    expect(await linearGrowth(numbers, total, 100_000)).toBeLessThan(3);
  });
});
