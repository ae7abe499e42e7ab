// Every lockfile format in one table: id, file-name patterns, content sniffing, parser.
// Registering a format is one line in FORMATS.
import type { LockfileFormat } from '../types.js';
import { parseConda } from './conda/index.js';
import type { Parser } from './parser.js';
import { parsePdm } from './pdm/index.js';
import { parsePipfile } from './pipfile/index.js';
import { parsePoetry } from './poetry/index.js';
import { parsePylock } from './pylock/index.js';
import { parsePyproject } from './pyproject/index.js';
import { parseRequirements } from './requirements/index.js';
import { parseUv } from './uv/index.js';

export interface FormatDef {
  id: LockfileFormat;
  /** Matched against the file's base name. */
  fileNames: RegExp[];
  /** True when the content looks like this format (used when the name says nothing). */
  sniff: (content: string) => boolean;
  parse: Parser;
  /** True for real lockfiles, which win over a pyproject.toml beside them in discovery. */
  locks: boolean;
}

const has = (re: RegExp) => (content: string) => re.test(content);
// Sniffs use [ \t]* where \s* would match newlines too: `^\s*x` with the m flag rescans every following
// blank line from each line start, quadratic on a file of newlines.

// Order matters for sniffing: the most specific content checks first, requirements last.
export const FORMATS: FormatDef[] = [
  {
    id: 'pipfile',
    fileNames: [/^Pipfile\.lock$/],
    sniff: has(/^\s*\{[\s\S]*"_meta"\s*:/),
    parse: parsePipfile,
    locks: true,
  },
  {
    id: 'poetry',
    fileNames: [/^poetry\.lock$/],
    // lock-version inside [metadata] (pylock.toml has it at the top level).
    sniff: has(/^\[metadata\][ \t]*$(?:\n(?!\[).*)*\n[ \t]*lock-version[ \t]*=/m),
    parse: parsePoetry,
    locks: true,
  },
  {
    id: 'pdm',
    fileNames: [/^pdm\.lock$/],
    sniff: has(/^[ \t]*lock_version[ \t]*=/m),
    parse: parsePdm,
    locks: true,
  },
  {
    id: 'pylock',
    fileNames: [/^pylock\.toml$/, /^pylock\.[^.]+\.toml$/],
    sniff: has(/^[ \t]*\[\[packages\]\]/m),
    parse: parsePylock,
    locks: true,
  },
  {
    id: 'uv',
    fileNames: [/^uv\.lock$/],
    sniff: has(/^version[ \t]*=[ \t]*1[ \t]*$[\s\S]*\[\[package\]\]/m),
    parse: parseUv,
    locks: true,
  },
  {
    id: 'pyproject',
    fileNames: [/^pyproject\.toml$/],
    sniff: has(/^[ \t]*\[(project|tool\.poetry|dependency-groups)\]/m),
    parse: parsePyproject,
    locks: false,
  },
  {
    id: 'conda',
    fileNames: [/^(environment|conda)([-_.][^/]*)?\.ya?ml$/i, /^conda-lock\.ya?ml$/i],
    // environment.yml's dependencies list, or conda-lock.yml's package list with managers.
    sniff: (content) =>
      /^dependencies[ \t]*:/m.test(content) ||
      (/^package[ \t]*:/m.test(content) && /^[ \t-]*manager[ \t]*:[ \t]*(conda|pip)\b/m.test(content)),
    parse: parseConda,
    locks: false,
  },
  {
    id: 'requirements',
    fileNames: [/requirements.*\.(txt|in|pip)$/i, /^constraints.*\.txt$/i, /^requires.*\.txt$/i],
    // A bare word is not enough (any text has one): a version operator, a URL or a pip option.
    sniff: (content) =>
      /^[ \t]*[A-Za-z0-9][A-Za-z0-9._-]*[ \t]*(\[[^\]\n]*\])?[ \t]*(===?|~=|>=|<=|!=|<|>|@)/m.test(content) ||
      /^[ \t]*(-r|-c|-e|-i|--requirement|--constraint|--editable|--index-url|--hash)[ \t=]/m.test(content),
    parse: parseRequirements,
    locks: false,
  },
];

export function formatById(id: LockfileFormat): FormatDef | undefined {
  return FORMATS.find((f) => f.id === id);
}
