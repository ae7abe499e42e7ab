import type { CallSite, ParsedFile } from '../python/index.js';
import { callHit, NETWORK_CALL, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

// A program the package carries (or writes from bytes it carries) made executable and started, with no
// download: a dropper that download-and-execute does not see.
const WRITE_BINARY = /['"]wb\+?['"]|mode\s*=\s*['"]wb/;
const MAKE_EXECUTABLE = /^os\.chmod$/;
const EXEC_BITS = /0o?[1-7][0-7]{2}\b|S_IX(USR|GRP|OTH)|S_IEXEC|\b(493|511|365)\b/;
const START = /^(os\.startfile|os\.exec[lv]p?e?|os\.spawn[lv]p?e?)$/;
// A program name that says what it is; a chmod +x says it too. Building a man page with `ronn` in setup.py
// writes files and runs a tool, and is neither.
const BUNDLED = /\.(exe|dll|scr|elf|com|bat|ps1|vbs)['"]/i;

// A script the package writes out from code it carries (open('x.py', 'w').write(CODE)) and then starts by
// that name: a reverse shell kept in a string of setup.py, run with python3 at install time.
const SCRIPT_WRITE =
  /^\s*[rbuf]*(['"])([^'"/\\]*\.(py|pyw|vbs|js|bat|cmd|ps1|sh))\1\s*,\s*(mode\s*=\s*)?[rbuf]*['"](w|a)t?\+?['"]/i;

// open(PATH, 'w'/'wb'/'a'/...): a file written, in any mode that writes.
const WRITE_MODE = /^(mode\s*=\s*)?[rbuf]*['"]([wax][bt]?|[bt][wax])\+?['"]$/;

/** The same expression written the same way: `a5` / `d + "/p" + ".sh"`, whitespace aside. */
const samePath = (text: string) => text.replace(/\s+/g, '');

const INTERPRETER =
  /^[rbuf]*['"]?(python[\d.]*w?(\.exe)?|sys\.executable|sh|bash|cmd(\.exe)?|wscript|cscript|powershell)['"]?$/i;

/**
 * The program a start call runs: its first argument, or the first element of a list or tuple there, or the
 * script after an interpreter (`['python', path]`).
 */
function programOf(args: readonly string[]): string {
  const first = (args[0] ?? '').trim();
  const list = /^[[(]\s*([^\])]+)/.exec(first);
  if (!list) return samePath(first);
  const items = list[1]!.split(',').map((x) => x.trim());
  return samePath(INTERPRETER.test(items[0] ?? '') && items[1] ? items[1] : (items[0] ?? ''));
}

/** Adds `value` to the set kept for a function body (inDef; -1 for module level). */
function addTo(map: Map<number, Set<string>>, body: number | undefined, value: string): void {
  const set = map.get(body ?? -1) ?? new Set<string>();
  set.add(value);
  map.set(body ?? -1, set);
}

const OPENER = /^(open|io\.open|codecs\.open)$/;

/**
 * What each function body opens for writing: every path as written (`open(P, 'w')`, `open(P, mode='wb')`;
 * expressions too, since `a5 = "C:\\Users\\Public\\p.v" + "bs"` hides what a literal shows), and the names
 * of scripts written in text mode (`open('helper.py', 'w')`).
 */
function writtenFiles(file: ParsedFile): {
  paths: Map<number, Set<string>>;
  scripts: Map<number, Set<string>>;
} {
  const paths = new Map<number, Set<string>>();
  const scripts = new Map<number, Set<string>>();
  for (const c of file.calls) {
    if (c.role === 'test' || !OPENER.test(c.name)) continue;
    const path = c.args[0];
    if (path && !/^\s*(mode\s*=|\*)/.test(path) && c.args.slice(1).some((a) => WRITE_MODE.test(a.trim())))
      addTo(paths, c.inDef, samePath(path));
    const script = SCRIPT_WRITE.exec(c.args.join(','));
    if (script) addTo(scripts, c.inDef, script[2]!);
  }
  return { paths, scripts };
}

// A temporary file made to be written: NamedTemporaryFile's object (its .name is the path), mkstemp's path.
const TEMP_FILE = /^tempfile\.(NamedTemporaryFile|mkstemp|mktemp)$/;
// What runs a script named after it: an interpreter, `start`, the interpreter running this code.
const RUNNER =
  /(python[\d.]*w?(\.exe)?|pythonw|sh|bash|start|cmd(\.exe)?\s+\/c|wscript|cscript|powershell|sys\.executable|executable\b[^}]*\})\W*$/i;

/**
 * Paths of temporary files a body creates, as the code spells them: `t = NamedTemporaryFile(...)` -> `t.name`,
 * `with NamedTemporaryFile() as t` -> `t.name`, `fd, p = mkstemp()` / `p = mktemp()` -> `p`. Read from the
 * call's source line (the parser keeps calls, not their targets).
 */
function tempPaths(file: ParsedFile): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const c of file.calls) {
    if (c.role === 'test' || !TEMP_FILE.test(c.name)) continue;
    // The target stands at the start of the line (`t = …`, `with … as t:`): a long line is read no further,
    // so a line of thousands of calls costs each of them the same.
    const line = (file.lines[c.line - 1] ?? '').slice(0, 400);
    const named = c.name.endsWith('NamedTemporaryFile');
    const target =
      /\bas\s+([A-Za-z_]\w*)\s*:/.exec(line)?.[1] ??
      /^\s*(?:[A-Za-z_]\w*\s*,\s*)?([A-Za-z_]\w*)\s*=/.exec(line)?.[1];
    if (target) addTo(out, c.inDef, named ? `${target}.name` : target);
  }
  return out;
}

/** Whether a command's text runs `path` as a script: a runner word or the interpreter just before it. */
function runsAsScript(command: string, path: string): boolean {
  for (let at = command.indexOf(path); at >= 0; at = command.indexOf(path, at + 1)) {
    const after = command[at + path.length] ?? '';
    if (/\w/.test(after)) continue;
    const before = command.slice(Math.max(0, at - 80), at).replace(/[{+\s'"`,[(]*$/, '');
    if (before === '' || RUNNER.test(before)) return true;
  }
  return false;
}

export const binaryDropper: Rule = {
  id: 'binary-dropper',
  category: 'process',
  severity: 'high',
  description:
    'Writes a binary file (or one the package carries) and makes it executable or starts it in the same function, without a download; writes a script out and starts it by name; or starts the very file it wrote.',
  rationale:
    'Droppers ship their payload inside the package, write it to a temporary folder, chmod +x it and start it; honest packages call their bundled tools without writing them out first.',
  check: (file: ParsedFile) => {
    // Only a call that starts a program can be a hit: most files have none, and need no look at the rest.
    const starts = file.calls.filter(
      (c) => c.role !== 'test' && (PROCESS_CALL.test(c.name) || START.test(c.name)),
    );
    if (starts.length === 0) return [];
    const bodies = new Map<number, { writes: boolean; chmod: boolean; bundled: boolean; fetch: boolean }>();
    const at = (k: number) => {
      let b = bodies.get(k);
      if (!b) {
        b = { writes: false, chmod: false, bundled: false, fetch: false };
        bodies.set(k, b);
      }
      return b;
    };
    for (const c of file.calls) {
      if (c.role === 'test') continue;
      const b = at(c.inDef ?? -1);
      const args = c.args.join(',');
      if ((c.name === 'open' || c.name.endsWith('.open')) && WRITE_BINARY.test(args)) b.writes = true;
      if (/<expr>\.write_bytes$|^shutil\.(copy|copy2|copyfile)$/.test(c.name)) b.writes = true;
      if (MAKE_EXECUTABLE.test(c.name) && EXEC_BITS.test(args)) b.chmod = true;
      if (BUNDLED.test(c.text)) b.bundled = true;
      if (NETWORK_CALL.test(c.name)) b.fetch = true;
    }
    const hits: RuleHit[] = [];
    const drop = (c: CallSite, what: string) =>
      hits.push(
        callHit(
          c,
          c.role === 'install' || c.role === 'import' ? 'high' : 'medium',
          `starts ${what} (${c.name})`,
        ),
      );
    const { paths, scripts } = writtenFiles(file);
    const temps = tempPaths(file);
    for (const c of starts) {
      const body = c.inDef ?? -1;
      // A temporary file written and then run by an interpreter or `start` (discord-scrapper's setup.py:
      // NamedTemporaryFile, a fetch-and-exec line written in, `start pythonw <tmp.name>`).
      const temp = [...(temps.get(body) ?? [])].find((t) => runsAsScript(c.args[0] ?? '', t));
      // The very file the body wrote is the program it starts: whatever was written (fetched, decoded or
      // carried), running it is the dropper's step. Honest code runs the tools it writes configs for.
      const program = programOf(c.args);
      const script = [...(scripts.get(body) ?? [])].find((name) => c.text.includes(name));
      const b = bodies.get(body);
      if (temp) drop(c, `${temp}, a temporary file made in the same function`);
      else if (program && paths.get(body)?.has(program))
        drop(c, `${c.args[0]!.trim().slice(0, 60)}, a file written in the same function`);
      else if (script) drop(c, `${script}, a script written out in the same function`);
      else if (b && !b.fetch && b.writes && (b.chmod || b.bundled))
        drop(c, 'a program written out in the same function');
    }
    return hits;
  },
};
