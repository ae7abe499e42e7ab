// Extraction throughput over the same archives, measured in one run, three ways:
//   read   - decompress and read every archive (src/archive)
//   floor  - read + a bare tree-sitter parse of every Python file (each byte inflated and parsed once)
//   full   - read + full feature extraction (parse, walk, rules, features, evidence)
// The goal is full <= 1.3x floor (issue 13). Archives come from the corpus (read through src/archive only).
import { readFileSync } from 'node:fs';
import { readArchive } from '../src/archive/index.js';
import { defaultClock } from '../src/features/budget.js';
import { extractFeatures, initFeatures } from '../src/features/index.js';
import { bareParse } from '../src/python/index.js';
import { defaultBenignDirs, defaultCorpusDir, listCorpus } from '../train/corpus.js';

const PYTHON = /\.(py|pyw|pth)$/i;

/** Every n-th archive of each source: the same spread sample on every run. */
function sample(perSource: number) {
  const items = listCorpus(defaultCorpusDir(), defaultBenignDirs());
  const bySource = new Map<string, typeof items>();
  for (const item of items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  const out: typeof items = [];
  for (const list of bySource.values()) {
    const step = Math.max(1, Math.floor(list.length / perSource));
    out.push(...list.filter((_, i) => i % step === 0).slice(0, perSource));
  }
  return out;
}

/** `units: false` leaves out the second analysis of each package's unit (src/features/unit.ts), to price it. */
export async function benchExtraction(perSource: number, units = true): Promise<string[]> {
  await initFeatures();
  const items = sample(perSource);
  if (items.length === 0) return ['extraction: no corpus found (../shared/corpus or PMG_CORPUS); skipped'];
  const archives = items.map((i) => readFileSync(i.path));
  const archiveBytes = archives.reduce((n, a) => n + a.length, 0);
  const decoder = new TextDecoder();

  // Warm-up so the JIT and the wasm are equally hot for every pass.
  for (const bytes of archives.slice(0, 10)) extractFeatures(await readArchive(bytes), { unit: units });

  let pyBytes = 0;
  const read = await timed(async () => {
    for (const bytes of archives) {
      const view = await readArchive(bytes);
      for (const e of view.entries) if (e.data && PYTHON.test(e.path)) pyBytes += e.data.length;
    }
  });
  const floor = await timed(async () => {
    for (const bytes of archives) {
      const view = await readArchive(bytes);
      for (const e of view.entries) if (e.data && PYTHON.test(e.path)) bareParse(decoder.decode(e.data));
    }
  });
  const full = await timed(async () => {
    for (const bytes of archives) extractFeatures(await readArchive(bytes), { unit: units });
  });

  const mb = pyBytes / 1e6;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `extraction over ${archives.length} archives (${(archiveBytes / 1e6).toFixed(1)} MB compressed, ${mb.toFixed(1)} MB of Python), one core (wall-clock; CPU time of this thread):`,
    `  read (decompress + entries)      ${s(read.wall)}; ${s(read.cpu)} CPU`,
    `  floor (read + bare parse)        ${s(floor.wall)}; ${s(floor.cpu)} CPU   ${(mb / (floor.cpu / 1000)).toFixed(2)} MB/s of Python`,
    `  full extraction                  ${s(full.wall)}; ${s(full.cpu)} CPU   ${(mb / (full.cpu / 1000)).toFixed(2)} MB/s of Python`,
    `  full / floor                     ${(full.wall / floor.wall).toFixed(2)}x wall-clock, ${(full.cpu / floor.cpu).toFixed(2)}x CPU (goal <= 1.3x, issue 13)`,
    `  per archive                      ${(full.cpu / archives.length).toFixed(1)} ms CPU`,
  ];
}

/**
 * Wall-clock and CPU milliseconds of one pass. On a loaded machine the wall-clock ratio swings with whatever
 * else runs (5x one minute, 2.4x the next); the CPU ratio is the one to compare before and after a change.
 */
async function timed(pass: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const start = defaultClock();
  await pass();
  const end = defaultClock();
  return { wall: end.wallMs - start.wallMs, cpu: end.cpuMs - start.cpuMs };
}
