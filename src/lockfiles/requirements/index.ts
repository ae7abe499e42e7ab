// pip requirements files (requirements*.txt, pip-compile output): pip's own syntax, includes and all.
// Hand-written: no maintained npm library parses pip's requirements format (options, includes, hashes).
import { posix } from 'node:path';
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import { directSource, normalizeHash, parseRequirement, refFromRequirement } from '../common.js';
import type { ParseOptions, ReadRefusal } from '../parser.js';

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
    const stripped = stripComment(raw);
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

/**
 * pip's COMMENT_RE, `(^|\s+)#.*$`, without the regex: that one retries the whitespace run from every
 * position of it, quadratic on a long line of spaces.
 */
function stripComment(line: string): string {
  for (let i = line.indexOf('#'); i >= 0; i = line.indexOf('#', i + 1)) {
    if (i === 0) return '';
    if (/\s/.test(line[i - 1]!)) return line.slice(0, i).trimEnd();
  }
  return line;
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
  // name-version.ext with the version starting at the first '-digit'. Not one regex: a lazy name group
  // retried the version part from every '-', quadratic on a long file name that does not match.
  const ext = /\.(tar\.gz|tar\.bz2|tar\.xz|zip|tgz)$/.exec(file);
  if (!ext) return undefined;
  const stem = file.slice(0, ext.index);
  const dash = stem.search(/-\d/);
  if (dash <= 0) return undefined;
  const name = stem.slice(0, dash);
  const version = stem.slice(dash + 1);
  if (!/^[A-Za-z0-9_.-]+$/.test(name) || !/^\d[A-Za-z0-9_.+!-]*$/.test(version)) return undefined;
  return { name, version };
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
  /** --no-index was given: pip reads no index, only --find-links locations. */
  noIndex?: boolean;
  findLinks: string[];
  visited: Set<string>;
}

export function parseRequirements(content: string, path: string, opts: ParseOptions = {}): LockfileResult {
  const state: State = {
    packages: [],
    constraints: [],
    issues: [],
    indexUrls: [],
    findLinks: [],
    visited: new Set([path]),
  };
  parseFile(content, path, opts, state, [path], false);
  applyConstraints(state);
  for (const p of state.packages) {
    if (p.source !== undefined) continue;
    // With --no-index pip installs only from --find-links locations, which the gate does not read.
    if (state.noIndex) {
      const where = state.findLinks[0];
      p.source =
        where && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(where) && !/^file:/i.test(where) ? 'url' : 'path';
      if (where) p.url = where;
    } else if (state.indexUrl) {
      // --index-url applies to every requirement pip installs, wherever in the files it was given.
      p.source = state.indexUrl;
    }
  }
  const result: LockfileResult = {
    file: path,
    format: 'requirements',
    packages: state.packages,
    issues: state.issues,
    status: 'ok',
  };
  // Deduplicated once: an includes() per option was quadratic in index options.
  if (state.indexUrls.length) result.indexUrls = [...new Set(state.indexUrls)];
  return result;
}

/**
 * pip applies a constraint to the requirement of the same name: an unpinned requirement installs the
 * constraint's pin (and checks its hashes), and a constraint that is a direct reference (name @ url)
 * makes pip install from that reference. A constraint under markers applies only where they hold, so
 * the requirement is kept as written and the constrained variant is listed beside it.
 */
