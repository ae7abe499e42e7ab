// Entry names are data written by the uploader. These flags record what a name would do if a careless
// extractor followed it; the reader itself never follows anything.

/** Bidirectional-text controls that make a name display differently from what it is. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** C0 controls other than NUL (flagged apart), DEL and C1 controls. */
const CONTROL = /[\u0001-\u001f\u007f-\u009f]/;

export type NameFlag =
  | 'empty'
  | 'absolute'
  | 'dotdot'
  | 'nul'
  | 'control'
  | 'backslash'
  | 'bidi'
  | 'invalid-utf8'
  | 'too-deep';

/** Flags for one entry name; `depth` is the path-depth limit. */
export function nameFlags(name: string, depth: number, invalidUtf8 = false): NameFlag[] {
  const flags: NameFlag[] = [];
  if (name.length === 0) flags.push('empty');
  // '/x', '\\x', 'C:x', '//server/share': all leave the extraction directory.
  if (/^([/\\]|[A-Za-z]:)/.test(name)) flags.push('absolute');
  const parts = pathParts(name);
  if (parts.includes('..')) flags.push('dotdot');
  if (name.includes('\0')) flags.push('nul');
  if (CONTROL.test(name)) flags.push('control');
  if (name.includes('\\')) flags.push('backslash');
  if (BIDI.test(name)) flags.push('bidi');
  if (invalidUtf8 || name.includes('\ufffd')) flags.push('invalid-utf8');
  if (parts.length > depth) flags.push('too-deep');
  return flags;
}

/** Path components, splitting on both separators (Windows extractors honour backslashes). */
export function pathParts(name: string): string[] {
  return name.split(/[/\\]+/).filter((p) => p !== '' && p !== '.');
}

/**
 * Folders of tests, docs and examples: code there runs only when a developer runs it. The one list of them;
 * features/files.ts adds packaging and CI folders to it, and the rules exec-alias and obfuscated-identifiers
 * keep a narrower check (rules/context.ts) because widening either would change model features.
 */
export const TEST_OR_DOC_DIR_NAMES = [
  'test',
  'tests',
  'testing',
  'doc',
  'docs',
  'example',
  'examples',
  'benchmarks',
  'bench',
] as const;
const TEST_OR_DOC_DIRS = new Set<string>(TEST_OR_DOC_DIR_NAMES);

/** True when a folder of the path (not the file name) is a tests, docs or examples folder. */
export function inTestOrDocFolder(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  return parts.slice(0, -1).some((p) => TEST_OR_DOC_DIRS.has(p.toLowerCase()));
}
