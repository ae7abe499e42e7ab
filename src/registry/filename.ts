// Version and kind from a distribution filename (sdist naming, wheel spec, egg). Hand-written:
// no maintained npm library parses Python distribution filenames.

import { normalizeName } from '../names.js';

export type DistKind = 'sdist' | 'wheel' | 'egg' | 'other';

export interface ParsedFilename {
  kind: DistKind;
  version: string | null;
  /** Wheel tags, e.g. ['py3', 'none', 'any'] (wheels only). */
  tags?: { python: string; abi: string; platform: string };
}

const SDIST_SUFFIXES = ['.tar.gz', '.tar.bz2', '.tar.xz', '.zip', '.tgz', '.tar'];

/** Parses `filename` for project `project` (used to split the sdist name from its version). */
export function parseFilename(filename: string, project: string): ParsedFilename {
  if (filename.endsWith('.whl')) {
    const parts = filename.slice(0, -4).split('-');
    if (parts.length !== 5 && parts.length !== 6) return { kind: 'wheel', version: null };
    const [python, abi, platform] = parts.slice(-3) as [string, string, string];
    return { kind: 'wheel', version: parts[1] ?? null, tags: { python, abi, platform } };
  }
  if (filename.endsWith('.egg')) {
    const parts = filename.slice(0, -4).split('-');
    return { kind: 'egg', version: parts[1] ?? null };
  }
  const suffix = SDIST_SUFFIXES.find((s) => filename.toLowerCase().endsWith(s));
  if (!suffix) return { kind: 'other', version: null };
  const stem = filename.slice(0, -suffix.length);
  const wanted = normalizeName(project);
  // The name part may itself contain dashes: find the split where the prefix normalizes to the project.
  for (let i = stem.indexOf('-'); i !== -1; i = stem.indexOf('-', i + 1)) {
    if (normalizeName(stem.slice(0, i)) === wanted)
      return { kind: 'sdist', version: stem.slice(i + 1) || null };
  }
  const last = stem.lastIndexOf('-');
  return { kind: 'sdist', version: last === -1 ? null : stem.slice(last + 1) };
}
