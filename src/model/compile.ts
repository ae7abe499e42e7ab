// The model file's contents after its shape is known: the checks a schema cannot express (array lengths
// agree, tree children point forward and inside the tree, feature indices exist), and the trees flattened into
// typed arrays for scoring. No zod here: the bundled model (already checked against the schema by
// test/model/bundled.test.ts) is compiled from this module alone, keeping zod off the start-up path.
import type { BaseLearnerJson, ModelJson } from './format.js';

/** A tree ensemble flattened into typed arrays; tree t's root is node roots[t]. */
export interface CompiledTrees {
  kind: 'tree-ensemble';
  name: string;
  link: 'sum' | 'mean-probability';
  bias: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface CompiledLinear {
  kind: 'linear';
  name: string;
  bias: number;
  clip: number;
  feature: Int32Array;
  log1p: Uint8Array;
  center: Float64Array;
  scale: Float64Array;
  weight: Float64Array;
}

export interface CompiledTokenLinear {
  kind: 'token-linear';
  name: string;
  bias: number;
  transform: 'log1p' | 'binary';
  normalize: 'l2' | 'none';
  idf: Float64Array | null;
  weights: Float64Array;
}

export type CompiledBase = CompiledTrees | CompiledLinear | CompiledTokenLinear;

export interface LoadedModel {
  json: ModelJson;
  modelVersion: string;
  features: string[];
  tokenBuckets: number;
  base: CompiledBase[];
  logitClip: number;
  meta: { bias: number; weights: Float64Array };
  calibration: { a: number; b: number };
  thresholds: { malicious: number; suspicious: number };
}

export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}

/** JSON already checked against the schema: consistency problems, or the compiled model. */
export function compileModel(
  json: ModelJson,
): { ok: true; model: LoadedModel } | { ok: false; error: string } {
  const problems = checkConsistency(json);
  if (problems.length > 0)
    return { ok: false, error: `invalid model file: ${problems.slice(0, 5).join('; ')}` };
  return {
    ok: true,
    model: {
      json,
      modelVersion: json.modelVersion,
      features: json.features,
      tokenBuckets: json.tokenBuckets,
      base: json.base.map(compileBase),
      logitClip: json.logitClip,
      meta: { bias: json.meta.bias, weights: Float64Array.from(json.meta.weights) },
      calibration: { a: json.calibration.a, b: json.calibration.b },
      thresholds: { ...json.thresholds },
    },
  };
}

/**
 * Differences between the model's feature list and the extractor's (names the extractor emits that the
 * model has never seen, and the reverse), for a start-up check and the contract test.
 */
export function featureDrift(model: LoadedModel, extractorNames: readonly string[]): string[] {
  const mine = new Set(model.features);
  const theirs = new Set(extractorNames);
  const problems: string[] = [];
  const missing = model.features.filter((n) => !theirs.has(n));
  const unknown = extractorNames.filter((n) => !mine.has(n));
  if (missing.length > 0) problems.push(`model features the extractor lacks: ${missing.join(', ')}`);
  if (unknown.length > 0) problems.push(`extractor features the model lacks: ${unknown.join(', ')}`);
  if (problems.length === 0 && model.features.some((n, i) => n !== extractorNames[i])) {
    problems.push('feature order differs from the extractor');
  }
  return problems;
}

function checkConsistency(json: ModelJson): string[] {
  const problems: string[] = [];
  const nFeatures = json.features.length;
  if (new Set(json.features).size !== nFeatures) problems.push('features: duplicate names');
  if (json.meta.weights.length !== json.base.length) {
    problems.push(`meta.weights: ${json.meta.weights.length} weights for ${json.base.length} base learners`);
  }
  if (json.thresholds.suspicious > json.thresholds.malicious) {
    problems.push('thresholds: suspicious is above malicious');
  }
  json.base.forEach((base, b) => {
    problems.push(...checkBase(base, `base.${b} (${base.name})`, json));
  });
  json.parity.forEach((p, i) => {
    if (p.baseLogits.length !== json.base.length) problems.push(`parity.${i}.baseLogits: wrong length`);
  });
  return problems;
  function checkBase(base: BaseLearnerJson, where: string, model: ModelJson): string[] {
    const out: string[] = [];
    if (base.kind === 'tree-ensemble') {
      base.trees.forEach((tree, t) => {
        const n = tree.feature.length;
        const lengths = [tree.threshold, tree.left, tree.right, tree.value].map((a) => a.length);
        if (n === 0 || lengths.some((len) => len !== n)) {
          out.push(`${where}.trees.${t}: node arrays are empty or of different lengths`);
          return;
        }
        for (let i = 0; i < n; i++) {
          const f = tree.feature[i]!;
          if (f === -1) continue;
          const l = tree.left[i]!;
          const r = tree.right[i]!;
          if (f >= nFeatures) out.push(`${where}.trees.${t}.feature.${i}: no feature ${f}`);
          if (!(l > i && l < n && r > i && r < n)) {
            out.push(`${where}.trees.${t}: node ${i} has children outside the tree or before it`);
            return;
          }
        }
      });
    } else if (base.kind === 'linear') {
      base.terms.forEach((term, i) => {
        if (term.feature >= nFeatures) out.push(`${where}.terms.${i}: no feature ${term.feature}`);
      });
    } else {
      if (base.weights.length !== model.tokenBuckets) {
        out.push(`${where}.weights: ${base.weights.length} weights for ${model.tokenBuckets} token buckets`);
      }
      if (base.idf !== null && base.idf.length !== model.tokenBuckets) {
        out.push(`${where}.idf: ${base.idf.length} entries for ${model.tokenBuckets} token buckets`);
      }
    }
    return out;
  }
}

function compileBase(base: BaseLearnerJson): CompiledBase {
  if (base.kind === 'linear') {
    return {
      kind: 'linear',
      name: base.name,
      bias: base.bias,
      clip: base.clip,
      feature: Int32Array.from(base.terms, (t) => t.feature),
      log1p: Uint8Array.from(base.terms, (t) => (t.log1p ? 1 : 0)),
      center: Float64Array.from(base.terms, (t) => t.center),
      scale: Float64Array.from(base.terms, (t) => t.scale),
      weight: Float64Array.from(base.terms, (t) => t.weight),
    };
  }
  if (base.kind === 'token-linear') {
    return {
      kind: 'token-linear',
      name: base.name,
      bias: base.bias,
      transform: base.transform,
      normalize: base.normalize,
      idf: base.idf === null ? null : Float64Array.from(base.idf),
      weights: Float64Array.from(base.weights),
    };
  }
  const total = base.trees.reduce((sum, t) => sum + t.feature.length, 0);
  const out: CompiledTrees = {
    kind: 'tree-ensemble',
    name: base.name,
    link: base.link,
    bias: base.bias,
    roots: new Int32Array(base.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  base.trees.forEach((tree, t) => {
    out.roots[t] = offset;
    for (let i = 0; i < tree.feature.length; i++) {
      const leaf = tree.feature[i] === -1;
      out.feature[offset + i] = tree.feature[i]!;
      out.threshold[offset + i] = tree.threshold[i]!;
      out.left[offset + i] = leaf ? -1 : offset + tree.left[i]!;
      out.right[offset + i] = leaf ? -1 : offset + tree.right[i]!;
      out.value[offset + i] = tree.value[i]!;
    }
    offset += tree.feature.length;
  });
  return out;
}
