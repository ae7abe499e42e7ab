import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// CPU-time measures for scaling tests. The finding is a ratio (a linear stage about doubles when its input
// doubles, a square law quadruples), never a wall time, and it must hold on a loaded two-core machine
// where the suite runs files in parallel: one measurement there can come out 30% slow.

// A full collection before each timing, so no run pays for the garbage of the one before it (with a large
// parsed file alive, one major collection costs more than a fast rule).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** CPU milliseconds (user + system) of `run`, after a full garbage collection. */
export function cpuMs(run: () => void): number {
  collectGarbage();
  const before = process.cpuUsage();
  run();
  return sinceMs(before);
}

/** cpuMs for work that may wait on promises (the process's CPU time, so other tasks must be idle). */
async function cpuMsAsync(run: () => Promise<void>): Promise<number> {
  collectGarbage();
  const before = process.cpuUsage();
  await run();
  return sinceMs(before);
}

function sinceMs(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * How much longer `run(large)` takes than `run(small)`, in CPU time: each side repeated enough times to take
 * at least `floorMs` at the small size, alternated, and the best of `rounds` kept, so the figure holds on a
 * loaded machine. A linear stage gives about 2 when large is twice small. Undefined when one run on the
 * large input takes under `negligibleMs`: too short to time, and harmless at any size a file can have
 * (even a square law would cost (1 MB / large)^2 times that).
 */
export async function growth<T>(
  run: (input: T) => unknown,
  small: T,
  large: T,
  { floorMs = 15, rounds = 3, negligibleMs = 0 } = {},
): Promise<number | undefined> {
  if (
    negligibleMs > 0 &&
    Math.min(await cpuMsAsync(() => repeat(run, large, 1)), await cpuMsAsync(() => repeat(run, large, 1))) <
      negligibleMs
  )
    return undefined;
  let times = 1;
  while ((await cpuMsAsync(() => repeat(run, small, times))) < floorMs && times < 1 << 16) times *= 2;
  let best = Number.POSITIVE_INFINITY;
  let bestLarge = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    best = Math.min(best, await cpuMsAsync(() => repeat(run, small, times)));
    bestLarge = Math.min(bestLarge, await cpuMsAsync(() => repeat(run, large, times)));
  }
  return bestLarge / Math.max(best, 0.001);
}

/**
 * The growth of `run` when its input doubles from `make(size)`. A first ratio above `bound` is measured
 * again, and one doubling further, before it is returned: a square law grows 4x at every doubling, while a
 * linear stage on a busy machine (or one that outgrows a cache at one size) passes at least one of them.
 */
export async function linearGrowth<T>(
  make: (size: number) => T,
  run: (input: T) => unknown,
  size: number,
  { bound = 2.6, floorMs = 20, rounds = 3 } = {},
): Promise<number> {
  const small = make(size);
  const large = make(2 * size);
  const first = (await growth(run, small, large, { floorMs, rounds })) ?? 0;
  if (first <= bound) return first;
  const again = { floorMs: 2 * floorMs, rounds };
  return Math.min(
    first,
    (await growth(run, small, large, again)) ?? 0,
    (await growth(run, large, make(4 * size), again)) ?? 0,
  );
}

async function repeat<T>(run: (input: T) => unknown, input: T, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const result = run(input);
    if (result instanceof Promise) await result;
  }
}
