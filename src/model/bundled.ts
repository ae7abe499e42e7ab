// The model that ships with the action: models/model.json, embedded in dist/ as text (model-embedded.ts; no
// download, no native module at run time), parsed, checked against the extractor's feature list and
// compiled once, when a command first needs it. Its shape is checked against the full schema by
// test/model/bundled.test.ts, not at every start-up (the schema check cost ~100 ms of a cold start); the
// consistency checks that guard the scorer's indexing still run here.
import { readFileSync } from 'node:fs';
import { FEATURE_NAMES } from '../features/index.js';
import { compileModel, featureDrift, type LoadedModel, ModelFormatError } from './compile.js';
import type { ModelJson } from './format.js';
import { embeddedModelText } from './model-embedded.js';

let cached: LoadedModel | undefined;

/** The bundled model; throws when it is malformed or does not match the extractor (a build that must not ship). */
export function bundledModel(): LoadedModel {
  if (cached) return cached;
  const text = embeddedModelText ?? readFileSync(new URL('../../models/model.json', import.meta.url), 'utf8');
  let compiled: ReturnType<typeof compileModel>;
  try {
    compiled = compileModel(JSON.parse(text) as ModelJson);
  } catch (error) {
    throw new ModelFormatError(`the bundled model cannot be read: ${(error as Error).message}`);
  }
  if (!compiled.ok) throw new ModelFormatError(`the bundled model: ${compiled.error}`);
  const drift = featureDrift(compiled.model, FEATURE_NAMES);
  if (drift.length > 0)
    throw new Error(
      `the bundled model does not match the feature extractor: ${drift.slice(0, 5).join('; ')}`,
    );
  cached = compiled.model;
  return cached;
}
