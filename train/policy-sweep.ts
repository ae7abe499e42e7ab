// `npx tsx train/policy-sweep.ts [--list]`: what the gate's recall and benign FPR would be if critical
// install/import-time evidence failed a package at other score floors than the shipped one (the suspicious
// threshold), on the training stack's out-of-fold scores. It backs the choice in src/policy.ts's decide().
// Real rows only (implants train the stack but are not counted). --list prints every benign row the shipped
// policy fails, with its out-of-fold score and decide()'s reason, for review.
import { allRows } from './dataset.js';
import { loadTrainingData, log, parseCommon } from './inputs.js';
import { defaultLearners, STACK_DEFAULTS, trainStack } from './stack.js';
import { decide } from '../src/policy.js';
import { verdictFlags } from './verdicts.js';
import { TRAIN_ONLY } from './table.js';

const { common, values } = parseCommon(process.argv.slice(2), { list: { type: 'boolean' } });
const { data } = await loadTrainingData(common);
const rows = allRows(data);
const stack = trainStack(data, rows, { ...STACK_DEFAULTS, ...defaultLearners(), seed: common.seed, log });
const { malicious, suspicious } = stack.calibrated.thresholds;
const table = Array.from(rows, (r) => data.rows[r]!);
const floors: [string, number][] = [
  ['never alone', Number.POSITIVE_INFINITY],
  [`suspicious threshold ${suspicious.toFixed(3)} (shipped)`, suspicious],
  ['0.10', 0.1],
  ['0.05', 0.05],
  ['0.02', 0.02],
  ['any score', 0],
];
process.stdout.write(
  '| critical evidence fails at score | gate recall | benign FPR (sdists, wheels) | hard-benign |\n|---|---|---|---|\n',
);
for (const [label, floor] of floors) {
  // decide() with the floor in place of the suspicious threshold (the middle band plays no other part in failing).
  const flags = verdictFlags(table, stack.oof.score, { malicious, suspicious: Math.min(floor, malicious) });
  let tp = 0;
  let pos = 0;
  let fp = 0;
  let neg = 0;
  let hard = 0;
  let hardN = 0;
  rows.forEach((r, k) => {
    if (TRAIN_ONLY.has(data.sources[r]!)) return;
    if (data.y[r]) {
      pos++;
      tp += flags[k]!;
    } else if (data.sources[r] === 'hard-benign') {
      hardN++;
      hard += flags[k]!;
    } else {
      neg++;
      fp += flags[k]!;
    }
  });
  process.stdout.write(
    `| ${label} | ${(tp / pos).toFixed(4)} | ${((fp / neg) * 100).toFixed(3)}% (${fp}/${neg}) | ${hard}/${hardN} |\n`,
  );
}

if (values.list) {
  process.stdout.write('\nbenign rows the shipped policy fails (out-of-fold score, first reason):\n');
  rows.forEach((r, k) => {
    const row = data.rows[r]!;
    if (data.y[r] || data.sources[r] === 'hard-benign' || TRAIN_ONLY.has(data.sources[r]!)) return;
    const d = decide({
      ref: { name: row.name, version: null },
      score: stack.oof.score[k]!,
      thresholds: { malicious, suspicious },
      evidence: row.evidence ?? [],
      signals: [],
      allow: [],
      now: new Date('2026-01-01T00:00:00Z'),
    });
    if (d.raw === 'malicious')
      process.stdout.write(
        `- ${row.source} ${row.name} ${stack.oof.score[k]!.toFixed(3)}: ${d.reasons.find((x) => /evidence|score/.test(x)) ?? d.reasons[0]}\n`,
      );
  });
}
