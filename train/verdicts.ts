// Verdict-level figures: what the gate does, not only what the model scores. A package fails the check
// through src/policy.ts's decide() — score over the malicious threshold *with* located evidence, or strong
// install/import-time evidence that is not a known-benign idiom — so recall and FPR are measured on
// decide()'s answer to each row's cached evidence (no signals: the corpus has no index history).
import { decide } from '../src/policy.js';
import type { Evidence } from '../src/types.js';
import type { FeatureRow } from './table.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/**
 * The evidence decide() needs from a row: the cached medium-or-stronger evidence (extractor v4 on), or for
 * an older cache a stand-in built from the severity aggregates.
 */
function evidenceOf(row: FeatureRow): Evidence[] {
  if (row.evidence) return row.evidence;
  const out: Evidence[] = [];
  if ((row.features['rule.critical_early'] ?? 0) > 0)
    out.push({
      rule: 'critical',
      category: 'dynamic-code',
      severity: 'critical',
      path: 'x',
      line: 1,
      snippet: '',
      context: 'install',
    });
  if ((row.rules?.length ?? 0) > 0 || (row.features['rule.max_severity'] ?? 0) > 0)
    out.push({ rule: 'any', category: 'indicator', severity: 'medium', path: 'x', line: 1, snippet: '' });
  return out;
}

/** 1 where the gate fails the package (malicious verdict), 0 otherwise. */
export function verdictFlags(
  rows: readonly FeatureRow[],
  scores: ArrayLike<number>,
  thresholds: { malicious: number; suspicious: number },
): Float64Array {
  const out = new Float64Array(rows.length);
  rows.forEach((row, i) => {
    const d = decide({
      ref: { name: row.name, version: null },
      score: scores[i]!,
      thresholds,
      evidence: evidenceOf(row),
      signals: [],
      allow: [],
      now: NOW,
    });
    out[i] = d.verdict === 'malicious' ? 1 : 0;
  });
  return out;
}
