// pip requirements files (requirements*.txt, pip-compile output): pip's own syntax, includes and all.
// Hand-written: no maintained npm library parses pip's requirements format (options, includes, hashes).
import { posix } from 'node:path';
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import {
  directSource,
  normalizeHash,
  normalizeName,
  parseRequirement,
  refFromRequirement,
} from '../common.js';
import type { ParseOptions } from '../parser.js';

interface LogicalLine {
  text: string;
  /** 1-based line where the logical line starts (where the package is named). */
  line: number;
}

/** Joins '\' continuations and strips comments, as pip's preprocess does, keeping the start line. */
export function logicalLines(content: string): LogicalLine[] {
  const physical = content.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: LogicalLine[] = [];
  let buf: string | undefined;
  let start = 0;
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    // A comment line ends any continuation (pip: a comment line is never joined).
    if (buf === undefined) start = i + 1;
    const isComment = /^\s*#/.test(raw);
    if (isComment && buf !== undefined) {
      out.push({ text: buf, line: start });
      buf = undefined;
      continue;
    }
    const stripped = raw.replace(/(^|\s+)#.*$/, '');
    if (/\\$/.test(stripped) && !isComment) {
      buf = (buf ?? '') + stripped.slice(0, -1);
      continue;
    }
    const text = (buf ?? '') + stripped;
    buf = undefined;
    if (text.trim()) out.push({ text: text.trim(), line: start });
  }
  if (buf?.trim()) out.push({ text: buf.trim(), line: start });
  return out;
}

/** pip expands only ${UPPER_CASE} variables; unknown ones stay as written. */
function expandEnv(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => env[name] ?? whole);
}

/** Splits a line into the requirement part and the option tokens, ignoring '-' inside quotes. */
function splitOptions(text: string): { req: string; options: string[] } {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '-' && (i === 0 || /\s/.test(text[i - 1]!)) && /^--?[A-Za-z]/.test(text.slice(i))) {
      return { req: text.slice(0, i).trim(), options: tokenize(text.slice(i)) };
    }
  }
  return { req: text.trim(), options: [] };
}

function tokenize(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Options that take a value, by every spelling pip accepts. */
const VALUE_OPTIONS: Record<string, string> = {
  '-r': 'requirement',
  '--requirement': 'requirement',
  '-c': 'constraint',
  '--constraint': 'constraint',
  '-e': 'editable',
  '--editable': 'editable',
  '-i': 'index-url',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '-f': 'find-links',
  '--find-links': 'find-links',
  '--trusted-host': 'trusted-host',
  '--no-binary': 'no-binary',
  '--only-binary': 'only-binary',
  '--use-feature': 'use-feature',
  '--hash': 'hash',
  '--global-option': 'global-option',
  '--install-option': 'install-option',
  '--config-settings': 'config-settings',
  '-C': 'config-settings',
};
const FLAG_OPTIONS = new Set([
  '--no-index',
  '--pre',
  '--prefer-binary',
  '--require-hashes',
  '-Z',
  '--always-unzip',
]);

interface Option {
  name: string;
  value?: string;
}

function readOptions(tokens: string[]): { options: Option[]; unknown: string[] } {
  const options: Option[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const eq = tok.indexOf('=');
    const flag = tok.startsWith('--') && eq > 0 ? tok.slice(0, eq) : tok;
    const name = VALUE_OPTIONS[flag];
    if (name) {
      if (flag !== tok) options.push({ name, value: tok.slice(eq + 1) });
      else if (/^-[A-Za-z]./.test(tok) && !tok.startsWith('--')) options.push({ name, value: tok.slice(2) });
      else options.push({ name, value: tokens[++i] });
      continue;
    }
    // Short options glued to their value: -rfile.txt, -ihttps://...
    const short = /^(-[rceifC])(.+)$/.exec(tok);
    if (short && VALUE_OPTIONS[short[1]!]) {
      options.push({ name: VALUE_OPTIONS[short[1]!]!, value: short[2]!.replace(/^=/, '') });
      continue;
    }
    if (FLAG_OPTIONS.has(flag)) options.push({ name: flag.replace(/^-+/, '') });
    else unknown.push(tok);
  }
  return { options, unknown };
}

/** The project name of a direct reference: '#egg=name', or a wheel/sdist file name at the end. */
export function nameFromUrl(url: string): { name: string; version: string | null } | undefined {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return { name: egg[1]!.split(/==|-(?=\d)/)[0]!, version: null };
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9_.]+)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (wheel) return { name: wheel[1]!, version: wheel[2]! };
  const sdist = /^([A-Za-z0-9_.-]+?)-(\d[A-Za-z0-9_.+!-]*)\.(tar\.gz|tar\.bz2|tar\.xz|zip|tgz)$/.exec(file);
  if (sdist) return { name: sdist[1]!, version: sdist[2]! };
  return undefined;
}

function looksLikeDirect(req: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(req) ||
    /^(git|hg|svn|bzr)\+/i.test(req) ||
    /^file:/i.test(req) ||
    /^(\.{1,2}|~)?[\\/]/.test(req) ||
    req === '.' ||
    req === '..' ||
    /\.(whl|tar\.gz|zip|tar\.bz2|tgz)$/i.test(req)
  );
}

interface State {
  packages: PackageRef[];
  constraints: PackageRef[];
  issues: LockfileIssue[];
  indexUrls: string[];
  indexUrl?: string;
  visited: Set<string>;
}

