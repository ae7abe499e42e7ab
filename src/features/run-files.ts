// Files that are not named as Python but that the package's own code runs as Python: `exec(open(p).read())`,
// `runpy.run_path(p)`, `SourceFileLoader(name, p).load_module()`, `spec_from_file_location(name, p)`, a zip
// put on sys.path. An implant moved into `res.dat` or `VERSION` would otherwise never be parsed, whatever its
// code does.
import { inTestOrDocFolder } from '../archive/names.js';
import type { CallSite, CodeRole, FileRole, ParsedFile, StringLiteral } from '../python/index.js';
import { bodyStart, lastBindingLine, namesOutsideStrings } from '../rules/context.js';

/** Where each runner takes the file (or the code read from it): a position, or a keyword. */
const RUNNERS = new Map<string, { position: number; keyword?: string }>([
  ['exec', { position: 0, keyword: 'source' }],
  ['eval', { position: 0, keyword: 'source' }],
  ['compile', { position: 0, keyword: 'source' }],
  ['builtins.exec', { position: 0, keyword: 'source' }],
  ['builtins.eval', { position: 0, keyword: 'source' }],
  ['builtins.compile', { position: 0, keyword: 'source' }],
  ['execfile', { position: 0 }],
  ['runpy.run_path', { position: 0, keyword: 'path_name' }],
  ['zipimport.zipimporter', { position: 0 }],
  ['importlib.machinery.SourceFileLoader', { position: 1, keyword: 'path' }],
  ['importlib.machinery.SourcelessFileLoader', { position: 1, keyword: 'path' }],
  ['importlib.util.spec_from_file_location', { position: 1, keyword: 'location' }],
  ['imp.load_source', { position: 1, keyword: 'pathname' }],
  ['imp.load_compiled', { position: 1, keyword: 'pathname' }],
  ['imp.load_module', { position: 1, keyword: 'file' }],
  // Whatever is put on sys.path is imported from: a zip under any name is a package Python reads (zipimport).
  ['sys.path.insert', { position: 1 }],
  ['sys.path.append', { position: 0 }],
  ['sys.path.extend', { position: 0 }],
]);
const ON_PATH = /^sys\.path\./;
/** A file name with an extension, as a string in the code names it ('res.dat', '*\/VERSION.txt'). */
const FILE_NAME = /(?:^|[/\\*])([\w.-]{1,80}\.[A-Za-z0-9]{1,12})$/;
/** The last part of a path named where a file is run: any file name, with or without an extension. */
const BASE_NAME = /(?:^|[/\\*])([^/\\*]{1,80})$/;
const QUOTED = /(['"])([^'"\n]{1,300})\1/g;
/** Text changed between reading and running (`.replace('#', '')`, `[::-1]`, XOR, a decoder): what runs is not what the file says. */
const TRANSFORMED =
  /\.replace\s*\(|\[\s*::\s*-\s*1\s*\]|\.translate\s*\(|codecs\.decode|\beval\s*\(|\^|decompress|b(64|32|85|16)decode|a85decode|unhexlify|fromhex|decrypt|\bmarshal\./;
export const ROLE_RANK: Record<CodeRole, number> = { install: 3, import: 2, runtime: 1, test: 0 };
/** Assignments followed back from a runner's argument (`p = join(here, 'res.dat')`, `src = open(p).read()`). */
const MAX_HOPS = 2;
const MAX_NAMES = 6;
const WINDOW = 60;
const MAX_TAILS = 4;

export type RunLink = {
  role: CodeRole;
  /** `path:line` of the call that runs it. */
  by: string;
  /**
   * Paths as the code names them, to tell the named file from others of the same base name: 'p/res.dat' is
   * relative to the package root or the runner's folder; '*\/res.dat' follows a part the code computes.
   */
  tails: string[];
  /** Folders of the files that run it (as stored, sdist root included). */
  folders: string[];
  /** Named only on sys.path: a file there is imported from only when it is a zip. */
  onPath: boolean;
  /** The runner changes the text before running it: parsing the file says nothing about what runs. */
  transformed: boolean;
};

/** What a package's code runs as Python, by base name. */
export type RunFiles = {
  /** Names from any string of a file that runs files: parsed if they are code, left alone if not. */
  named: Map<string, CodeRole>;
  /** Names that reach a runner's file argument: a file by that name that cannot be read as Python is a gap. */
  linked: Map<string, RunLink>;
};

export function emptyRunFiles(): RunFiles {
  return { named: new Map(), linked: new Map() };
}

/**
 * Whether the stored `path` is the file `link` names, not another of the same base name: a relative path is
 * looked up from the package root (`root`, the sdist's top folder, '' in a wheel) and from the runner's folder;
 * a path after a computed part ends the same way, under the runner's folder, outside tests and docs.
 */
export function linkNames(
  link: RunLink,
  path: string,
  root: string,
  exists: (path: string) => boolean,
): boolean {
  const under = (folder: string, rel: string) => (folder ? `${folder}/${rel}` : rel);
  for (const tail of link.tails) {
    if (tail.startsWith('*/')) {
      const rel = tail.slice(2);
      // Beside the runner (`join(dirname(__file__), rel)`) when such a file exists; else anywhere below it.
      if (link.folders.some((f) => path === under(f, rel))) return true;
      if (link.folders.some((f) => exists(under(f, rel)))) continue;
      if (!(path === rel || path.endsWith(`/${rel}`)) || inTestOrDocFolder(path)) continue;
      if (link.folders.some((f) => f === '' || f === root || path.startsWith(`${f}/`))) return true;
    } else if (path === under(root, tail) || link.folders.some((f) => path === under(f, tail))) return true;
  }
  return false;
}

/**
 * Adds to `into` the base names of files `file` may run as code, with the earliest role among its calls that
 * run files (the data file's top level runs then). `named` takes names with an extension from every string of
 * the file: the path usually reaches the call through a variable or os.path.join, and a name that is no Python
 * file does no harm. `linked` takes only names written in a runner's file argument or in the assignments it
 * reads, so that a file there which does not parse is not mistaken for prose. Linear: strings are indexed by
 * line once, and each runner follows at most MAX_HOPS * MAX_NAMES assignments.
 */
export function filesRunBy(file: ParsedFile, into: RunFiles): void {
  let role: CodeRole | undefined;
  let foldedByLine: Map<number, StringLiteral[]> | undefined;
  for (const c of file.calls) {
    if (c.role === 'test') continue;
    const runner = RUNNERS.get(c.name);
    if (!runner) continue;
    const onPath = ON_PATH.test(c.name);
    if (!onPath && (role === undefined || ROLE_RANK[c.role] > ROLE_RANK[role])) role = c.role;
    const argument = fileArgument(c, runner);
    if (argument === undefined) continue;
    foldedByLine ??= indexFolded(file);
    const by = `${file.path}:${c.line}`;
    const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
    const transformed = !onPath && TRANSFORMED.test(codeOf(argument));
    const link = (value: string) => {
      const path = value.trim().replace(/\\/g, '/');
      const name = BASE_NAME.exec(path)?.[1]?.trim();
      if (!name || /^\.+$/.test(name)) return;
      const tail = tailOf(path);
      const known = into.linked.get(name);
      if (known) {
        if (known.tails.length < MAX_TAILS && !known.tails.includes(tail)) known.tails.push(tail);
        if (known.folders.length < MAX_TAILS && !known.folders.includes(folder)) known.folders.push(folder);
        known.transformed ||= transformed;
        known.onPath &&= onPath;
        if (ROLE_RANK[c.role] > ROLE_RANK[known.role]) {
          known.role = c.role;
          known.by = by;
        }
        return;
      }
      into.linked.set(name, { role: c.role, by, tails: [tail], folders: [folder], transformed, onPath });
    };
    for (const { text, line } of argumentTexts(file, c, argument)) {
      for (const m of text.matchAll(QUOTED)) link(m[2]!);
      // Strings the collector folded in that text (`os.path.join(here, 'p', 'res.dat')`, `'res' + '.dat'`).
      for (const s of foldedByLine.get(line) ?? []) if (text.includes(s.raw.slice(0, 80))) link(s.value);
    }
  }
  if (role === undefined) return;
  for (const s of file.strings) {
    if (s.value.length > 300) continue;
    const name = FILE_NAME.exec(s.value)?.[1];
    if (!name) continue;
    const known = into.named.get(name);
    if (known === undefined || ROLE_RANK[role] > ROLE_RANK[known]) into.named.set(name, role);
  }
}

/** A path as the code names it: relative ('./p/res.dat' -> 'p/res.dat'), or after a computed part ('*\/res.dat'). */
function tailOf(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  const cut = parts.findLastIndex((p) => p.includes('*') || p === '..' || p.startsWith('~'));
  const rest = parts.slice(cut + 1).join('/');
  return cut >= 0 || path.startsWith('/') ? `*/${rest}` : rest;
}

// String literals blanked and newline normalisation dropped before TRANSFORMED reads a runner's argument.
const NEWLINES = /\.replace\(\s*(['"])\\r\\n\1\s*,\s*(['"])\\n\2\s*\)/g;
const LITERAL = /[rRbBuUfF]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g;
const codeOf = (text: string) => text.replace(NEWLINES, '').replace(LITERAL, '""');

function indexFolded(file: ParsedFile): Map<number, StringLiteral[]> {
  const out = new Map<number, StringLiteral[]>();
  for (const s of file.strings) {
    if (!s.folded || s.value.length > 300) continue;
    const list = out.get(s.line);
    if (list) list.push(s);
    else out.set(s.line, [s]);
  }
  return out;
}

/** The text of the runner's file argument, by position or keyword. */
function fileArgument(call: CallSite, runner: { position: number; keyword?: string }): string | undefined {
  let positional = 0;
  for (const arg of call.args) {
    const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(arg);
    if (keyword) {
      if (keyword[1] === runner.keyword) return keyword[2];
      continue;
    }
    if (positional++ === runner.position) return arg;
  }
  return undefined;
}

// A line that binds a name: `name = ...`, `with ... as name`, `for name in ...`, and the `) as name:` that ends a
// with statement split over lines (black's style).
const BINDING =
  /^\s*(?:([A-Za-z_]\w*)\s*=(?!=)|(?:async\s+)?with\b.*?\bas\s+([A-Za-z_]\w*)|(?:async\s+)?for\s+([A-Za-z_]\w*)\s+in\b|\)\s*as\s+([A-Za-z_]\w*)\s*:)/;
const WITH_START = /^\s*(?:async\s+)?with\b/;
/** What binding line `at` gives `name`: an assignment's right side, or the one with-item bound to it. */
function boundText(file: ParsedFile, name: string, at: number): string {
  let line = (file.lines[at - 1] ?? '').slice(0, 400);
  const eq = /^\s*[A-Za-z_]\w*\s*=(?!=)/.exec(line);
  if (eq) return line.slice(eq[0].length);
  // `with open(\n    path\n) as f:` over lines: the statement from its `with` line.
  if (!WITH_START.test(line))
    for (let i = at - 1; i >= Math.max(1, at - 10); i--)
      if (WITH_START.test(file.lines[i - 1] ?? '')) {
        line = file.lines
          .slice(i - 1, at)
          .join(' ')
          .slice(0, 800);
        break;
      }
  const as = new RegExp(`\\bas\\s+${name}\\b`).exec(line);
  if (!as) return line;
  // Back from `as name` to the comma or `with` that starts its item, outside parentheses.
  let depth = 0;
  let start = 0;
  for (let i = as.index - 1; i >= 0; i--) {
    const ch = line[i];
    if (ch === ')' || ch === ']') depth++;
    else if (ch === '(' || ch === '[') depth--;
    else if (ch === ',' && depth === 0) {
      start = i + 1;
      break;
    }
  }
  return line.slice(start, as.index);
}

/** The runner's file argument, and the lines that bind the names it reads (two hops, one function). */
function argumentTexts(file: ParsedFile, call: CallSite, argument: string): { text: string; line: number }[] {
  const texts = [{ text: argument, line: call.line }];
  const from = bodyStart(file, call, WINDOW);
  let frontier = [argument];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const text of frontier)
      for (const name of namesOutsideStrings(text, MAX_NAMES)) {
        const at = lastBindingLine(file, BINDING, name, from, call.line - 1);
        if (at === undefined) continue;
        const rhs = boundText(file, name, at);
        texts.push({ text: rhs, line: at });
        next.push(rhs);
      }
    frontier = next;
  }
  return texts;
}

/** The file role that gives a run file's top level `role` ('script': code that runs when something calls it). */
export function fileRoleRunAs(role: CodeRole): FileRole {
  return role === 'install' ? 'setup' : role === 'import' ? 'init' : 'script';
}
