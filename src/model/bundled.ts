// The model that ships with the action: models/model.json, embedded in dist/ by esbuild (no download, no
// native module at run time), loaded and checked once against the extractor's feature list.
import modelJson from '../../models/model.json' with { type: 'json' };
import { FEATURE_NAMES } from '../features/index.js';
import { featureDrift, type LoadedModel, loadModel } from './load.js';

let cached: LoadedModel | undefined;

/** The bundled model; throws when it does not match the extractor (a build that must not ship). */
export function bundledModel(): LoadedModel {
  if (cached) return cached;
  const model = loadModel(modelJson as unknown);
  const drift = featureDrift(model, FEATURE_NAMES);
  if (drift.length > 0)
    throw new Error(
      `the bundled model does not match the feature extractor: ${drift.slice(0, 5).join('; ')}`,
    );
  cached = model;
  return model;
}
