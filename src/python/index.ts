// Python parsing for the rules and the features: initPython() once, then parsePython() per file.
export { bareParse, initPython, MAX_PARSE_CHARS, parsePython } from './parse.js';
export { type CodeRole, type FileRole, fileRole, topLevelRole } from './roles.js';
export type { CallSite, Definition, ImportRecord, ParsedFile, SetupCall, StringLiteral } from './types.js';
export { scriptFiles } from './importable.js';
export { isStartupModule, startupModules } from './startup.js';
