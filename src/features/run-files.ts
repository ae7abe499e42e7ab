// Files that are not named as Python but that the package's own code runs as Python: `exec(open(p).read())`,
// `runpy.run_path(p)`, `SourceFileLoader(name, p).load_module()`, `spec_from_file_location(name, p)`. An
// implant moved into `res.dat` or `VERSION` would otherwise never be parsed, whatever its code does.
import type { CodeRole, FileRole, ParsedFile } from '../python/index.js';
import { assignedText, bodyStart, lastAssignment, namesOutsideStrings } from '../rules/context.js';

const RUNS_FILE =
  /^(exec|eval|compile|execfile|builtins\.(exec|eval|compile)|runpy\.run_path|importlib\.machinery\.(SourceFileLoader|SourcelessFileLoader)|importlib\.util\.spec_from_file_location|imp\.(load_source|load_module|load_compiled)|zipimport\.zipimporter)$/;
/** A file name with an extension, as a string in the code names it ('res.dat', '*\/VERSION.txt'). */
const FILE_NAME = /(?:^|[/\\*])([\w.-]{1,80}\.[A-Za-z0-9]{1,12})$/;
/** The last part of a path named where a file is run: any file name, with or without an extension. */
const BASE_NAME = /(?:^|[/\\*])([\w. -]{1,80})$/;
const QUOTED = /(['"])([^'"\n]{1,300})\1/g;
// A zip, egg or wheel put on sys.path: imports from it run code the gate never unpacked.
const SYS_PATH = /^sys\.path\.(insert|append)$/;
const ARCHIVE_NAME = /\.(zip|egg|whl|pyz)$/i;
export const ROLE_RANK: Record<CodeRole, number> = { install: 3, import: 2, runtime: 1, test: 0 };
/** Assignments followed back from a runner's arguments (`p = join(here, 'res.dat')`, `src = open(p).read()`). */
const MAX_HOPS = 2;
const MAX_NAMES = 6;
const WINDOW = 60;

/** What a package's code runs as Python, by base name. */
export type RunFiles = {
  /** Names from any string of a file that runs files: parsed if they are code, left alone if not. */
  named: Map<string, CodeRole>;
  /** Names that reach a runner's arguments: a file by that name that cannot be read as Python is a gap. */
  linked: Map<string, { role: CodeRole; by: string }>;
};

export function emptyRunFiles(): RunFiles {
  return { named: new Map(), linked: new Map() };
}

function keepEarliest<T>(into: Map<string, T>, name: string, value: T, roleOf: (v: T) => CodeRole): void {
  const known = into.get(name);
  if (known === undefined || ROLE_RANK[roleOf(value)] > ROLE_RANK[roleOf(known)]) into.set(name, value);
}
const linkRole = (v: { role: CodeRole }) => v.role;
const plainRole = (v: CodeRole) => v;

/**
 * Adds to `into` the base names of non-Python files `file` may run as code, with the earliest role among its
 * calls that run files (the data file's top level runs then). `named` takes names from every string of the
 * file: the path usually reaches the call through a variable or os.path.join, and a name that is no Python
 * file does no harm. `linked` takes only names written in a runner's arguments or in the assignments they
 * read, so that a file there which does not parse is not mistaken for prose. The caller skips names of
 * Python files, which it parses anyway.
 */
export function filesRunBy(file: ParsedFile, into: RunFiles): void {
  let role: CodeRole | undefined;
  for (const c of file.calls) {
    if (c.role === 'test') continue;
    const onPath = SYS_PATH.test(c.name);
    if (!onPath && !RUNS_FILE.test(c.name)) continue;
    if (!onPath && (role === undefined || ROLE_RANK[c.role] > ROLE_RANK[role])) role = c.role;
    const by = `${file.path}:${c.line}`;
    const link = (value: string) => {
      const name = BASE_NAME.exec(value.trim())?.[1];
      if (name && !/^\.+$/.test(name) && (!onPath || ARCHIVE_NAME.test(name)))
        keepEarliest(into.linked, name, { role: c.role, by }, linkRole);
    };
    for (const text of argumentTexts(file, c)) for (const m of text.matchAll(QUOTED)) link(m[2]!);
    // Strings the collector folded on the call's line (`os.path.join(here, 'p', 'res.dat')`).
    for (const s of file.strings) if (s.line === c.line && s.value.length <= 300) link(s.value);
  }
  if (role === undefined) return;
  for (const s of file.strings) {
    if (s.value.length > 300) continue;
    const name = FILE_NAME.exec(s.value)?.[1];
    if (name) keepEarliest(into.named, name, role, plainRole);
  }
}

/** The runner call's arguments, and the right sides of the assignments they read (two hops, one function). */
function argumentTexts(file: ParsedFile, call: ParsedFile['calls'][number]): string[] {
  const texts = [call.args.join(', ')];
  const from = bodyStart(file, call, WINDOW);
  let frontier = [texts[0]!];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const text of frontier)
      for (const name of namesOutsideStrings(text, MAX_NAMES)) {
        const at = lastAssignment(file, name, from, call.line - 1);
        if (at === undefined) continue;
        const rhs = assignedText(file, at, 400);
        texts.push(rhs);
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
