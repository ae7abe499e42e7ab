// The training table: one row per corpus archive, its label, its group (for group k-fold) and its
// extracted features. Rows come from the project's own extractor (src/features), cached by sha256.

export type RowSource = 'malicious' | 'benign-sdist' | 'benign-wheel' | 'hard-benign';

export interface FeatureRow {
  /** sha256 of the archive. */
  id: string;
  label: 0 | 1;
  source: RowSource;
  /** Family for malicious samples, source project for benign ones: folds never split a group. */
  group: string;
  /** YYYY-MM-DD the sample entered the malware dataset (malicious rows only), for the time split. */
  added?: string;
  name: string;
  status: 'ok' | 'error';
  error?: string;
  /** Named numeric features (src/features FEATURE_NAMES). */
  features: Record<string, number>;
  /** Hashed text tokens: bucket -> count (src/features TOKEN_BUCKETS buckets). */
  tokens: Record<number, number>;
}
