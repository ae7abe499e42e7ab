// Reading models/model.json: the shape is checked with zod, then what a schema cannot say (array
// lengths agree, tree children point forward and inside the tree, feature indices exist) is checked
// by hand, and the trees are flattened into typed arrays for scoring.
import { z } from 'zod';
import { compileModel, type LoadedModel, ModelFormatError } from './compile.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from './format.js';

export {
  type CompiledBase,
  type CompiledLinear,
  type CompiledTokenLinear,
  type CompiledTrees,
  featureDrift,
  type LoadedModel,
  ModelFormatError,
} from './compile.js';

const finite = z.number().finite();

// The long number arrays (about 250,000 tree nodes' fields in the bundled model) are checked with one loop
// each: zod's per-element check took ~90 ms of every start-up that loads the model.
const numberArray = (valid: (n: number) => boolean, expected: string) =>
  z.custom<number[]>(
    (v) => Array.isArray(v) && v.every((n) => typeof n === 'number' && valid(n)),
    `expected an array of ${expected}`,
  );
const finiteArray = numberArray(Number.isFinite, 'finite numbers');
const indexArray = numberArray((n) => Number.isInteger(n) && n >= -1, 'integers >= -1');

const treeSchema = z.strictObject({
  feature: indexArray,
  threshold: finiteArray,
  left: indexArray,
  right: indexArray,
  value: finiteArray,
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
    idf: finiteArray.nullable(),
    weights: finiteArray,
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
  meta: z.strictObject({ bias: finite, weights: finiteArray }),
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
  return compileModel(parsed.data as ModelJson);
}

/** Like parseModel, but throws ModelFormatError. */
export function loadModel(input: unknown): LoadedModel {
  const parsed = parseModel(input);
  if (!parsed.ok) throw new ModelFormatError(parsed.error);
  return parsed.model;
}
