// A hand-written model small enough to score by hand: one tree, one linear term, one token weight.
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from '../../src/model/format.js';

export function tinyModel(): ModelJson {
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    modelVersion: 'tiny',
    seed: 1,
    features: ['exec_calls', 'files'],
    tokenBuckets: 4,
    training: {
      rows: 2,
      malicious: 1,
      benign: 1,
      bySource: { malicious: 1, 'benign-sdist': 1 },
      digest: `sha256:${'0'.repeat(64)}`,
    },
    base: [
      {
        kind: 'tree-ensemble',
        name: 'gbdt',
        link: 'sum',
        bias: -1,
        // exec_calls <= 0.5 ? -0.5 : 2 (root value 0)
        trees: [
          {
            feature: [0, -1, -1],
            threshold: [0.5, 0, 0],
            left: [1, 0, 0],
            right: [2, 0, 0],
            value: [0, -0.5, 2],
          },
        ],
      },
      {
        kind: 'linear',
        name: 'linear',
        bias: 0.25,
        clip: 3,
        terms: [{ feature: 1, log1p: false, center: 10, scale: 5, weight: -1 }],
      },
      {
        kind: 'token-linear',
        name: 'text',
        bias: 0,
        transform: 'binary',
        normalize: 'none',
        idf: null,
        weights: [0, 1.5, 0, 0],
      },
    ],
    logitClip: 12,
    meta: { bias: 0.1, weights: [1, 0.5, 2] },
    calibration: { kind: 'platt', a: 2, b: -0.2 },
    thresholds: { malicious: 0.9, suspicious: 0.5 },
    parity: [],
  };
}
