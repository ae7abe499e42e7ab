// The shape of models/evaluation.json and how per-fold figures are summarized (mean, spread, and counts
// summed over folds, each fold at its own model's default threshold).
import type { Dataset } from './dataset.js';
import { type Figures, meanSd, recallAtFpr, regularFpr, rocAuc, sumCounts } from './metrics.js';
import type { EvasionRow } from './evasion.js';

/** Feature names that would mean the model learned how the corpus was collected rather than malware. */
export const LEAK_PATTERN = /pkg.?info|wheel|record|dist.?info|github|debian|timestamp|mtime|order/i;

export type Stat = ReturnType<typeof meanSd>;

export interface FoldResult {
  thresholds: { malicious: number; suspicious: number };
  /** At the malicious threshold. */
  figures: Figures;
  /** At the suspicious threshold (everything flagged suspicious or malicious). */
  suspicious: Figures;
  recallAtFpr: Record<string, number>;
}

export interface LearnerResult {
  folds: FoldResult[];
  summary: {
    precision: Stat;
    recall: Stat;
    f1: Stat;
    /** Over benign sdists and wheels. */
    fpr: Stat;
    /** Over every benign row, hard-benign included. */
    fprAllBenign: Stat;
    fprBySource: Record<string, Stat>;
    auc: Stat;
    recallAtFpr: Record<string, Stat>;
    suspiciousRecall: Stat;
    suspiciousFpr: Stat;
    threshold: Stat;
  };
  /** Confusion counts summed over the folds (each at its own threshold). */
  total: {
    tp: number;
    fp: number;
    tn: number;
    fn: number;
    precision: number;
    recall: number;
    f1: number;
    fpr: number;
    fprAllBenign: number;
    bySource: Record<string, { rows: number; flagged: number }>;
  };
  /** Threshold-free figures over all out-of-fold scores together. */
  pooled: { auc: number; recallAtFpr: Record<string, number> };
}

export interface Evaluation {
  generatedBy: string;
  seed: number;
  quick: boolean;
  table: {
    origin: string;
    rows: number;
    bySource: Record<string, number>;
    excluded: { source: string; count: number }[];
    features: number;
    tokenBuckets: number;
    digest: string;
  };
  model:
    | null
    | { path: string; error: string }
    | {
        path: string;
        modelVersion: string;
        bytes: number;
        digest: string;
        matchesTable: boolean;
        thresholds: { malicious: number; suspicious: number };
        base: string[];
        metaWeights: number[];
      };
  protocol: {
    outerFolds: number;
    innerFolds: number;
    targets: { malicious: number; suspicious: number };
    timeSplit: string;
    learners: { name: string; inputs: string }[];
    /** Synthetic implants and small cuts in training (train/augment.ts). */
    augmented?: boolean;
    /** Size and metadata features blanked for every learner (train/shape.ts). */
    shapeBlind?: boolean;
  };
  cv: {
    stack: LearnerResult;
    learners: Record<string, LearnerResult>;
    textChoices: string[];
    metaWeights: Record<string, number>[];
  };
  timeSplit: FoldResult & {
    cutoff: string;
    trainRows: number;
    testRows: number;
    undated: number;
    /** recall: the model's score at the malicious threshold; verdictRecall: the gate's decide() (absent in older files). */
    newFamilies: { rows: number; recall: number; verdictRecall?: number };
    seenFamilies: { rows: number; recall: number; verdictRecall?: number };
    /** The gate's verdicts (decide()) on the time-split test rows. */
    verdict?: Figures;
    /** Later malicious samples the gate did not fail, by package name, with the rules that fired on them. */
    missed?: { name: string; count: number; maxScore: number; rules: string[] }[];
    /** Later malicious samples rewritten and implanted (train/evasion.ts), judged by this model and decide(). */
    evasion?: EvasionRow[];
  };
  /** The gate's verdicts (decide(): score, located evidence, critical early evidence) per outer fold. */
  verdicts?: {
    precision: Stat;
    recall: Stat;
    f1: Stat;
    fpr: Stat;
    fprBySource: Record<string, Stat>;
    total: {
      tp: number;
      fp: number;
      tn: number;
      fn: number;
      bySource: Record<string, { rows: number; flagged: number }>;
    };
  };
  importance: {
    feature: string;
    meanAbs: number;
    meanMalicious: number;
    meanBenign: number;
    leak: boolean;
  }[];
  seconds: number;
}

export function summarize(
  folds: FoldResult[],
  rows: Int32Array,
  scores: Float64Array,
  data: Dataset,
): LearnerResult {
  const stat = (pick: (f: FoldResult) => number) => meanSd(folds.map(pick));
  const benignSources = new Set(folds.flatMap((f) => Object.keys(f.figures.fprBySource)));
  const total = sumCounts(folds.map((f) => f.figures));
  const precision = total.tp / Math.max(1, total.tp + total.fp);
  const recall = total.tp / Math.max(1, total.tp + total.fn);
  const labels = Array.from(rows, (r) => data.y[r]!);
  const sources = Array.from(rows, (r) => data.sources[r]!);
  return {
    folds,
    summary: {
      precision: stat((f) => f.figures.precision),
      recall: stat((f) => f.figures.recall),
      f1: stat((f) => f.figures.f1),
      fpr: stat((f) => f.figures.fpr),
      fprAllBenign: stat((f) => f.figures.fprAllBenign),
      fprBySource: Object.fromEntries(
        [...benignSources].sort().map((s) => [s, stat((f) => f.figures.fprBySource[s] ?? Number.NaN)]),
      ),
      auc: stat((f) => f.figures.auc),
      recallAtFpr: {
        '0.001': stat((f) => f.recallAtFpr['0.001']!),
        '0.005': stat((f) => f.recallAtFpr['0.005']!),
      },
      suspiciousRecall: stat((f) => f.suspicious.recall),
      suspiciousFpr: stat((f) => f.suspicious.fpr),
      threshold: stat((f) => f.thresholds.malicious),
    },
    total: {
      ...total,
      precision,
      recall,
      f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
      fpr: regularFpr(total.bySource),
      fprAllBenign: total.fp / Math.max(1, total.fp + total.tn),
    },
    pooled: {
      auc: rocAuc(scores, labels),
      recallAtFpr: {
        '0.001': recallAtFpr(scores, labels, 0.001, sources),
        '0.005': recallAtFpr(scores, labels, 0.005, sources),
      },
    },
  };
}
