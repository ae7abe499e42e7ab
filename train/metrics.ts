// Figures for the model card: confusion counts at a threshold, overall and per source, and ranking
// quality (ROC AUC, recall at fixed false-positive rates) that does not depend on a threshold.
import type { RowSource } from './table.js';

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface Figures {
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate over benign sdists and wheels: "benign FPR" (hard-benign is reported apart). */
  fpr: number;
  /** False-positive rate over every benign row, hard-benign included. */
  fprAllBenign: number;
  /** FPR per benign source (benign-sdist, benign-wheel, hard-benign). */
  fprBySource: Record<string, number>;
  counts: Confusion & { bySource: Record<string, { rows: number; flagged: number }> };
  auc: number;
}

export function figuresAt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  sources: readonly RowSource[],
  threshold: number,
): Figures {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  const bySource: Record<string, { rows: number; flagged: number }> = {};
  /** Sources with benign rows: the ones a false-positive rate is reported for. */
  const negative = new Set<string>();
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i]! >= threshold;
    const positive = labels[i] === 1;
    if (positive) flagged ? c.tp++ : c.fn++;
    else flagged ? c.fp++ : c.tn++;
    const s = sources[i]!;
    if (!positive) negative.add(s);
    bySource[s] ??= { rows: 0, flagged: 0 };
    bySource[s].rows++;
    if (flagged) bySource[s].flagged++;
  }
  const precision = c.tp + c.fp === 0 ? 0 : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const fprBySource: Record<string, number> = {};
  for (const [s, v] of Object.entries(bySource)) if (negative.has(s)) fprBySource[s] = v.flagged / v.rows;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    fpr: regularFpr(bySource),
    fprAllBenign: c.fp + c.tn === 0 ? 0 : c.fp / (c.fp + c.tn),
    fprBySource,
    counts: { ...c, bySource },
    auc: rocAuc(scores, labels),
  };
}

export type SummedCounts = Confusion & { bySource: Record<string, { rows: number; flagged: number }> };

/** Confusion counts summed over folds, per source too. */
export function sumCounts(figures: readonly Figures[]): SummedCounts {
  const total: SummedCounts = { tp: 0, fp: 0, tn: 0, fn: 0, bySource: {} };
  for (const { counts } of figures) {
    total.tp += counts.tp;
    total.fp += counts.fp;
    total.tn += counts.tn;
    total.fn += counts.fn;
    for (const [source, v] of Object.entries(counts.bySource)) {
      total.bySource[source] ??= { rows: 0, flagged: 0 };
      total.bySource[source].rows += v.rows;
      total.bySource[source].flagged += v.flagged;
    }
  }
  return total;
}

/** Benign sources a threshold is held to (hard-benign rows were once listed as malware: reported apart). */
export const REGULAR_BENIGN = ['benign-sdist', 'benign-wheel'];

export function regularFpr(bySource: Record<string, { rows: number; flagged: number }>): number {
  let rows = 0;
  let flagged = 0;
  for (const s of REGULAR_BENIGN) {
    rows += bySource[s]?.rows ?? 0;
    flagged += bySource[s]?.flagged ?? 0;
  }
  return rows === 0 ? 0 : flagged / rows;
}

/** ROC AUC by the rank-sum formula, ties counted half. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let pos = 0;
  for (let k = 0; k < idx.length; ) {
    let j = k;
    while (j < idx.length && scores[idx[j]!] === scores[idx[k]!]) j++;
    const rank = (k + 1 + j) / 2;
    for (let t = k; t < j; t++) {
      if (labels[idx[t]!] === 1) {
        rankSumPos += rank;
        pos++;
      }
    }
    k = j;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Recall at the lowest threshold whose FPR over the benign rows is <= maxFpr; with `sources`, only benign
 * sdists and wheels count as benign (hard-benign rows are left out).
 */
export function recallAtFpr(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  maxFpr: number,
  sources?: readonly RowSource[],
): number {
  const benign: number[] = [];
  const malicious: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (labels[i]) malicious.push(scores[i]!);
    else if (!sources || REGULAR_BENIGN.includes(sources[i]!)) benign.push(scores[i]!);
  }
  if (benign.length === 0 || malicious.length === 0) return Number.NaN;
  benign.sort((a, b) => b - a);
  const allowed = Math.floor(maxFpr * benign.length + 1e-9);
  // Flag scores strictly above the (allowed+1)-th highest benign score.
  const cut = benign[allowed] ?? Number.NEGATIVE_INFINITY;
  return malicious.filter((s) => s > cut).length / malicious.length;
}

export function meanSd(values: number[]): { mean: number; sd: number; min: number; max: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { mean: Number.NaN, sd: Number.NaN, min: Number.NaN, max: Number.NaN };
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const sd = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, finite.length - 1));
  return { mean, sd, min: Math.min(...finite), max: Math.max(...finite) };
}
