// The bundled model file (models/model.json): what train/ writes and src/model reads. Every base
// learner is stored in one of three plain forms (tree ensemble, linear over named features, linear
// over hashed token buckets) so the runtime scorer stays small and needs nothing but arithmetic.

export const MODEL_FORMAT = 'pypi-malware-gate/model';
export const MODEL_FORMAT_VERSION = 1;

/** One tree as parallel arrays; node 0 is the root; feature -1 marks a leaf. */
export interface TreeJson {
  /** Index into ModelJson.features, or -1 for a leaf. */
  feature: number[];
  /** Go left when value <= threshold (0 for leaves). */
  threshold: number[];
  /** Child node indices (0 for leaves); children always come after their parent. */
  left: number[];
  right: number[];
  /** Prediction at every node (internal nodes too, for path attributions). */
  value: number[];
}

export interface TreeEnsembleJson {
  kind: 'tree-ensemble';
  name: string;
  /**
   * 'sum': logit = bias + sum of tree values (gradient boosting).
   * 'mean-probability': p = mean of tree values, logit = log((p + eps) / (1 - p + eps)) (random forest).
   */
  link: 'sum' | 'mean-probability';
  bias: number;
  trees: TreeJson[];
}

export interface LinearTermJson {
  feature: number;
  /** Apply log1p(max(x, 0)) before standardizing (skewed non-negative counts). */
  log1p: boolean;
  center: number;
  scale: number;
  weight: number;
}

/** logit = bias + sum weight * clamp((t(x) - center) / scale, -clip, clip). */
export interface LinearJson {
  kind: 'linear';
  name: string;
  bias: number;
  clip: number;
  terms: LinearTermJson[];
}

/**
 * logit = bias + sum_b weights[b] * x_b, where x_b = t(count_b) * idf[b] (idf 1 when absent),
 * t = log1p or binary, and with normalize 'l2' the vector x is scaled to unit length first.
 * Multinomial naive Bayes is this form with weights = log P(b|malicious) - log P(b|benign).
 */
export interface TokenLinearJson {
  kind: 'token-linear';
  name: string;
  bias: number;
  transform: 'log1p' | 'binary';
  normalize: 'l2' | 'none';
  idf: number[] | null;
  weights: number[];
}

export type BaseLearnerJson = TreeEnsembleJson | LinearJson | TokenLinearJson;

export interface ParityVectorJson {
  id: string;
  features: Record<string, number>;
  tokens: Record<string, number>;
  /** The calibrated score the trainer computed for this input. */
  score: number;
  /** The base learners' logits, in the order of ModelJson.base. */
  baseLogits: number[];
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  /** Identifies this trained model (changes when data, seed or code change); keys score caches. */
  modelVersion: string;
  seed: number;
  /** Feature names in vector order; must match the extractor's FEATURE_NAMES. */
  features: string[];
  tokenBuckets: number;
  training: {
    rows: number;
    malicious: number;
    benign: number;
    bySource: Record<string, number>;
    /** sha256 over the sorted lines "<row id>\t<label>\n". */
    digest: string;
  };
  base: BaseLearnerJson[];
  /** Base logits are clamped to [-logitClip, logitClip] before the meta-learner. */
  logitClip: number;
  meta: { bias: number; weights: number[] };
  /** Platt scaling of the meta logit: p = sigmoid(a * z + b). */
  calibration: { kind: 'platt'; a: number; b: number };
  thresholds: { malicious: number; suspicious: number };
  parity: ParityVectorJson[];
}
