// Helpers shared by the format parsers: names, PEP 508 requirements, line lookup, result builders.
import { valid, validRange } from '@renovatebot/pep440';
import type { LockfileFormat, LockfileIssue, LockfileResult, PackageRef } from '../types.js';

/** PEP 503 name normalization: runs of -, _ and . become one '-', lowercased. */
export function normalizeName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Names PEP 508 accepts: letters/digits at both ends, -_. inside. */
export const NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export interface Requirement {
  name: string;
  extras: string[];
  /** Version specifier as written ('' when none). */
  specifier: string;
  url?: string;
  markers?: string;
}

/**
 * Parses one PEP 508 requirement string. Hand-written: no maintained npm library parses PEP 508
 * (pep440 covers versions and specifiers only, which this uses to validate the specifier part).
 */
export function parseRequirement(text: string): Requirement | string {
  let rest = text.trim();
  let markers: string | undefined;
  // A marker starts at the first ';' that is not part of a URL (URLs need whitespace before ';').
  const atUrl = /^[^;@]*@/.test(rest);
  const semi = atUrl ? rest.search(/\s;/) : rest.indexOf(';');
  if (semi >= 0) {
    markers = rest.slice(semi).replace(/^\s*;/, '').trim() || undefined;
    rest = rest.slice(0, semi).trim();
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$/s.exec(rest);
  if (!m || !NAME_RE.test(m[1]!)) return `not a requirement: '${text.trim()}'`;
  const name = m[1]!;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  let tail = m[3]!.trim();
  if (tail.startsWith('@')) {
    const url = tail.slice(1).trim();
    if (!url) return `missing URL after '@' in '${text.trim()}'`;
    return { name, extras, specifier: '', url, markers };
  }
  if (tail.startsWith('(') && tail.endsWith(')')) tail = tail.slice(1, -1).trim();
  tail = tail.replace(/\s+/g, '');
  if (tail && !isValidSpecifier(tail)) return `invalid version specifier '${tail}' for ${name}`;
  return { name, extras, specifier: tail, markers };
}

export function isValidSpecifier(spec: string): boolean {
  // '===' is arbitrary equality: any string is allowed.
  if (/^===\S+$/.test(spec)) return true;
  return validRange(spec) !== null && validRange(spec) !== false;
}

/** The exact version a specifier pins ('==1.2.3' or '===x'), else null. */
export function pinnedVersion(spec: string): string | null {
  const m = /^===?\s*([^,\s*]+)$/.exec(spec.trim());
  if (!m) return null;
  if (spec.trim().startsWith('===')) return m[1]!;
  return valid(m[1]!) ? m[1]! : null;
}

/** Builds a PackageRef from a requirement, pinned or not. */
export function refFromRequirement(
  req: Requirement,
  file: string,
  line: number,
  extra: Partial<PackageRef> = {},
): PackageRef {
  const ref: PackageRef = {
    name: normalizeName(req.name),
    version: null,
    hashes: [],
    file,
    line,
  };
  if (req.url) {
    ref.source = directSource(req.url);
    ref.url = req.url;
  } else {
    const pinned = pinnedVersion(req.specifier);
    ref.version = pinned;
    if (pinned === null) ref.specifier = req.specifier || '';
  }
  if (req.markers) ref.markers = req.markers;
  if (req.extras.length) ref.extras = req.extras;
  return Object.assign(ref, extra);
}

/** The kind of a direct reference: vcs for git+/hg+/svn+/bzr+, path for file: and local paths, else url. */
export function directSource(url: string): 'url' | 'vcs' | 'path' {
  if (/^(git|hg|svn|bzr)\+/i.test(url) || /^git@/.test(url)) return 'vcs';
  if (/^file:/i.test(url) || /^[./~]/.test(url) || /^[A-Za-z]:[\\/]/.test(url)) return 'path';
  return 'url';
}

/** A hash as PackageRef keeps it: 'algo:hex', lowercase algorithm; accepts 'algo=hex' too. */
export function normalizeHash(h: string): string {
  const m = /^([A-Za-z0-9_-]+)[:=](.+)$/.exec(h.trim());
  return m ? `${m[1]!.toLowerCase()}:${m[2]}` : h.trim();
}

/** 1-based line of the first match of `re` in `lines` at or after index `from`, or undefined. */
export function findLine(lines: string[], re: RegExp, from = 0): number | undefined {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the line of each `name = "x"` inside `[[header]]` tables, in document order, so the n-th
 * table's name line is returned for the n-th package. Falls back to the header line.
 */
export function tableNameLines(text: string, header: string): number[] {
  const lines = text.split(/\r?\n/);
  const headerRe = new RegExp(`^\\s*\\[\\[\\s*${escapeRe(header)}\\s*\\]\\]\\s*(#.*)?$`);
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!headerRe.test(lines[i]!)) continue;
    let found = i + 1;
    for (let j = i + 1; j < lines.length; j++) {
      if (/^\s*\[/.test(lines[j]!)) break;
      if (/^\s*name\s*=/.test(lines[j]!)) {
        found = j + 1;
        break;
      }
    }
    out.push(found);
  }
  return out;
}

/** Line and column from a smol-toml / JSON error, when it gives them. */
export function errorLine(err: unknown): number | undefined {
  const e = err as { line?: number; message?: string };
  if (typeof e?.line === 'number') return e.line;
  const m = /line (\d+)/i.exec(String(e?.message ?? ''));
  return m ? Number(m[1]) : undefined;
}

export function errorResult(
  file: string,
  format: LockfileFormat,
  message: string,
  line?: number,
): LockfileResult {
  const where = line ? `${file}:${line}` : file;
  const issue: LockfileIssue = { file, message, kind: 'error' };
  if (line) issue.line = line;
  return { file, format, packages: [], issues: [issue], status: 'error', error: `${where}: ${message}` };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** 1-based line of a JSON object key `"name": {` — JSON.parse gives no positions. */
export function jsonKeyLine(lines: string[], key: string, from = 0): number | undefined {
  return findLine(lines, new RegExp(`^\\s*${escapeRe(JSON.stringify(key))}\\s*:`), from);
}
