// `npx tsx train/evidence-gate.ts [--list N] [--cached-only]`: what the gate's behaviour-first policy does on the corpus.
// For every cached analysis (npx tsx train/extract.ts fills the cache) it applies src/policy.ts decide() to
// the row's evidence, three ways: evidence alone (no model: strong install/import/startup evidence that is
// not a known-benign idiom), the gate with the bundled model, and the policy before behaviour-first
// (critical early evidence only with a score in the suspicious band; any hit counted as located). It
// prints per source the share called malicious, which rules make benign rows fail and which idioms excuse
// how many benign and malicious rows (the idioms' measured false-positive cost), and --list N benign rows
// that fail, with their evidence, for review.
// Caveat: the bundled model was trained on these rows, so its column is in-sample for them (the time split
// and group folds of `npm run evaluate` give honest model figures); the evidence-alone column uses no model.
import { bundledModel } from '../src/model/bundled.js';
import { scoreAnalysis } from '../src/model/index.js';
import { decide } from '../src/policy.js';
import { BENIGN_IDIOMS, benignIdiom, isStrongEvidence } from '../src/rules/benign-idioms.js';
import type { Evidence } from '../src/types.js';
import { type FeatureRow, loadOrBuildTable } from './table.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const listIndex = process.argv.indexOf('--list');
const listN = listIndex >= 0 ? Number(process.argv[listIndex + 1] ?? 20) : 0;

const onlyCached = process.argv.includes('--cached-only');
const rows = (await loadOrBuildTable({ log: (s) => process.stderr.write(`${s}\n`), onlyCached })).filter(
  (r) => r.status === 'ok' && r.evidence !== undefined,
);
const model = bundledModel();
const thresholds = model.thresholds;

function gate(row: FeatureRow, score: number | undefined): boolean {
  const d = decide({
    ref: { name: row.name, version: null },
    ...(score === undefined ? {} : { score }),
    thresholds,
    evidence: row.evidence ?? [],
    signals: [],
    allow: [],
    now: NOW,
  });
  return d.raw === 'malicious';
}

/** The policy before behaviour-first, on the same evidence (src/policy.ts as of 7490eaf). */
function gateBefore(row: FeatureRow, score: number): boolean {
  const evidence = row.evidence ?? [];
  const anyLocated = (row.rules?.length ?? 0) > 0;
  if (score >= thresholds.malicious && anyLocated) return true;
  const critical = evidence.some(
    (e) => e.severity === 'critical' && (e.context === 'install' || e.context === 'import'),
  );
  return critical && score >= thresholds.suspicious;
}

interface Tally {
  n: number;
  alone: number;
  after: number;
  before: number;
}
const bySource = new Map<string, Tally>();
const failingRules = new Map<string, Map<string, number>>();
const idiomRows = new Map<string, Map<string, number>>();
const benignFailures: { row: FeatureRow; evidence: Evidence[] }[] = [];
const later: Tally = { n: 0, alone: 0, after: 0, before: 0 };
const added = rows
  .filter((r) => r.label === 1 && r.added)
  .map((r) => r.added as string)
  .sort();
const cut = added[Math.floor(added.length * 0.8)] ?? '9999';

for (const row of rows) {
  const score = scoreAnalysis(model, row).score;
  const strong = (row.evidence ?? []).filter(isStrongEvidence);
  const decisive = strong.filter((e) => !benignIdiom(e));
  const alone = gate(row, undefined) && decisive.length > 0;
  const after = gate(row, score);
  const before = gateBefore(row, score);
  const t = bySource.get(row.source) ?? { n: 0, alone: 0, after: 0, before: 0 };
  t.n++;
  t.alone += alone ? 1 : 0;
  t.after += after ? 1 : 0;
  if (after && row.label === 0 && listN > 0)
    process.stdout.write(`gate fails ${row.source} ${row.name} (score ${score.toFixed(3)})\n`);
  t.before += before ? 1 : 0;
  bySource.set(row.source, t);
  if (row.label === 1 && (row.added ?? '') >= cut) {
    later.n++;
    later.alone += alone ? 1 : 0;
    later.after += after ? 1 : 0;
    later.before += before ? 1 : 0;
  }
  const ruleMap = failingRules.get(row.source) ?? new Map<string, number>();
  for (const rule of new Set(decisive.map((e) => e.rule))) ruleMap.set(rule, (ruleMap.get(rule) ?? 0) + 1);
  failingRules.set(row.source, ruleMap);
  for (const e of strong) {
    const idiom = benignIdiom(e);
    if (!idiom) continue;
    const m = idiomRows.get(idiom.id) ?? new Map<string, number>();
    m.set(row.source, (m.get(row.source) ?? 0) + 1);
    idiomRows.set(idiom.id, m);
  }
  if (row.label === 0 && row.source !== 'hard-benign' && decisive.length > 0)
    benignFailures.push({ row, evidence: decisive });
}

const pct = (a: number, n: number) => (n > 0 ? `${((a / n) * 100).toFixed(2)}% (${a}/${n})` : '-');
const out: string[] = [];
out.push(
  '| source | rows | malicious by evidence alone | gate (bundled model) | gate before behaviour-first |',
);
out.push('|---|---|---|---|---|');
for (const [source, t] of [...bySource].sort()) {
  out.push(`| ${source} | ${t.n} | ${pct(t.alone, t.n)} | ${pct(t.after, t.n)} | ${pct(t.before, t.n)} |`);
}
out.push(
  `| malicious added on/after ${cut} (latest 20%) | ${later.n} | ${pct(later.alone, later.n)} | ${pct(later.after, later.n)} | ${pct(later.before, later.n)} |`,
);
out.push(
  '',
  '| rule failing rows alone | benign-sdist | benign-wheel | hard-benign | malicious |',
  '|---|---|---|---|---|',
);
const allRules = new Set([...failingRules.values()].flatMap((m) => [...m.keys()]));
const count = (source: string, rule: string) => failingRules.get(source)?.get(rule) ?? 0;
for (const rule of [...allRules].sort((a, b) => count('malicious', b) - count('malicious', a))) {
  out.push(
    `| ${rule} | ${count('benign-sdist', rule)} | ${count('benign-wheel', rule)} | ${count('hard-benign', rule)} | ${count('malicious', rule)} |`,
  );
}
out.push(
  '',
  '| known-benign idiom | evidence items excused: benign-sdist | benign-wheel | hard-benign | malicious |',
  '|---|---|---|---|---|',
);
for (const idiom of BENIGN_IDIOMS) {
  const m = idiomRows.get(idiom.id);
  const c = (s: string) => m?.get(s) ?? 0;
  out.push(
    `| ${idiom.id} | ${c('benign-sdist')} | ${c('benign-wheel')} | ${c('hard-benign')} | ${c('malicious')} |`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
if (listN > 0) {
  process.stdout.write(`\nbenign rows that fail on evidence alone (${benignFailures.length}):\n`);
  for (const { row, evidence } of benignFailures.slice(0, listN)) {
    process.stdout.write(`- ${row.source} ${row.name}\n`);
    for (const e of evidence.slice(0, 3))
      process.stdout.write(
        `    ${e.rule} ${e.severity} ${e.context} ${e.path}:${e.line} ${JSON.stringify(e.snippet.slice(0, 100))} ${e.message?.slice(0, 100) ?? ''}\n`,
      );
  }
}
