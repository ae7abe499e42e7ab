import type { CallSite, ParsedFile } from '../python/index.js';
import { inSilentTry, resultDiscarded } from './blocks.js';
import {
  addressArguments,
  callHit,
  foldedArgument,
  IDENTIFIER_ARGUMENT as IDENTIFIER,
  lastAssignment,
  NETWORK_CALL,
} from './context.js';
import type { Rule, RuleHit } from './types.js';

// Stealers keep their collection server out of the source (base64, hex, reversed or split strings) so that
// grep and URL scanners miss it, then hand the decoded address to a send, often through a helper's
// parameter. An honest client has no one to hide its API from: its address is written out somewhere.
const SEND_METHOD = /(^|\.)(get|post|put|patch|request|urlopen|Request|urlretrieve)$/;
const SENDS_DATA = /(^|\.)(post|put|patch)$/;
const PAYLOAD_KEYWORD = /^\s*(json|data|params|body|files|fields)\s*=/;
const ADDRESS = /^(?:https?|ftp|wss?):\/\/([^/:?#\s]+)/i;
// Parameters read from one `def` line and the few lines its signature may wrap onto.
const SIGNATURE_LINES = 6;

/** The host of an address decoded or assembled from pieces, when no literal in the file spells it. */
function hiddenHost(file: ParsedFile, value: string | undefined): string | undefined {
  const host = value === undefined ? undefined : ADDRESS.exec(value)?.[1];
  if (!host || !/[.]/.test(host) || /^(localhost|127\.|0\.0\.0\.0)/i.test(host)) return undefined;
  // An assembled subdomain (`bucket + '.s3.amazonaws.com'`) hides nothing: the domain is still written out.
  const domain = /^\d+(\.\d+){3}$/.test(host) ? host : host.split('.').slice(-2).join('.');
  return spelledInSource(file, domain) ? undefined : host;
}

const spelled = new WeakMap<ParsedFile, { lower: string; known: Map<string, boolean> }>();
// Distinct domains looked up per file, each a pass over its text. Past this many a domain counts as hidden:
// a file full of decoded addresses is the shape this rule is for.
const MAX_DOMAINS = 64;

/** Whether the file's text spells `domain` anywhere, asked once per file and domain. */
function spelledInSource(file: ParsedFile, domain: string): boolean {
  let text = spelled.get(file);
  if (!text) {
    text = { lower: file.source.toLowerCase(), known: new Map() };
    spelled.set(file, text);
  }
  const key = domain.toLowerCase();
  let found = text.known.get(key);
  if (found === undefined) {
    if (text.known.size >= MAX_DOMAINS) return false;
    found = text.lower.includes(key);
    text.known.set(key, found);
  }
  return found;
}

// A signature longer than this is not read (no honest one comes close).
const SIGNATURE_CHARS = 4000;
const parameterCache = new WeakMap<ParsedFile, Map<number, string[]>>();

/** The parameter names of the function at `defIndex`, from its `def` line, read once per function. */
function parametersOf(file: ParsedFile, defIndex: number): string[] {
  let cache = parameterCache.get(file);
  if (!cache) {
    cache = new Map();
    parameterCache.set(file, cache);
  }
  let params = cache.get(defIndex);
  if (params === undefined) {
    params = readParameters(file, defIndex);
    cache.set(defIndex, params);
  }
  return params;
}

function readParameters(file: ParsedFile, defIndex: number): string[] {
  const def = file.defs[defIndex];
  if (def?.kind !== 'function') return [];
  const head = file.lines
    .slice(def.line - 1, def.line - 1 + SIGNATURE_LINES)
    .join(' ')
    .slice(0, SIGNATURE_CHARS);
  const inside = /\bdef\s+\w+\s*\(([^)]*)\)/.exec(head)?.[1];
  if (inside === undefined) return [];
  return inside
    .split(',')
    .map((p) => p.trim().replace(/^\*+/, '').split(/[:=]/)[0]?.trim() ?? '')
    .filter((p) => /^[A-Za-z_]\w*$/.test(p));
}

// Callers read per helper: a few are enough to find the address handed in.
const MAX_CALLERS = 64;
const callerIndex = new WeakMap<ParsedFile, Map<string, CallSite[]>>();

/** Calls of the function at `defIndex` in this file (`name(...)`, `self.name(...)`), indexed once per file. */
function callersOf(file: ParsedFile, defIndex: number): CallSite[] {
  const name = file.defs[defIndex]?.name;
  if (!name) return [];
  let index = callerIndex.get(file);
  if (!index) {
    index = new Map();
    for (const c of file.calls) {
      const last = c.name.slice(c.name.lastIndexOf('.') + 1);
      const list = index.get(last) ?? [];
      if (list.length < MAX_CALLERS) list.push(c);
      index.set(last, list);
    }
    callerIndex.set(file, index);
  }
  return index.get(name) ?? [];
}

const foldedByLine = new WeakMap<ParsedFile, Map<number, string[]>>();

/** The folded values on each line (an assignment's right-hand side among them). */
function foldedOn(file: ParsedFile, line: number): string[] {
  let index = foldedByLine.get(file);
  if (!index) {
    index = new Map();
    for (const s of file.strings) {
      if (!s.folded || !ADDRESS.test(s.value)) continue;
      const values = index.get(s.line);
      if (values) values.push(s.value);
      else index.set(s.line, [s.value]);
    }
    foldedByLine.set(file, index);
  }
  return index.get(line) ?? [];
}

// Lines searched upward for a local's assignment: bounded, since a hostile file can hold thousands of sends.
const LOOKBACK = 200;

/** The address a local name was last given within the function, when that was folded from pieces. */
function localValue(file: ParsedFile, call: CallSite, name: string): string | undefined {
  const start = call.inDef !== undefined ? (file.defs[call.inDef]?.line ?? 1) : 1;
  const line = lastAssignment(file, name, Math.max(start, call.line - LOOKBACK), call.line - 1);
  return line === undefined ? undefined : foldedOn(file, line)[0];
}

// Arguments of a caller read for the one handed in: no honest helper takes more.
const MAX_ARGUMENTS = 32;
const helperCache = new WeakMap<ParsedFile, Map<string, string | undefined>>();

/** The hidden host the callers of a helper pass in for its parameter `name`, worked out once per helper. */
function passedIn(file: ParsedFile, defIndex: number, name: string): string | undefined {
  let cache = helperCache.get(file);
  if (!cache) {
    cache = new Map();
    helperCache.set(file, cache);
  }
  const key = `${defIndex}\0${name}`;
  if (cache.has(key)) return cache.get(key);
  let host: string | undefined;
  const position = parametersOf(file, defIndex)
    .filter((p) => p !== 'self' && p !== 'cls')
    .indexOf(name);
  if (position >= 0) {
    const byKeyword = new RegExp(`^\\s*${name}\\s*=(?!=)`);
    for (const caller of callersOf(file, defIndex)) {
      const args = caller.args.slice(0, MAX_ARGUMENTS);
      const keyword = args.find((a) => byKeyword.test(a));
      const passed = keyword ?? args.filter((a) => !/^\s*\w+\s*=(?!=)/.test(a))[position];
      if (passed === undefined) continue;
      host = hiddenHost(file, foldedArgument(file, caller, passed));
      if (host) break;
    }
  }
  cache.set(key, host);
  return host;
}

/** The hidden host an address argument carries: folded where it is, or passed in by a caller in the file. */
function hiddenAddress(file: ParsedFile, call: CallSite, arg: string): string | undefined {
  const here = hiddenHost(file, foldedArgument(file, call, arg));
  if (here) return here;
  const name = IDENTIFIER.exec(arg)?.[1];
  if (!name) return undefined;
  const local = hiddenHost(file, localValue(file, call, name));
  if (local) return local;
  return call.inDef === undefined ? undefined : passedIn(file, call.inDef, name);
}

export const hiddenEndpoint: Rule = {
  id: 'hidden-endpoint',
  category: 'network',
  severity: 'critical',
  description:
    'Sends a request to an address that no string in the file spells out: decoded (base64, hex, zlib), reversed or assembled from pieces, passed directly or through a helper function. Critical when it posts data inside a try whose errors are dropped and throws the reply away.',
  rationale:
    'Stealers hide their collection server from readers and URL scanners; an honest client has no reason to hide where it connects.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const call of file.calls) {
      if (call.role === 'test' || !(NETWORK_CALL.test(call.name) || SEND_METHOD.test(call.name))) continue;
      for (const arg of addressArguments(call)) {
        const host = hiddenAddress(file, call, arg);
        if (!host) continue;
        // Data handed to a hidden address with the answer and every error ignored is a drop, wherever it runs.
        const sends = SENDS_DATA.test(call.name) || call.args.some((a) => PAYLOAD_KEYWORD.test(a));
        const blind =
          sends && resultDiscarded(file.lines, call.line, call.text) && inSilentTry(file.lines, call.line);
        const what = blind ? 'sends data to' : 'connects to';
        const tail = blind ? ', dropping the reply and every error' : '';
        hits.push(
          callHit(
            call,
            blind ? 'critical' : 'high',
            `${what} ${host}, an address hidden in the source, with ${call.name}${tail}`,
          ),
        );
        break;
      }
    }
    return hits;
  },
};
