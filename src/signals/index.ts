// Registry and history signals: known malware (OSV), typosquats, index history, version diff.
export { type HistoryFile, type HistoryInput, type HistoryOptions, historySignals } from './history.js';
export { OSV_DEFAULT_URL, type OsvOptions, type OsvRef, type OsvResult, osvKey, queryOsv } from './osv.js';
export {
  buildPopularNames,
  bundledPopularNames,
  type PopularNames,
  type PopularNamesFile,
  popularNamesFrom,
  serializePopularNames,
} from './popular.js';
export {
  findTyposquat,
  findTyposquatMatches,
  type TyposquatMatch,
  type TyposquatOptions,
  type TyposquatTechnique,
} from './typosquat.js';
export {
  addedEvidence,
  runsOnInstallOrImport,
  type VersionPair,
  versionDiffSignals,
} from './version-diff.js';
export { createSignalsStage, type SignalsStage, type SignalsStageDeps } from './stage.js';
