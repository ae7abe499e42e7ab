// The model stage: load the bundled models/model.json once, score each package's feature vector.
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelJson } from './format.js';
export { featureDrift, type LoadedModel, loadModel, ModelFormatError, parseModel } from './load.js';
export {
  type ModelScoreDetail,
  type ScoreOptions,
  scoreAnalysis,
  scoreVector,
  tokenFeatureName,
} from './score.js';
