import type { CallSite, ParsedFile } from '../python/index.js';
import {
  assignedText,
  bodyStart,
  callHit,
  lastAssignment,
  NETWORK_CALL,
  namesOutsideStrings,
} from './context.js';
import type { Rule, RuleHit } from './types.js';

// What a stealer gathers: the whole environment, secret-named variables, who and where the victim is.
const WHOLE_ENV =
  /\bos\.environ\b(?!\s*(\.get\s*\(|\[))|\bdict\s*\(\s*os\.environ\s*\)|\bos\.environ\.(copy|items)\s*\(/;
const SECRET_NAME =
  /TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|AWS_|CREDENTIAL|PRIVATE_?KEY|NPM_|PYPI|GITHUB_|GH_|CI_JOB|SSH_/i;
const IDENTITY =
  /^(getpass\.getuser|os\.getlogin|socket\.gethostname|platform\.node|platform\.uname|os\.uname|uuid\.getnode|os\.getcwd)$/;
const ENV_READ = /^(os\.getenv|os\.environ\.get)$/;
// A switch the user turns telemetry off with (DO_NOT_TRACK, X_NO_TELEMETRY, X_DISABLE_ANALYTICS, ...).
const OPT_OUT = /DO_NOT_TRACK|TELEMETRY|ANALYTICS|USAGE_STATS|NO_TRACK/i;
/** A line that acts on what it reads: `if os.getenv('DO_NOT_TRACK'):`, `return` or `raise` on it. */
const GUARD = /^\s*(if|elif)\b|\breturn\b|\braise\b/;
const INLINE_IDENTITY = /getuser|gethostname|getlogin|platform\.node/;
// Channels out: HTTP and sockets (NETWORK_CALL) plus raw socket sends; a DNS lookup only of a built name.
const SEND = /^(<expr>\.(send|sendall|sendto)|socket\.socket)$/;
const DNS = /^(socket\.(gethostbyname|gethostbyname_ex|getaddrinfo)|dns\.resolver\.(resolve|query))$/;

// A cloud SDK's resolved credentials (boto3's Session().get_credentials()): the keys themselves.
const CLOUD_CREDENTIALS = /(^|\.)get_credentials$|^<expr>\.get_frozen_credentials$/;
// Request signing (SigV4): the keys sign the request and only the signature leaves, unless the send names them.
const SIGNS = /(^|\.)(SigV4Auth|SigV4QueryAuth|S3SigV4Auth|AWS4Auth|add_auth)$/;
const KEY_FIELD = /\.(access_key|secret_key|token)\b/;

/** Why a call gathers something a stealer wants, or undefined. */
function gathers(call: CallSite): string | undefined {
  if (IDENTITY.test(call.name)) return `${call.name}()`;
  if (CLOUD_CREDENTIALS.test(call.name)) return `secret cloud credentials (${call.name})`;
  if (ENV_READ.test(call.name) && SECRET_NAME.test(call.args[0] ?? '')) return `secret ${call.args[0]}`;
  if (call.args.some((a) => WHOLE_ENV.test(a))) return 'the whole environment';
  return undefined;
}

/** Names of one send's arguments looked up, and how far above it an assignment may stand. */
const MAX_NAMES = 8;
const WINDOW = 200;
/** A right-hand side that is the environment itself, not one that only tests it (`"CI" in os.environ`). */
const IS_ENVIRONMENT =
  /^\s*(os\.environ|dict\(\s*os\.environ\s*\)|os\.environ\.copy\(\s*\)|\{\s*\*\*os\.environ\s*\})\s*(#.*)?$/;

/** `env = os.environ` (or a copy) above in the same function, and `post(url, json=dict(env))`: the environment by name. */
function sendsEnvironmentByName(file: ParsedFile, sink: CallSite): boolean {
  const from = bodyStart(file, sink, WINDOW);
  for (const name of namesOutsideStrings(sink.args.join(',').slice(0, 400), MAX_NAMES)) {
    const at = lastAssignment(file, name, from, sink.line - 1);
    if (at === undefined) continue;
    if (IS_ENVIRONMENT.test(assignedText(file, at, 400))) return true;
  }
  return false;
}

function sends(call: CallSite): boolean {
  if (DNS.test(call.name)) return /['"]/.test(call.args[0] ?? ''); // gethostbyname(gethostname()) is not a channel
  return NETWORK_CALL.test(call.name) || SEND.test(call.name);
}

/** Calls grouped by the function (or module level) they sit in: gathering and sending in one body. */
function byBody(file: ParsedFile): Map<number, CallSite[]> {
  const out = new Map<number, CallSite[]>();
  for (const c of file.calls) {
    if (c.role === 'test') continue;
    const key = c.inDef ?? -1;
    const list = out.get(key) ?? [];
    list.push(c);
    out.set(key, list);
  }
  return out;
}

export const envExfil: Rule = {
  id: 'env-exfil',
  category: 'credentials',
  severity: 'critical',
  description:
    'Gathers the environment, secret-named variables or the user/host identity and sends them out (HTTP, sockets, DNS, webhooks) in the same function or module body.',
  rationale:
    'Install-time stealers and "proof of concept" uploads post os.environ, tokens or the host and user name to a server or encode them in a DNS lookup; honest code does not ship the environment anywhere.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const calls of byBody(file).values()) {
      const sinks = calls.filter(sends);
      if (sinks.length === 0) continue;
      // What the body gathers (a secret or the environment ahead of an identity), whether it signs requests,
      // and the first line that guards on an opt-out switch: read once per body, not per send.
      let what: string | undefined;
      let secretOrEnv = false;
      let signs = false;
      let optOutAt = 0;
      for (const c of calls) {
        const gathered = gathers(c);
        if (gathered) {
          const strong = gathered.startsWith('secret') || gathered === 'the whole environment';
          if (what === undefined || (strong && !secretOrEnv)) what = gathered;
          secretOrEnv ||= strong;
        }
        if (SIGNS.test(c.name)) signs = true;
        if (
          optOutAt === 0 &&
          ENV_READ.test(c.name) &&
          OPT_OUT.test(c.args[0] ?? '') &&
          GUARD.test(file.lines[c.line - 1] ?? '')
        )
          optOutAt = c.line;
      }
      for (const sink of sinks) {
        const environment = sink.args.some((a) => WHOLE_ENV.test(a)) || sendsEnvironmentByName(file, sink);
        const inline = environment || sink.args.some((a) => INLINE_IDENTITY.test(a));
        const found = environment ? 'the whole environment' : inline ? 'what it gathers inline' : what;
        if (!found) continue;
        const whole = found === 'the whole environment' || found.startsWith('secret') || inline;
        const early = sink.role === 'install' || sink.role === 'import';
        // Keys that only sign a request (SigV4) at run time: the signature leaves, not the keys.
        const signing =
          !early &&
          found.startsWith('secret cloud credentials') &&
          signs &&
          !sink.args.some((a) => KEY_FIELD.test(a));
        // Usage telemetry that names the host, in a function the user calls and can switch off (a guard above
        // the send): a privacy question, not a theft. Secrets, the environment, and anything sent at install or
        // import still count.
        const optOut = !early && !secretOrEnv && !environment && optOutAt > 0 && optOutAt < sink.line;
        const severity = early
          ? whole || sink.role === 'install'
            ? 'critical'
            : 'high'
          : optOut || signing
            ? 'low'
            : 'medium';
        const why = optOut ? ' (usage telemetry with an opt-out)' : signing ? ' (signing a request)' : '';
        hits.push(callHit(sink, severity, `sends ${found} with ${sink.name}${why}`));
        break;
      }
    }
    return hits;
  },
};
