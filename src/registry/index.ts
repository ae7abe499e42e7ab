// The registry stage: Simple API pages, artifact choice and verified downloads (see client.ts).
export { type ArtifactCache, createArtifactCache } from './cache.js';
export {
  createIndexClient,
  DEFAULT_INDEX_URL,
  type IndexClient,
  type IndexClientOptions,
} from './client.js';
export {
  type Finding,
  found,
  hashMismatch,
  RegistryError,
  releaseMissing,
  untrustedIndex,
  valueOrThrow,
} from './errors.js';
export { type DistKind, type ParsedFilename, parseFilename } from './filename.js';
export {
  credentialsAllowed,
  type HttpAnswer,
  type HttpGet,
  type HttpSettings,
  httpGet,
  isLoopbackHost,
  retryAfterMs,
} from './http.js';
export {
  declaredIndexes,
  type IndexHealth,
  indexKey,
  indexProblems,
  refKey,
  untrustedLockfileIndexes,
} from './indexes.js';
export { createLimiter, type Limiter } from './limit.js';
export { maskSecrets, maskUrl } from './mask.js';
export { type IndexFile, type ParsedPage, parseHtmlPage, parseJsonPage } from './page.js';
export { type SelectableFile, type Selection, type SelectOptions, selectForTargets } from './select.js';
export {
  cpythonTags,
  DEFAULT_PLATFORMS,
  DEFAULT_PYTHON_MINORS,
  KNOWN_PLATFORMS,
  type TargetPlatform,
  targetPlatform,
  wheelTags,
} from './tags.js';
export { matchesPin, newestSatisfying, type VersionCandidate } from './version.js';
export type { ProjectPage, RegistryFile, Resolution } from './types.js';
