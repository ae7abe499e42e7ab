// Files that are not named as Python but that the package's own code runs as Python: `exec(open(p).read())`,
// `runpy.run_path(p)`, `SourceFileLoader(name, p).load_module()`, `spec_from_file_location(name, p)`. An
// implant moved into `res.dat` or `VERSION` would otherwise never be parsed, whatever its code does.
import type { CodeRole, FileRole, ParsedFile } from '../python/index.js';

const RUNS_FILE =
  /^(exec|eval|compile|execfile|builtins\.(exec|eval|compile)|runpy\.run_path|importlib\.machinery\.(SourceFileLoader|SourcelessFileLoader)|importlib\.util\.spec_from_file_location|imp\.(load_source|load_module))$/;
/** A file name with an extension, as a string in the code names it ('res.dat', '*\/VERSION.txt'). */
const FILE_NAME = /(?:^|[/\\*])([\w.-]{1,80}\.[A-Za-z0-9]{1,12})$/;
const RANK: Record<CodeRole, number> = { install: 3, import: 2, runtime: 1, test: 0 };

/**
 * Base names of non-Python files `file` may run as code, with the earliest role among its calls that run
 * files (the data file's top level runs then). Names come from every string of the file: the path usually
 * reaches the call through a variable or os.path.join, and a name that is no Python file does no harm.
 * The caller skips names of Python files, which it parses anyway.
 */
export function filesRunBy(file: ParsedFile, into: Map<string, CodeRole>): void {
  let role: CodeRole | undefined;
  for (const c of file.calls) {
    if (c.role === 'test' || !RUNS_FILE.test(c.name)) continue;
    if (role === undefined || RANK[c.role] > RANK[role]) role = c.role;
  }
  if (role === undefined) return;
  for (const s of file.strings) {
    if (s.value.length > 300) continue;
    const name = FILE_NAME.exec(s.value)?.[1];
    if (!name) continue;
    const known = into.get(name);
    if (known === undefined || RANK[role] > RANK[known]) into.set(name, role);
  }
}

/** The file role that gives a run file's top level `role` ('script': code that runs when something calls it). */
export function fileRoleRunAs(role: CodeRole): FileRole {
  return role === 'install' ? 'setup' : role === 'import' ? 'init' : 'script';
}
