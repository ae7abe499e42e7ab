// The registry stage: Simple API pages, artifact choice and verified downloads (see client.ts).
export { type ArtifactCache, createArtifactCache } from './cache.js';
export {
  createIndexClient,
  DEFAULT_INDEX_URL,
  type IndexClient,
  type IndexClientOptions,
  normalizeProjectName,
  type ProjectPage,
  type RegistryFile,
  type Resolution,
} from './client.js';
export { hashMismatch, RegistryError, RegistryFinding, releaseMissing } from './errors.js';
export { type DistKind, type ParsedFilename, parseFilename } from './filename.js';
export { type HttpAnswer, type HttpGet, type HttpSettings, httpGet, retryAfterMs } from './http.js';
export { createLimiter, type Limiter } from './limit.js';
export { maskSecrets, maskUrl } from './mask.js';
export { type IndexFile, type ParsedPage, parseHtmlPage, parseJsonPage } from './page.js';
export { type SelectableFile, selectArtifacts } from './select.js';
export { newestSatisfying, type VersionCandidate } from './version.js';