function applyConstraints(state: State): void {
  const out: PackageRef[] = [];
  // By name: a loop over every constraint per requirement was quadratic.
  const byName = new Map<string, PackageRef[]>();
  for (const c of state.constraints) {
    const list = byName.get(c.name);
    if (list) list.push(c);
    else byName.set(c.name, [c]);
  }
  for (const pkg of state.packages) {
    out.push(pkg);
    if (pkg.source === 'url' || pkg.source === 'vcs' || pkg.source === 'path') continue;
    for (const c of byName.get(pkg.name) ?? []) {
      const direct = c.source === 'url' || c.source === 'vcs' || c.source === 'path';
      if (!direct && c.version === null) {
        // A range only narrows what is allowed.
        if (pkg.version === null && c.specifier)
          pkg.specifier = [pkg.specifier, c.specifier].filter(Boolean).join(',');
        continue;
      }
      if (!direct && pkg.version !== null) {
        if (pkg.version !== c.version)
          state.issues.push({
            file: pkg.file,
            line: pkg.line,
            kind: 'error',
            message: `${pkg.name}: pinned to a version its constraint (${c.file}:${c.line}) does not allow; pip refuses to install this`,
          });
        else if (!pkg.hashes.length && c.hashes.length) pkg.hashes = [...c.hashes];
        continue;
      }
      const conditional = c.markers !== undefined && c.markers !== pkg.markers;
      const target = conditional ? { ...pkg, hashes: [...pkg.hashes], markers: c.markers } : pkg;
      target.version = c.version;
      delete target.specifier;
      if (direct) {
        target.source = c.source;
        target.url = c.url;
        target.hashes = [...c.hashes];
      } else if (!target.hashes.length) target.hashes = [...c.hashes];
      target.constrainedBy = `${c.file}:${c.line}`;
      if (conditional) out.push(target);
    }
  }
  state.packages = out;
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
    if (unknown.length) {
      // Quoted only when it looks like an option name (letters and dashes): never a token's shape.
      const first = unknown[0]!;
      const label = /^--?[A-Za-z][A-Za-z-]{0,40}$/.test(first) ? ` '${first}'` : '';
      issue(`unknown pip option${label} ignored`, 'skipped');
    }
    const hashes = options.filter((o) => o.name === 'hash' && o.value).map((o) => normalizeHash(o.value!));

    for (const opt of options) {
      if (opt.name === 'hash') continue;
      if (opt.value === undefined && VALUE_OPTION_NAMES.has(opt.name)) {
        issue(`option --${opt.name} needs a value`);
        continue;
      }
      if (opt.name === 'index-url' && opt.value) {
        state.indexUrl = opt.value;
        state.indexUrls.push(opt.value);
      } else if (opt.name === 'extra-index-url' && opt.value) {
        state.indexUrls.push(opt.value);
      } else if (opt.name === 'no-index') {
        state.noIndex = true;
      } else if (opt.name === 'find-links' && opt.value) {
        state.findLinks.push(opt.value);
        issue(
          '--find-links: pip may install packages from this location, which the gate does not read (fails closed)',
        );
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
    // The project itself (an editable local path) is the checkout's own code. Anything else is something
    // pip installs from outside any index: the gate cannot analyse it, so it is an error (fail closed).
    const ownProject = editable && kind === 'path';
    state.issues.push({
      file: path,
      line,
      kind: ownProject ? 'skipped' : 'error',
      message: ownProject
        ? `${what} names no package (add '#egg=name'); nothing to download from an index`
        : `${what} names no package: pip installs it from there and the gate cannot analyse it (add '#egg=name' to have it reported as a package)`,
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

/** Why an include target may not be read, from its path alone; undefined when it may. */
function refusedPath(resolved: string): string | undefined {
  if (
    posix.isAbsolute(resolved) ||
    /^[A-Za-z]:/.test(resolved) ||
    resolved === '..' ||
    resolved.startsWith('../')
  )
    return 'it resolves outside the workspace';
  // Case-insensitive: on macOS and Windows checkouts .GIT/config is .git/config.
  if (resolved.toLowerCase().split('/').includes('.git'))
    return 'it is inside .git/, which holds no requirements (and may hold the token)';
  return undefined;
}

function isRefusal(v: unknown): v is ReadRefusal {
  return typeof v === 'object' && v !== null && 'refused' in v;
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
  const option = asConstraint ? '-c' : '-r';
  // Messages never quote the target: it is raw line content, and its content is never shown either.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `${option} names a remote file, which the gate does not fetch (fails closed)`,
    });
    return;
  }
  const resolved = posix.normalize(
    posix.isAbsolute(target) ? target : posix.join(posix.dirname(from), target.replace(/\\/g, '/')),
  );
  const refused = refusedPath(resolved);
  if (refused) {
    state.issues.push({ file: from, line, kind: 'error', message: `${option} target refused: ${refused}` });
    return;
  }
  if (stack.includes(resolved)) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `include cycle: the file named by ${option} on this line is already being read (${stack.length} file(s) deep)`,
    });
    return;
  }
  // Included once already (a diamond): its packages are listed once.
  if (state.visited.has(resolved)) return;
  const text = opts.readFile?.(resolved);
  if (isRefusal(text)) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `${option} target refused: ${text.refused}`,
    });
    return;
  }
  if (text === undefined) {
    state.issues.push({
      file: from,
      line,
      kind: 'error',
      message: `the file named by ${option} on this line was not found`,
    });
    return;
  }
  state.visited.add(resolved);
  parseFile(text, resolved, opts, state, [...stack, resolved], asConstraint);
}
