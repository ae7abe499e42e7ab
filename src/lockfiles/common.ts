// Helpers shared by the format parsers: names, PEP 508 requirements, line lookup, result builders.
import { valid, validRange } from '@renovatebot/pep440';
import type { LockfileFormat, LockfileIssue, LockfileResult, PackageRef } from '../types.js';
import { normalizeName } from '../names.js';

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
 * Messages name the requirement at most, never quote the text: a hostile line can hold a token or
 * a workflow command.
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
  if (!m || !NAME_RE.test(m[1]!)) return 'not a requirement: no valid package name';
  const name = m[1]!;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  let tail = m[3]!.trim();
  if (tail.startsWith('@')) {
    const url = tail.slice(1).trim();
    if (!url) return `${name}: missing URL after '@'`;
    return { name, extras, specifier: '', url, markers };
  }
  if (tail.startsWith('(') && tail.endsWith(')')) tail = tail.slice(1, -1).trim();
  tail = tail.replace(/\s+/g, '');
  if (tail && !isValidSpecifier(tail)) return `${name}: invalid version specifier`;
  return { name, extras, specifier: tail, markers };
}

/**
 * More clauses than any real requirement has: a specifier past this is refused rather than validated
 * (pep440 takes ~15 us per clause, so a 1 MB line of '==1,' took seconds).
 */
export const MAX_SPECIFIER_CLAUSES = 64;
const clauseValidity = new Map<string, boolean>();

/** Longer than any real specifier clause: pep440's version regex backtracks superlinearly on megabytes. */
export const MAX_CLAUSE_LENGTH = 256;

export function isValidSpecifier(spec: string): boolean {
  // '===' is arbitrary equality: any string is allowed.
  if (/^===\S+$/.test(spec)) return true;
  if (spec.length > MAX_SPECIFIER_CLAUSES * MAX_CLAUSE_LENGTH) return false;
  // '==V' is valid exactly when V is a version (pep440's own check, ~100x faster than validRange).
  if (
    /^==[^=,*]/.test(spec) &&
    spec.length <= MAX_CLAUSE_LENGTH &&
    !spec.includes(',') &&
    valid(spec.slice(2)) !== null
  )
    return true;
  const clauses = spec.split(',', MAX_SPECIFIER_CLAUSES + 1);
  if (clauses.length > MAX_SPECIFIER_CLAUSES) return false;
  // Clause by clause, remembered: lockfiles repeat the same clauses many times.
  return clauses.every((clause) => {
    if (clause.length > MAX_CLAUSE_LENGTH) return false;
    let ok = clauseValidity.get(clause);
    if (ok === undefined) {
      ok = clause !== '' && validRange(clause);
      if (clauseValidity.size > 10_000) clauseValidity.clear();
      clauseValidity.set(clause, ok);
    }
    return ok;
  });
}

/**
 * A value from a dependency file as a message may show it: only when it looks like a name or a
 * version (what a requirement's name may hold anyway); anything else is described, not quoted.
 */
export function shown(value: unknown): string {
  const s = String(value);
  return /^[A-Za-z0-9][A-Za-z0-9._+!-]{0,99}$/.test(s) ? `'${s}'` : `(${s.length} characters, not shown)`;
}

/** An index URL as a message may show it: credentials (user:pass@) masked. */
export function maskCredentials(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@?#]*@/, '$1***@');
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

/**
 * Lines by the keys found on them, built in one pass: looking a key up is a binary search, where a
 * regex scan per package from its section's start was quadratic (a 1 MB Pipfile.lock took 10 s).
 */
export class LineIndex {
  private readonly byKey = new Map<string, number[]>();

  constructor(lines: string[], keysOf: (line: string) => Iterable<string>) {
    lines.forEach((line, i) => {
      for (const key of keysOf(line)) {
        const list = this.byKey.get(key);
        if (list) list.push(i + 1);
        else this.byKey.set(key, [i + 1]);
      }
    });
  }

  /** The first 1-based line at or after `from` that holds `key`, else undefined. */
  at(key: string, from = 1): number | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }
}

/** The JSON object key a line starts with (`"name": ...`), decoded. */
export function* jsonLineKey(line: string): Iterable<string> {
  const m = /^\s*("(?:[^"\\]|\\.)*")\s*:/.exec(line);
  if (!m) return;
  try {
    yield JSON.parse(m[1]!) as string;
  } catch {
    // not a JSON string: no key
  }
}

/** The TOML key a line starts with (`name = ...`, `"name" = ...`), as written between quotes. */
export function* tomlLineKey(line: string): Iterable<string> {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=/.exec(line);
  if (m) yield m[1] ?? m[2] ?? m[3]!;
}

/**
 * Every quoted string on a line, as written (escapes not decoded). A scan, not a regex: a regex retries
 * an unterminated string from each later quote, quadratic on a hostile line.
 */
export function* quotedStrings(line: string): Iterable<string> {
  let i = 0;
  while (i < line.length) {
    const q = line[i];
    if (q !== '"' && q !== "'") {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < line.length && line[j] !== q) j += q === '"' && line[j] === '\\' ? 2 : 1;
    if (j >= line.length) return; // unterminated: nothing after it is a string either
    yield line.slice(i + 1, j);
    i = j + 1;
  }
}

/** 1-based line of a JSON object key `"name": {` — JSON.parse gives no positions. */
export function jsonKeyLine(lines: string[], key: string, from = 0): number | undefined {
  return findLine(lines, new RegExp(`^\\s*${escapeRe(JSON.stringify(key))}\\s*:`), from);
}
