// Reading models/model.json: the shape is checked with zod, then what a schema cannot say (array
// lengths agree, tree children point forward and inside the tree, feature indices exist) is checked
// by hand, and the trees are flattened into typed arrays for scoring.
import { z } from 'zod';
import { type BaseLearnerJson, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from './format.js';

const finite = z.number().finite();
const index = z.number().int().min(-1);

const treeSchema = z.strictObject({
  feature: z.array(index),
  threshold: z.array(finite),
  left: z.array(index),
  right: z.array(index),
  value: z.array(finite),
});

const baseSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('tree-ensemble'),
    name: z.string().min(1),
    link: z.enum(['sum', 'mean-probability']),
    bias: finite,
    trees: z.array(treeSchema).min(1),
  }),
  z.strictObject({
    kind: z.literal('linear'),
    name: z.string().min(1),
    bias: finite,
    clip: z.number().positive(),
    terms: z.array(
      z.strictObject({
        feature: z.number().int().min(0),
        log1p: z.boolean(),
        center: finite,
        scale: z.number().positive().finite(),
        weight: finite,
      }),
    ),
  }),
  z.strictObject({
    kind: z.literal('token-linear'),
    name: z.string().min(1),
    bias: finite,
    transform: z.enum(['log1p', 'binary']),
    normalize: z.enum(['l2', 'none']),
    idf: z.array(finite).nullable(),
    weights: z.array(finite),
  }),
]);

const modelSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_FORMAT_VERSION),
  modelVersion: z.string().min(1),
  seed: z.number().int(),
  features: z.array(z.string().min(1)).min(1),
  tokenBuckets: z.number().int().min(0),
  training: z.strictObject({
    rows: z.number().int().min(0),
    malicious: z.number().int().min(0),
    benign: z.number().int().min(0),
    bySource: z.record(z.string(), z.number().int().min(0)),
    digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  }),
  base: z.array(baseSchema).min(1),
  logitClip: z.number().positive(),
  meta: z.strictObject({ bias: finite, weights: z.array(finite) }),
  calibration: z.strictObject({ kind: z.literal('platt'), a: finite, b: finite }),
  thresholds: z.strictObject({
    malicious: z.number().min(0).max(1),
    suspicious: z.number().min(0).max(1),
  }),
  parity: z.array(
    z.strictObject({
      id: z.string(),
      features: z.record(z.string(), finite),
      tokens: z.record(z.string(), finite),
      score: z.number().min(0).max(1),
      baseLogits: z.array(finite),
    }),
  ),
});

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

export type ParsedModel = { ok: true; model: LoadedModel } | { ok: false; error: string };

/** Validate and compile a model file (its text or parsed JSON); problems come back as one message. */
export function parseModel(input: unknown): ParsedModel {
  let data = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      return { ok: false, error: `model file is not JSON: ${(error as Error).message}` };
    }
  }
  const parsed = modelSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `${where}: ${issue.message}`;
    });
    return { ok: false, error: `invalid model file: ${issues.join('; ')}` };
  }
  const json = parsed.data as ModelJson;
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

/** Like parseModel, but throws ModelFormatError: for the one bundled model read at start-up. */
export function loadModel(input: unknown): LoadedModel {
  const parsed = parseModel(input);
  if (!parsed.ok) throw new ModelFormatError(parsed.error);
  return parsed.model;
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
