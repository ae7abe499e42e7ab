import type { CallSite, ParsedFile } from '../python/index.js';
import { inSilentTry, resultDiscarded } from './blocks.js';
import {
  addressArguments,
  callHit,
  foldedArgument,
  IDENTIFIER_ARGUMENT as IDENTIFIER,
  NETWORK_CALL,
} from './context.js';
import type { Rule, RuleHit } from './types.js';

// The trojanized-SDK shape (fake aliyun/alibabacloud SDKs, fabrice): the client's own keys are posted to a
// fixed address inside `try: ... except: pass`, and the reply is never read. An honest call with credentials
// (a token exchange, a login) needs its answer and wants to know when it failed.
const SEND_METHOD = /(^|\.)(post|put|patch|request|urlopen|Request)$/;
const PAYLOAD_KEYWORD = /^\s*(json|data|params|body|files|fields)\s*=\s*([\s\S]*)$/;
const STRING_LITERAL = /^\s*[rRbBuUfF]{0,2}(["'])(https?:\/\/|[\w-]+(\.[\w-]+)+(\/|\1))/;
// Names of what a stealer wants; strong ones alone, weak ones (an id, a token) in pairs.
const STRONG_SECRET =
  /^_*(sk|secret|secret_?key|access_?key_?secret|client_?secret|password|passwd|pwd|private_?key|mnemonic|seed_?phrase)$/i;
// (`creds`/`credentials` are left out: they hold the value, as in `creds.token`, and would count it twice.)
const WEAK_SECRET =
  /^_*(ak|token|auth_?token|access_?token|api_?key|apikey|access_?key(_?id)?|key_?id|cookies?|session_?id)$/i;
// Sending a token to be destroyed (OAuth revocation, logout) is the one honest fire-and-forget with a secret.
const REVOKE = /revoke|logout|log_out|signout|sign_out|invalidate/i;
const QUOTED = /[rRbBuUfF]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/g;

function sendsTo(file: ParsedFile, call: CallSite): string | undefined {
  for (const arg of addressArguments(call)) {
    const url = constantUrl(file, call, arg);
    if (url) return url;
  }
  return undefined;
}

/** The address when it is fixed in the source: a literal, the argument's folded value, or a module constant. */
function constantUrl(file: ParsedFile, call: CallSite, arg: string): string | undefined {
  if (STRING_LITERAL.test(arg)) return arg.trim().replace(/^[rRbBuUfF]{0,2}["']|["']$/g, '');
  const name = IDENTIFIER.exec(arg)?.[1];
  if (name) return moduleConstant(file, name);
  // The argument's own folded value (a decoded or joined address).
  const folded = foldedArgument(file, call, arg);
  return folded !== undefined && /^https?:\/\//.test(folded) ? folded : undefined;
}

const constants = new WeakMap<ParsedFile, Map<string, string | undefined>>();

/** `NAME = "https://..."` anywhere in the file, looked up once per file and name. */
function moduleConstant(file: ParsedFile, name: string): string | undefined {
  const known = constants.get(file) ?? new Map<string, string | undefined>();
  constants.set(file, known);
  if (!known.has(name)) {
    const assigned = new RegExp(`^\\s*${name}\\s*=\\s*[rRbBuU]{0,2}["'](https?://[^"']+)`, 'm').exec(
      file.source,
    );
    known.set(name, assigned?.[1]);
  }
  return known.get(name);
}

/** The payload's source: the keyword argument, or the assignment of the name it passes within the function. */
function payloadText(file: ParsedFile, call: CallSite): string {
  const parts: string[] = [];
  for (const arg of call.args) {
    const value = PAYLOAD_KEYWORD.exec(arg)?.[2];
    if (value === undefined) continue;
    parts.push(value);
    const name = IDENTIFIER.exec(value)?.[1];
    if (name) parts.push(assignmentBefore(file, call, name));
  }
  return parts.join('\n');
}

// Lines searched for the payload's assignment: bounded, since a hostile file can hold thousands of sends.
const LOOKBACK = 200;

function assignmentBefore(file: ParsedFile, call: CallSite, name: string): string {
  const start = call.inDef !== undefined ? (file.defs[call.inDef]?.line ?? 1) : 1;
  const assign = new RegExp(`^\\s*${name}\\s*(\\[[^\\]]*\\])?\\s*=(?!=)`);
  for (let i = call.line - 2; i >= Math.max(start - 1, call.line - 1 - LOOKBACK); i--) {
    if (assign.test(file.lines[i] ?? '')) return file.lines.slice(i, call.line - 1).join('\n');
  }
  return '';
}

/** Secret-named values in the payload that come from the program (not constants written out in capitals). */
function secretsIn(payload: string): string[] {
  const code = payload.replace(QUOTED, ' ');
  const strong = new Set<string>();
  const weak = new Set<string>();
  for (const m of code.matchAll(/[A-Za-z_]\w*/g)) {
    const id = m[0];
    if (id === id.toUpperCase()) continue;
    if (STRONG_SECRET.test(id)) strong.add(id);
    else if (WEAK_SECRET.test(id)) weak.add(id);
  }
  if (strong.size > 0 || weak.size >= 2) return [...strong, ...weak];
  return [];
}

export const secretBeacon: Rule = {
  id: 'secret-beacon',
  category: 'credentials',
  severity: 'critical',
  description:
    'Sends credential-named values (a secret, a password, a key pair) to an address fixed in the source, inside a try whose errors are silently dropped, and throws the reply away.',
  rationale:
    "Trojanized SDKs post the user's cloud keys to their own server wherever the client is built; an honest call with credentials reads its answer and reports its failures.",
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const call of file.calls) {
      if (call.role === 'test' || !(NETWORK_CALL.test(call.name) || SEND_METHOD.test(call.name))) continue;
      if (!resultDiscarded(file.lines, call.line, call.text)) continue;
      const url = sendsTo(file, call);
      if (!url || REVOKE.test(url)) continue;
      const secrets = secretsIn(payloadText(file, call));
      if (secrets.length === 0 || !inSilentTry(file.lines, call.line)) continue;
      hits.push(
        callHit(
          call,
          'critical',
          `sends ${secrets.slice(0, 3).join(', ')} to ${url.slice(0, 80)} with ${call.name}, dropping the reply and every error`,
        ),
      );
    }
    return hits;
  },
};
