// Hostile 1 MB modules (issue 15): each shape of test/features/hostile-shapes.ts with a payload at the start,
// analysed by extractFeatures in a fresh process so its peak RSS is its own, beside the floor for an ordinary
// 1 MB module (a bare tree-sitter parse) and that module's full extraction.
//   npx tsx bench/hostile.ts [--size BYTES]           the table
//   npx tsx bench/hostile.ts --one SHAPE --size BYTES  one measurement, as a JSON line (used by the table)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extractFeatures, initFeatures } from '../src/features/index.js';
import { bareParse } from '../src/python/index.js';
import { SHAPES, withPayload } from '../test/features/hostile-shapes.js';
import { cpuMs } from '../test/helpers/scaling.js';
import { viewOf } from '../test/features/view.js';

const ORDINARY = 'ordinary module';
/** An ordinary module: functions, a class, docstrings, comments, imports, literals, repeated to the size. */
const ORDINARY_BLOCK = `import os
import json
from pathlib import Path


class Settings:
    """Settings read from a JSON file, with defaults."""

    def __init__(self, path, defaults=None):
        # The file may be missing on a first run.
        self.path = Path(path)
        self.values = dict(defaults or {})

    def load(self):
        if self.path.exists():
            with open(self.path, encoding="utf-8") as f:
                self.values.update(json.load(f))
        return self.values

    def get(self, key, default=None):
        return self.values.get(key, os.environ.get(key.upper(), default))


def render(rows, width=80):
    """Formats rows as aligned columns."""
    out = []
    for row in rows:
        cells = [str(c).ljust(12) for c in row]
        out.append(" ".join(cells)[:width])
    return "\\n".join(out)
`;

interface Measure {
  shape: string;
  cpuMs: number;
  peakMb: number;
  found: boolean;
  gaps: number;
}

const peakMb = () =>
  Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;

async function one(shape: string, size: number): Promise<Measure> {
  await initFeatures();
  const text =
    shape === ORDINARY
      ? ORDINARY_BLOCK.repeat(Math.ceil(size / ORDINARY_BLOCK.length))
      : withPayload(shape, size, 'start');
  const view = viewOf({ 'pkg/__init__.py': text }, 'wheel');
  let found = false;
  let gaps = 0;
  const used = cpuMs(() => {
    const analysis = extractFeatures(view);
    found = analysis.evidence.some((e) => e.rule === 'exec-decoded-payload');
    gaps = analysis.gaps?.length ?? 0;
  });
  return { shape, cpuMs: used, peakMb: peakMb(), found, gaps };
}

/** The bare-parse floor of the ordinary module, in this process. */
async function floorMs(size: number): Promise<number> {
  await initFeatures();
  const text = ORDINARY_BLOCK.repeat(Math.ceil(size / ORDINARY_BLOCK.length));
  return Math.min(...[0, 1, 2].map(() => cpuMs(() => bareParse(text))));
}

export async function benchHostile(size = 1_000_000): Promise<string[]> {
  const self = fileURLToPath(import.meta.url);
  const measure = (shape: string): Measure =>
    JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, self, '--one', shape, '--size', String(size)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as Measure;
  const floor = await floorMs(size);
  const ordinary = measure(ORDINARY);
  const rows = Object.keys(SHAPES).map(measure);
  const worstTime = rows.reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
  const worstPeak = rows.reduce((a, b) => (b.peakMb > a.peakMb ? b : a));
  const mb = (size / 1e6).toFixed(1);
  const row = (m: Measure) =>
    `  ${m.shape.padEnd(36)} ${(m.cpuMs / 1000).toFixed(2).padStart(6)} s CPU  ${m.peakMb.toFixed(0).padStart(5)} MB peak  ${m.gaps > 0 ? 'budget gap' : m.shape === ORDINARY ? 'no payload' : m.found ? 'payload found' : 'PAYLOAD MISSED'}`;
  return [
    `hostile ${mb} MB modules, payload first, each extracted in a fresh process (goal: a few seconds and the memory goal, or a budget gap):`,
    `  floor: bare parse of an ordinary ${mb} MB module  ${(floor / 1000).toFixed(2)} s CPU`,
    row(ordinary),
    ...rows.map(row),
    `  worst time: ${worstTime.shape}, ${(worstTime.cpuMs / 1000).toFixed(2)} s CPU = ${(worstTime.cpuMs / floor).toFixed(1)}x the floor (goal: a few seconds)`,
    `  worst peak RSS: ${worstPeak.shape}, ${worstPeak.peakMb.toFixed(0)} MB (goal <= 384 MB, the audit's)`,
  ];
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = Number(option('size') ?? 1_000_000);
  const shape = option('one');
  if (shape) process.stdout.write(`${JSON.stringify(await one(shape, size))}\n`);
  else process.stdout.write(`${(await benchHostile(size)).join('\n')}\n`);
}
