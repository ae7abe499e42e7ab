// Shared pieces of the rules: call-name patterns, severity by where code runs, a factory for call rules.
import type { CallSite, CodeRole, ParsedFile, StringLiteral } from '../python/index.js';
import { type EvidenceCategory, SEVERITY_RANK, type Severity } from '../types.js';
import type { Rule, RuleHit } from './types.js';

export const PROCESS_CALL =
  /^(subprocess\.(Popen|call|check_call|check_output|run|getoutput|getstatusoutput)|ctypes\.libc\.system|os\.(system|popen[234]?|exec[lv]p?e?|spawn[lv]p?e?|startfile|posix_spawnp?)|pty\.spawn|commands\.(getoutput|getstatusoutput)|asyncio\.create_subprocess_(exec|shell)|popen2\.popen[234])$/;

export const NETWORK_CALL =
  /^(socket\.(socket|create_connection|gethostbyname|gethostbyname_ex|getaddrinfo)|urllib\.request\.(urlopen|urlretrieve|Request|build_opener)|urllib2\.(urlopen|Request|build_opener)|urllib\.(urlopen|urlretrieve)|requests\.(get|post|put|patch|delete|head|request|Session|session)|http\.client\.(HTTPConnection|HTTPSConnection)|httplib\.(HTTPConnection|HTTPSConnection)|httpx\.(get|post|put|request|stream|Client|AsyncClient)|aiohttp\.(ClientSession|request)|urllib3\.(PoolManager|request)|ftplib\.(FTP|FTP_TLS)|smtplib\.(SMTP|SMTP_SSL)|telnetlib\.Telnet|dns\.resolver\.(resolve|query|Resolver)|websocket\.create_connection|websockets\.connect|pycurl\.Curl|wget\.download)$/;

export const DYNAMIC_EXEC = /^(exec|eval|builtins\.exec|builtins\.eval|__builtin__\.eval|execfile)$/;

export const DECODE_CALL =
  /(^|\.)(b64decode|b32decode|b16decode|a85decode|b85decode|decodebytes|decodestring|urlsafe_b64decode|decompress|fromhex|unhexlify|a2b_base64|a2b_hex)$|^(marshal\.loads|codecs\.decode|zlib\.decompress)$|^codecs\.decode$|^<expr>\.decode$/;

/**
 * The test/docs check of exec-alias and obfuscated-identifiers: a tests/ or docs/ folder (lower case) anywhere
 * in the path. Narrower than archive/names.ts's inTestOrDocFolder (no examples/, bench/, testing/, upper case
 * or backslashes), and kept so: a hit's role sets its severity, severities are model features, and the model
 * is trained on these values. obfuscator-marker and long-line take the role of a call on the line instead.
 */
export function inTestsOrDocsPath(path: string): boolean {
  return /(^|\/)(tests?|docs?)\//.test(path);
}

export function severityFor(role: CodeRole, table: Record<CodeRole, Severity>): Severity {
  return table[role];
}

export function callHit(call: CallSite, severity: Severity, message: string): RuleHit {
  // A name read through getattr / __import__ / folding: the message shows what the snippet spells.
  const resolved = call.resolved ? `${message} (resolved: ${call.name})` : message;
  const shown = call.via ? `${resolved}; ${call.via}` : resolved;
  return { line: call.line, snippet: call.text, role: call.role, severity, message: shown };
}

// How much of an argument's source text keys its folded value: an argument is cut to 200 characters with
// its keyword (`url=…`), the folded node without it, so only a prefix is the same on both sides.
const FOLD_KEY = 120;
const foldedIndex = new WeakMap<ParsedFile, Map<string, string>>();

/**
 * What the parser folded an argument of `call` to (`b64d("Y3Vy…")`, `url=base64.b64decode('aHR0…')`), found
 * by the argument's source text (its keyword left out) on the lines the call spans. One index per file, so a
 * file of thousands of calls on one line stays linear.
 */
