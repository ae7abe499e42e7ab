// `npx tsx train/extract.ts`: extract (or refresh the cache of) every corpus archive's features, and report
// how many rows are usable and why the others are not, and per source how many have no located evidence
// and how many trip a critical install/import-time rule. `npm run train` extracts by itself when needed.
import { loadOrBuildTable } from './table.js';

const started = performance.now();
const rows = await loadOrBuildTable({ log: (s) => process.stderr.write(`${s}\n`) });
const bySource = new Map<
  string,
  { ok: number; error: number; partial: number; noEvidence: number; criticalEarly: number }
>();
const reasons = new Map<string, number>();
for (const row of rows) {
  const s = bySource.get(row.source) ?? { ok: 0, error: 0, partial: 0, noEvidence: 0, criticalEarly: 0 };
  if (row.status === 'ok') {
    s.ok++;
    if ((row.rules?.length ?? 0) === 0) s.noEvidence++;
    if ((row.features['rule.critical_early'] ?? 0) > 0) s.criticalEarly++;
  } else s.error++;
  if (row.error) {
    if (row.status === 'ok') s.partial++;
    const reason = row.error.replace(/\d+/g, 'N').slice(0, 80);
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  bySource.set(row.source, s);
}
for (const [source, s] of bySource)
  process.stdout.write(
    `${source}: ${s.ok} ok (${s.partial} partial), ${s.error} error; ${s.noEvidence} with no located evidence, ` +
      `${s.criticalEarly} with critical install/import-time evidence\n`,
  );
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`  ${n}  ${reason}\n`);
process.stdout.write(`${rows.length} rows in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
