// Assembling models/model.json from a trained stack: the base learners in their runtime forms, the
// meta-learner, calibration and thresholds, a digest of the training rows, and parity vectors (inputs
// with the scores this trainer computed for them, which src/model must reproduce).
import { createHash } from 'node:crypto';
import {
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelJson,
  type ParityVectorJson,
} from '../src/model/format.js';
import type { Dataset } from './dataset.js';
import { predictStack, type TrainedStack } from './stack.js';

/** sha256 over the sorted lines "<row id>\t<label>\n" of the training rows. */
export function trainingDigest(data: Dataset, rows: Int32Array): string {
  const lines = Array.from(rows, (r) => `${data.ids[r]}\t${data.y[r]}\n`).sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line);
  return `sha256:${hash.digest('hex')}`;
}

/** Up to `perSource` rows of each source, the lowest ids first (a fixed, data-derived choice). */
export function parityRows(data: Dataset, rows: Int32Array, perSource = 2): Int32Array {
  const sorted = Array.from(rows).sort((a, b) =>
    data.ids[a]! < data.ids[b]! ? -1 : data.ids[a]! > data.ids[b]! ? 1 : a - b,
  );
  const taken = new Map<string, number>();
  const out: number[] = [];
  for (const r of sorted) {
    const s = data.sources[r]!;
    if ((taken.get(s) ?? 0) >= perSource) continue;
    taken.set(s, (taken.get(s) ?? 0) + 1);
    out.push(r);
  }
  return Int32Array.from(out);
}

export function buildModelJson(
  stack: TrainedStack,
  data: Dataset,
  rows: Int32Array,
  seed: number,
): ModelJson {
  const bySource: Record<string, number> = {};
  let malicious = 0;
  for (const r of rows) {
    bySource[data.sources[r]!] = (bySource[data.sources[r]!] ?? 0) + 1;
    malicious += data.y[r]!;
  }
  const learned = {
    base: stack.bases.map((b) => b.toJson()),
    logitClip: stack.logitClip,
    meta: stack.meta,
    calibration: { kind: 'platt' as const, ...stack.calibrated.calibration },
    thresholds: stack.calibrated.thresholds,
  };
  const training = {
    rows: rows.length,
    malicious,
    benign: rows.length - malicious,
    bySource,
    digest: trainingDigest(data, rows),
  };
  const modelVersion = createHash('sha256')
    .update(JSON.stringify({ features: data.featureNames, buckets: data.tokenBuckets, training, ...learned }))
    .digest('hex')
    .slice(0, 12);
  const probe = parityRows(data, rows);
  const predicted = predictStack(stack, data, probe);
  const parity: ParityVectorJson[] = Array.from(probe, (r, k) => {
    const features: Record<string, number> = {};
    data.featureNames.forEach((name, j) => {
      const v = data.X[j * data.n + r]!;
      if (v !== 0) features[name] = v;
    });
    const tokens: Record<string, number> = {};
    for (let e = data.tokPtr[r]!; e < data.tokPtr[r + 1]!; e++)
      tokens[String(data.tokIdx[e])] = data.tokVal[e]!;
    return {
      id: data.ids[r]!,
      features,
      tokens,
      score: predicted.score[k]!,
      baseLogits: predicted.baseLogits.map((l) => l[k]!),
    };
  });
  return {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    modelVersion,
    seed,
    features: data.featureNames,
    tokenBuckets: data.tokenBuckets,
    training,
    ...learned,
    parity,
  };
}