export function foldedArgument(file: ParsedFile, call: CallSite, source: string): string | undefined {
  let index = foldedIndex.get(file);
  if (!index) {
    index = new Map();
    for (const s of file.strings) {
      const key = `${s.line}\0${s.raw.slice(0, FOLD_KEY)}`;
      if (s.folded && !index.has(key)) index.set(key, s.value);
    }
    foldedIndex.set(file, index);
  }
  const text = source
    .trim()
    .replace(/^[A-Za-z_]\w*\s*=(?!=)\s*/, '')
    .slice(0, FOLD_KEY);
  // An argument starts on the call's first line or one of the next, at most one per argument.
  const last = call.line + call.text.split('\n').length - 1 + call.args.length;
  for (let line = call.line; line <= last; line++) {
    const value = index.get(`${line}\0${text}`);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** An argument that is one bare name. */
export const IDENTIFIER_ARGUMENT = /^\s*([A-Za-z_]\w*)\s*$/;
const URL_KEYWORD = /^\s*url\s*=\s*([\s\S]*)$/;

/** The arguments that carry a request's address: `url=`, else the first two. */
export function addressArguments(call: CallSite): string[] {
  const byKeyword = call.args.map((a) => URL_KEYWORD.exec(a)?.[1]).find((a) => a !== undefined);
  return byKeyword !== undefined ? [byKeyword] : call.args.slice(0, 2);
}

// String literals (prefixes and escapes included) removed before names are read from source text.
const STRING_LITERAL = /[rRbBuUfF]{0,2}("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g;
const NAME = /\b([A-Za-z_]\w*)\b/g;

const INTERPOLATION = /\{([^{}'"]{1,200})\}/g;

/**
 * The first `max` names in `text` outside string literals: words in a URL or a message are not variables,
 * but the code an f-string interpolates (`f"{r.text}"`) is code.
 */
export function namesOutsideStrings(text: string, max: number): string[] {
  const names = new Set<string>();
  const code = text.replace(STRING_LITERAL, (literal) => {
    if (!/^[rRbBuU]?[fF]/.test(literal)) return '""';
    let inner = '';
    for (const m of literal.matchAll(INTERPOLATION)) inner += ` ${m[1]}`;
    return `""${inner}`;
  });
  for (const m of code.matchAll(NAME)) {
    names.add(m[1]!);
    if (names.size >= max) break;
  }
  return [...names];
}

/** The first line a look-up back from `call` may reach: its own function's first line, and at most `window` lines up. */
export function bodyStart(file: ParsedFile, call: CallSite, window: number): number {
  const def = call.inDef !== undefined ? file.defs[call.inDef] : undefined;
  return Math.max(1, call.line - window, def?.line ?? 1);
}

/** The first `max` characters of what line `at` (1-based, an assignment lastAssignment found) assigns. */
export function assignedText(file: ParsedFile, at: number, max: number): string {
  const line = file.lines[at - 1] ?? '';
  const start = line.indexOf('=') + 1;
  return line.slice(start, start + max);
}

const ASSIGNMENT = /^\s*([A-Za-z_]\w*)\s*=(?!=)/;
const bindingIndexes = new WeakMap<ParsedFile, Map<RegExp, Map<string, number[]>>>();

/**
 * The last line (1-based) in [from, to] that `binder` says binds `name` (its first matching group is the name),
 * found in an index of every line built once per file and binder: a hostile file of thousands of look-ups over
 * long lines stays linear.
 */
export function lastBindingLine(
  file: ParsedFile,
  binder: RegExp,
  name: string,
  from: number,
  to: number,
): number | undefined {
  let byBinder = bindingIndexes.get(file);
  if (!byBinder) {
    byBinder = new Map();
    bindingIndexes.set(file, byBinder);
  }
  let index = byBinder.get(binder);
  if (!index) {
    const built = new Map<string, number[]>();
    file.lines.forEach((line, i) => {
      const m = binder.exec(line);
      const bound = m?.slice(1).find((g) => g !== undefined);
      if (bound === undefined) return;
      const lines = built.get(bound);
      if (lines) lines.push(i + 1);
      else built.set(bound, [i + 1]);
    });
    byBinder.set(binder, built);
    index = built;
  }
  const lines = index.get(name);
  if (!lines) return undefined;
  // The last binding at or before `to` (lines ascend), if it is not before `from`.
  let low = 0;
  let high = lines.length - 1;
  let found: number | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const line = lines[mid] as number;
    if (line <= to) {
      found = line;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found !== undefined && found >= from ? found : undefined;
}

/** The last line (1-based) in [from, to] that assigns `name` as a whole statement (`name = ...`). */
export function lastAssignment(file: ParsedFile, name: string, from: number, to: number): number | undefined {
  return lastBindingLine(file, ASSIGNMENT, name, from, to);
}

/** A string rule's message, with the folded value when the string was built from pieces. */
export function stringMessage(s: StringLiteral, label: string): string {
  const where = s.via ? `; ${s.via}` : '';
  if (!s.folded) return `${label}${where}`;
  const value = s.value.length > 80 ? `${s.value.slice(0, 80)}...` : s.value;
  return `${label} (resolved: ${JSON.stringify(value)})${where}`;
}

/**
 * `patterns.find(([, p]) => p.test(value))`, answered at once when none can match: one test of the
 * patterns' union per flag set comes first, since most strings match no pattern and one pass over a string
 * costs less than one per pattern. A union of patterns with the same flags matches exactly when one of them
 * does; patterns that cannot be joined that way (backreferences, named groups, stateful g/y flags) are
 * tested one by one as before.
 */
export function firstMatching<T extends readonly [string, RegExp]>(
  patterns: readonly T[],
): (value: string) => T | undefined {
  const byFlags = new Map<string, string[]>();
  let joinable = true;
  for (const [, p] of patterns) {
    if (/[gy]/.test(p.flags) || /\\[1-9]|\\k<|\(\?<[A-Za-z_$]/.test(p.source)) joinable = false;
    byFlags.set(p.flags, [...(byFlags.get(p.flags) ?? []), `(?:${p.source})`]);
  }
  const unions = joinable
    ? [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags))
    : undefined;
  return (value) =>
    unions && !unions.some((u) => u.test(value)) ? undefined : patterns.find(([, p]) => p.test(value));
}

/** A rule with a severity per role of the code it fires in. */
interface RoleTableSpec {
  id: string;
  category: EvidenceCategory;
  description: string;
  rationale: string;
  severities: Record<CodeRole, Severity>;
}

/** The rule with its check; its own severity is the worst in its table. */
function roleTableRule(spec: RoleTableSpec, check: Rule['check']): Rule {
  const max = Object.values(spec.severities).reduce(
    (a, b) => (SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a),
    'low' as Severity,
  );
  return {
    id: spec.id,
    category: spec.category,
    severity: max,
    description: spec.description,
    rationale: spec.rationale,
    check,
  };
}

interface CallRuleSpec extends RoleTableSpec {
  pattern: RegExp;
  roles: readonly CodeRole[];
  message: (call: CallSite) => string;
  /** Calls of the pattern that read as something else, kept at low severity (a lookup, not a capability). */
  lowered?: (call: CallSite) => boolean;
}

/**
 * Where a call rule fires, and how severely, when its install-time case is a rule of its own (network-access
 * beside install-time-network, process-execution beside install-time-process): import time weighs more than
 * run time and tests. install stays in the table: it sets the rule's own severity.
 */
export const AFTER_INSTALL = {
  roles: ['import', 'runtime', 'test'],
  severities: { install: 'high', import: 'medium', runtime: 'low', test: 'low' },
} as const satisfies Pick<CallRuleSpec, 'roles' | 'severities'>;

/** A rule that fires on every call whose resolved name matches, in the given roles. */
export function callRule(spec: CallRuleSpec): Rule {
  return roleTableRule(spec, (file: ParsedFile) =>
    file.calls
      .filter((c) => spec.roles.includes(c.role) && spec.pattern.test(c.name))
      .map((c) =>
        callHit(c, spec.lowered?.(c) ? 'low' : severityFor(c.role, spec.severities), spec.message(c)),
      ),
  );
}

/** A rule that fires on string literals matching any of the named patterns. */
export function stringRule(spec: RoleTableSpec & { patterns: readonly [string, RegExp][] }): Rule {
  const find = firstMatching(spec.patterns);
  return roleTableRule(spec, (file) => {
    const hits: RuleHit[] = [];
    for (const s of file.strings) {
      const found = find(s.value);
      if (found)
        hits.push({
          line: s.line,
          role: s.role,
          severity: severityFor(s.role, spec.severities),
          message: stringMessage(s, found[0]),
        });
    }
    return hits;
  });
}

const callRoles = new WeakMap<ParsedFile, Map<number, CodeRole>>();

/**
 * The role of the first call on a line (the file's calls are in document order), from a map built once per
 * file: line rules look it up per hit instead of walking the calls.
 */
export function roleOfLine(file: ParsedFile, line: number): CodeRole | undefined {
  let roles = callRoles.get(file);
  if (!roles) {
    roles = new Map();
    for (const c of file.calls) if (!roles.has(c.line)) roles.set(c.line, c.role);
    callRoles.set(file, roles);
  }
  return roles.get(line);
}
