// How often the fail-closed rule makes a corpus archive `unscannable`, and why: each sampled archive goes
// through analyseArtifact() and judgeArtifact() (src/judge.ts, the path scan and inspect share) with the
// bundled model, and the gaps are tallied by stage and by reason (paths and sizes taken out). Read in
// memory by the project's reader only; nothing is extracted or run.
//
//   npx tsx scripts/unscannable-survey.ts [--per-source N]
//
// Sources: ../shared/corpus/malicious and hard-benign, ~/.cache/pypi-corpus/{benign,benign-wheels}.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readArchive } from '../src/archive/index.js';
import { extractFeatures, initFeatures } from '../src/features/index.js';
import { analyseArtifact, judgeArtifact, modelStages } from '../src/judge.js';
import { bundledModel } from '../src/model/bundled.js';
import { defaultBenignDirs, defaultCorpusDir } from '../train/corpus.js';

const args = process.argv.slice(2);
const perSource = args.includes('--per-source') ? Number(args[args.indexOf('--per-source') + 1]) : 300;

/** Every n-th regular file of a folder: the same spread sample on every run. */
function spread(dir: string, count: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  const files = names
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile() && !p.endsWith('.done') && !p.endsWith('.part'));
  const step = Math.max(1, Math.floor(files.length / count));
  return files.filter((_, i) => i % step === 0).slice(0, count);
}

/** A reason with its variable parts (paths, numbers) taken out, so like gaps count together. */
const shape = (reason: string): string =>
  reason
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+(\.\d+)?( ?[KMG]?B)?/g, 'N')
    .slice(0, 90);

async function main(): Promise<void> {
  await initFeatures();
  const model = bundledModel();
  const stages = modelStages(model, (bytes) => readArchive(bytes), extractFeatures);
  const corpus = defaultCorpusDir();
  const benign = defaultBenignDirs();
  const sources: [string, string][] = [
    ['malicious', join(corpus, 'malicious')],
    ['hard-benign', join(corpus, 'hard-benign')],
    ['benign-sdist', benign.sdists],
    ['benign-wheel', benign.wheels],
  ];
  for (const [source, dir] of sources) {
    const files = spread(resolve(dir), perSource);
    if (files.length === 0) {
      console.log(`${source}: no archives in ${dir}`);
      continue;
    }
    const verdicts = new Map<string, number>();
    const byStage = new Map<string, number>();
    const byReason = new Map<string, number>();
    for (const file of files) {
      const analysed = await analyseArtifact(readFileSync(file), file, stages);
      const { verdict } = judgeArtifact(analysed, model.thresholds);
      verdicts.set(verdict, (verdicts.get(verdict) ?? 0) + 1);
      for (const stage of new Set(analysed.gaps.map((g) => g.stage)))
        byStage.set(stage, (byStage.get(stage) ?? 0) + 1);
      for (const reason of new Set(analysed.gaps.map((g) => `${g.stage}: ${shape(g.reason)}`)))
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    const pct = (n: number) => `${((100 * n) / files.length).toFixed(1)}%`;
    const list = (m: Map<string, number>) =>
      [...m.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n} (${pct(n)})`)
        .join(', ');
    console.log(`\n${source}: ${files.length} archives; verdicts: ${list(verdicts)}`);
    if (byStage.size > 0) console.log(`  archives with a gap, by stage: ${list(byStage)}`);
    for (const [reason, n] of [...byReason.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8))
      console.log(`  ${n} × ${reason}`);
  }
}

await main();