export function parseRequirements(content: string, path: string, opts: ParseOptions = {}): LockfileResult {
  const state: State = { packages: [], constraints: [], issues: [], indexUrls: [], visited: new Set([path]) };
  parseFile(content, path, opts, state, [path], false);
  // --index-url applies to every requirement pip installs, wherever in the files it was given.
  if (state.indexUrl) for (const p of state.packages) if (p.source === undefined) p.source = state.indexUrl;
  applyConstraints(state);
  const result: LockfileResult = {
    file: path,
    format: 'requirements',
    packages: state.packages,
    issues: state.issues,
    status: 'ok',
  };
  if (state.indexUrls.length) result.indexUrls = state.indexUrls;
  return result;
}

/** An unpinned requirement takes the pin (and hashes) of a constraint on the same name and markers. */
function applyConstraints(state: State): void {
  for (const pkg of state.packages) {
    if (pkg.version !== null || pkg.source === 'url' || pkg.source === 'vcs' || pkg.source === 'path')
      continue;
    const c = state.constraints.find((k) => k.name === pkg.name && k.version !== null);
    if (!c) continue;
    pkg.version = c.version;
    delete pkg.specifier;
    if (!pkg.hashes.length) pkg.hashes = [...c.hashes];
  }
}

function parseFile(
  content: string,
  path: string,
  opts: ParseOptions,
  state: State,
  stack: string[],
  asConstraint: boolean,
): void {
  const env = opts.env ?? {};
  for (const { text: rawText, line } of logicalLines(content)) {
    const text = expandEnv(rawText, env);
    const issue = (message: string, kind: LockfileIssue['kind'] = 'error') =>
      state.issues.push({ file: path, line, message, kind });
    const { req, options: tokens } = splitOptions(text);
    const { options, unknown } = readOptions(tokens);
    if (unknown.length) issue(`unknown pip option '${unknown[0]}' ignored`, 'skipped');
    const hashes = options.filter((o) => o.name === 'hash' && o.value).map((o) => normalizeHash(o.value!));

    for (const opt of options) {
      if (opt.name === 'hash') continue;
      if (opt.value === undefined && VALUE_OPTION_NAMES.has(opt.name)) {
        issue(`option --${opt.name} needs a value`);
        continue;
      }
      if (opt.name === 'index-url' && opt.value) {
        state.indexUrl = opt.value;
        if (!state.indexUrls.includes(opt.value)) state.indexUrls.push(opt.value);
      } else if (opt.name === 'extra-index-url' && opt.value) {
        if (!state.indexUrls.includes(opt.value)) state.indexUrls.push(opt.value);
      } else if (opt.name === 'requirement' || opt.name === 'constraint') {
        include(opt.value!, opt.name === 'constraint' || asConstraint, path, line, opts, state, stack);
      } else if (opt.name === 'editable') {
        addDirect(opt.value!, [], path, line, state, asConstraint, true);
      }
    }
    if (!req) continue;
    if (looksLikeDirect(req)) {
      addDirect(req, hashes, path, line, state, asConstraint, false);
      continue;
    }
    const parsed = parseRequirement(req);
    if (typeof parsed === 'string') {
      issue(parsed);
      continue;
    }
    const ref = refFromRequirement(parsed, path, line);
    ref.hashes = hashes;
    (asConstraint ? state.constraints : state.packages).push(ref);
  }
}

const VALUE_OPTION_NAMES = new Set(Object.values(VALUE_OPTIONS));

function addDirect(
  target: string,
  hashes: string[],
  path: string,
  line: number,
  state: State,
  asConstraint: boolean,
  editable: boolean,
): void {
  // 'name[extra] @ url ; marker' with -e, or a plain URL/path.
  const named = parseRequirement(target);
  if (typeof named !== 'string' && named.url) {
    const ref = refFromRequirement(named, path, line, { hashes });
    (asConstraint ? state.constraints : state.packages).push(ref);
    return;
  }
  const [location, marker] = target.split(/\s+;\s*/, 2) as [string, string | undefined];
  const found = nameFromUrl(location);
  const kind = directSource(location);
  if (!found) {
    const what =
      editable && kind === 'path'
        ? 'editable local project (built from the checkout)'
        : editable
          ? 'editable project'
          : `direct ${kind} reference`;
    state.issues.push({
      file: path,
      line,
      kind: 'skipped',
      message: `${what} '${location}' names no package (add '#egg=name'); nothing to download from an index`,
    });
    return;
  }
  const ref: PackageRef = {
    name: normalizeName(found.name),
    version: kind === 'vcs' ? null : found.version,
    hashes,
    file: path,
    line,
    source: kind,
    url: location,
  };
  if (marker) ref.markers = marker.trim();
  (asConstraint ? state.constraints : state.packages).push(ref);
}

function include(
  target: string,
  asConstraint: boolean,
  from: string,
  line: number,
  opts: ParseOptions,
  state: State,
  stack: string[],
): void {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
    state.issues.push({
      file: from,
      line,
      kind: 'skipped',
      message: `remote include '${target}' not fetched`,
    });
    return;
  }
  const resolved = posix.normalize(
    posix.isAbsolute(target) ? target : posix.join(posix.dirname(from), target),
  );
  if (stack.includes(resolved)) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `include cycle: ${[...stack, resolved].join(' -> ')}`,
    });
    return;
  }
  // Included once already (a diamond): its packages are listed once.
  if (state.visited.has(resolved)) return;
  const text = opts.readFile?.(resolved);
  if (text === undefined) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `included file '${target}' not found (${resolved})`,
    });
    return;
  }
  state.visited.add(resolved);
  parseFile(text, resolved, opts, state, [...stack, resolved], asConstraint);
}
