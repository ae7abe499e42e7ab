import { expect, it } from 'vitest';
import { createLimiter } from '../../src/registry/limit.js';

it('never runs more tasks at once than the limit, and runs them all', async () => {
  const limit = createLimiter(3);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      limit(async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 1));
        active--;
        if (i === 5) throw new Error('task 5');
        return i;
      }).catch((e: Error) => e.message),
    ),
  );
  expect(peak).toBe(3);
  expect(results[5]).toBe('task 5');
  expect(results[19]).toBe(19);
});
