// Golden check for extractFeatures: records, per archive of a spread sample of the corpus, the features,
// token counts and evidence, then compares a later implementation's output with it archive by archive. The
// bundled model depends on feature values, so a change of extractor code must leave these identical on
// ordinary packages. Archives are read only through src/archive (in memory); nothing in them is run or
// written out. The golden file lives outside the repository.
//
//   npx tsx scripts/features-golden.ts record  [--per-source N] [--out FILE]
//   npx tsx scripts/features-golden.ts compare [--per-source N] [--out FILE] [--show N]
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readArchive } from '../src/archive/index.js';
import { extractFeatures, initFeatures } from '../src/features/index.js';
import { defaultBenignDirs, defaultCorpusDir, listCorpus } from '../train/corpus.js';

const args = process.argv.slice(2);
const mode = args[0] ?? 'compare';
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const perSource = Number(option('per-source', '60'));
const out = option('out', '/tmp/features-golden.jsonl');
const show = Number(option('show', '20'));

/** Every n-th archive of each source (the benchmark's spread). */
function sample(): string[] {
  const items = listCorpus(defaultCorpusDir(), defaultBenignDirs());
  const bySource = new Map<string, typeof items>();
  for (const item of items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  const paths: string[] = [];
  for (const group of bySource.values()) {
    const step = Math.max(1, Math.floor(group.length / perSource));
    paths.push(
      ...group
        .filter((_, i) => i % step === 0)
        .slice(0, perSource)
        .map((i) => i.path),
    );
  }
  return paths;
}

async function analyse(path: string): Promise<Record<string, unknown>> {
  const view = await readArchive(readFileSync(path));
  const a = extractFeatures(view);
  return { path, features: a.features, tokens: a.tokens, evidence: a.evidence, notes: a.notes, gaps: a.gaps };
}

function differences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  for (const key of ['features', 'tokens', 'evidence', 'notes', 'gaps']) {
    const x = a[key];
    const y = b[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (JSON.stringify(x[i]) !== JSON.stringify(y[i])) {
          diffs.push(
            `${key}[${i}] (lengths ${x.length} vs ${y.length}): ${JSON.stringify(x[i])} -> ${JSON.stringify(y[i])}`,
          );
          break;
        }
      }
    } else if (x && y && typeof x === 'object' && typeof y === 'object') {
      const xs = x as Record<string, unknown>;
      const ys = y as Record<string, unknown>;
      for (const k of new Set([...Object.keys(xs), ...Object.keys(ys)]))
        if (JSON.stringify(xs[k]) !== JSON.stringify(ys[k]))
          diffs.push(`${key}.${k}: ${JSON.stringify(xs[k])} -> ${JSON.stringify(ys[k])}`);
    } else diffs.push(`${key}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
  }
  return diffs;
}

await initFeatures();
const paths = sample();
if (mode === 'record') {
  const stream = createWriteStream(out);
  for (const path of paths) stream.write(`${JSON.stringify(await analyse(path))}\n`);
  await new Promise((resolve) => stream.end(resolve));
  process.stdout.write(`recorded ${paths.length} archives to ${out}\n`);
} else {
  const lines = createInterface({ input: createReadStream(out) });
  let i = 0;
  let same = 0;
  let resampled = 0;
  const byField = new Map<string, number>();
  const shown: string[] = [];
  for await (const line of lines) {
    const golden = JSON.parse(line) as Record<string, unknown>;
    // The recorded archives, not today's sample: the corpus may have grown since the recording.
    const path = String(golden.path);
    if (paths[i++] !== path) resampled++;
    const now = JSON.parse(JSON.stringify(await analyse(path))) as Record<string, unknown>;
    const diffs = differences(golden, now);
    if (diffs.length === 0) {
      same++;
      continue;
    }
    for (const d of diffs) {
      const field = d.split(/[[:(]/)[0] ?? d;
      byField.set(field, (byField.get(field) ?? 0) + 1);
    }
    if (shown.length < show) shown.push(`${path}\n  ${diffs.slice(0, 8).join('\n  ')}`);
  }
  if (i !== paths.length || resampled > 0)
    process.stdout.write(
      `golden has ${i} archives, today's sample ${paths.length} (${resampled} differ): compared the recorded ones\n`,
    );
  process.stdout.write(`${same} of ${i} archives identical\n`);
  for (const [field, n] of byField) process.stdout.write(`  ${field}: ${n} archives differ\n`);
  if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`);
  if (same !== i) process.exitCode = 1;
}
