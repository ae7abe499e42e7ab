// One archive's verdict without the index: the model's score and the located evidence, through the same
// policy as a scan (no signals, no allowlist). Used by `inspect`; a scan adds the index's signals on top.
import type { LoadedModel } from './model/load.js';
import { scoreVector } from './model/score.js';
import { decide } from './policy.js';
import type { Analysis, Evidence, VerdictLevel } from './types.js';

export interface Judgement {
  score?: number;
  verdict: VerdictLevel;
  /** Located evidence, what drove the score most first. */
  evidence: Evidence[];
  /** The features that pushed the score up most (logit units): the explanation when no rule fired. */
  drivers: { feature: string; value: number; weight: number }[];
  reasons: string[];
}

const SEVERITY: Record<Evidence['severity'], number> = { low: 0, medium: 1, high: 2, critical: 3 };
const CONTEXT: Record<string, number> = { install: 2, import: 1 };

/** Evidence ordered by severity, then by how much its rule's feature added to the score, then by where it runs. */
export function orderEvidence(evidence: Evidence[], weightOf: (feature: string) => number): Evidence[] {
  const weight = (e: Evidence) =>
    Math.max(weightOf(`rule.${e.rule}.early`), weightOf(`rule.${e.rule}.late`), 0);
  return [...evidence].sort(
    (a, b) =>
      SEVERITY[b.severity] - SEVERITY[a.severity] ||
      weight(b) - weight(a) ||
      (CONTEXT[b.context ?? ''] ?? 0) - (CONTEXT[a.context ?? ''] ?? 0),
  );
}

export function judge(analysis: Analysis, model: LoadedModel | undefined, now = new Date()): Judgement {
  const scored = model ? scoreVector(model, analysis.features, analysis.tokens, { limit: 200 }) : undefined;
  const weights = new Map(scored?.contributions.map((c) => [c.feature, c.weight]) ?? []);
  const evidence = orderEvidence(analysis.evidence, (f) => weights.get(f) ?? 0);
  const decision = decide({
    ref: { name: '', version: null },
    score: scored?.score,
    thresholds: model?.thresholds ?? { malicious: 1.01, suspicious: 1.01 },
    evidence,
    signals: [],
    allow: [],
    now,
  });
  const drivers = (scored?.contributions ?? []).filter((c) => c.weight > 0).slice(0, 5);
  const reasons = [...decision.reasons];
  if (decision.raw !== 'benign' && drivers.length > 0)
    reasons.push(
      `model drivers: ${drivers.map((d) => `${d.feature}=${Number(d.value.toFixed(3))} (+${d.weight.toFixed(2)})`).join(', ')}`,
    );
  return {
    ...(scored ? { score: scored.score } : {}),
    verdict: decision.raw,
    evidence,
    drivers,
    reasons,
  };
}
