// One GET with everything an index client needs around Node's fetch: an idle timeout per request, retries
// with exponential backoff on 429/5xx/network errors (honouring Retry-After, capped), a shared concurrency
// limiter, an overall deadline, and a body size cap counted while streaming (Content-Length is only a hint
// an attacker controls). Redirects are followed here, not by fetch, so the Authorization header provably
// stays on its origin and never travels over plain http to another machine. Errors name the URL with
// credentials masked.
import { RegistryError } from './errors.js';
import type { Limiter } from './limit.js';
import { maskSecrets, maskUrl } from './mask.js';

export interface HttpSettings {
  fetch: typeof fetch;
  limiter: Limiter;
  /** Longest wait for the response headers or for the next chunk of the body. */
  timeoutMs: number;
  /** Attempts after the first one, on 429, 5xx, timeouts and network errors. */
  retries: number;
  /** First backoff delay; doubles per attempt. */
  retryBaseMs: number;
  /** Cap on any one wait, Retry-After included. */
  maxRetryDelayMs: number;
  deadline?: Date;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Strings to mask in every message (tokens, passwords, auth headers). */
  secrets: readonly string[];
}

export interface HttpGet {
  /** Without userinfo: fetch refuses URLs with credentials, and they travel in `headers` instead. */
  url: string;
  headers: Record<string, string>;
  maxBytes: number;
  /** Turns "larger than the limit" into a message the user can act on. */
  limitName: string;
}

export interface HttpAnswer {
  /** 2xx, or 404/410 (the caller decides what a missing page or file means). */
  status: number;
  /** The final URL after redirects (relative links on a page resolve against it). */
  url: string;
  contentType: string;
  body: Uint8Array;
}

type Attempt = HttpAnswer | { retry: string; afterMs?: number };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/** Loopback hosts: the only ones that may receive credentials over plain http (a local proxy or test index). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether credentials may be sent to this URL: https, or plain http to a loopback host. */
export function credentialsAllowed(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const when = Date.parse(trimmed);
  return Number.isNaN(when) ? undefined : Math.max(0, when - now.getTime());
}

/** What a failed fetch says, and whether trying again can help (a system error code: refused, reset, DNS). */
function causeOf(err: unknown): { text: string; transient: boolean } {
  const cause = (err as { cause?: { code?: unknown; message?: string } }).cause;
  if (typeof cause?.code === 'string') return { text: cause.code, transient: true };
  return { text: cause?.message ?? (err instanceof Error ? err.message : String(err)), transient: false };
}

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 100) / 100} MB`;

export async function httpGet(request: HttpGet, settings: HttpSettings): Promise<HttpAnswer> {
  const label = maskSecrets(maskUrl(request.url), settings.secrets);
  const fail = (why: string) => new RegistryError(maskSecrets(`GET ${label}: ${why}`, settings.secrets));
  const remaining = () =>
    settings.deadline ? settings.deadline.getTime() - settings.now().getTime() : Number.POSITIVE_INFINITY;

  for (let attempt = 0; ; attempt++) {
    if (remaining() <= 0) throw fail('the overall deadline passed before the request could be made');
    const result = await settings.limiter(() => once(request, settings, remaining(), fail));
    if (!('retry' in result)) return result;
    if (attempt >= settings.retries) {
      throw fail(`${result.retry} (gave up after ${attempt + 1} attempt${attempt === 0 ? '' : 's'})`);
    }
    const backoff = settings.retryBaseMs * 2 ** attempt;
    const delay = Math.min(settings.maxRetryDelayMs, result.afterMs ?? backoff);
    if (delay >= remaining()) {
      throw fail(`${result.retry}; the overall deadline passes before a retry in ${delay} ms`);
    }
    await settings.sleep(delay);
  }
}

async function once(
  request: HttpGet,
  settings: HttpSettings,
  remainingMs: number,
  fail: (why: string) => RegistryError,
): Promise<Attempt> {
  const controller = new AbortController();
  let timedOut = false;
  let deadlineHit = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, settings.timeoutMs);
  };
  // setTimeout fires at once for delays past 2^31-1 ms (24.8 days): such a deadline needs no timer.
  const overall =
    remainingMs < 2 ** 31 - 1
      ? setTimeout(() => {
          deadlineHit = true;
          controller.abort();
        }, remainingMs)
      : undefined;
  try {
    arm();
    let url = new URL(request.url);
    const headers = { ...request.headers };
    let response: Response;
    for (let hop = 0; ; hop++) {
      // Last line of defence: whatever the caller decided, no credentials over plain http off this machine.
      if (!credentialsAllowed(url)) delete headers.authorization;
      response = await settings.fetch(url.toString(), {
        headers,
        signal: controller.signal,
        redirect: 'manual',
      });
      arm();
      if (!REDIRECTS.has(response.status)) break;
      await response.body?.cancel().catch(() => {});
      const location = response.headers.get('location');
      if (!location) throw fail(`HTTP ${response.status} without a Location header`);
      if (hop >= MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw fail(`HTTP ${response.status} to an unusable Location`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw fail(`redirected to a ${next.protocol} URL; only http(s) is fetched`);
      next.username = '';
      next.password = '';
      // Credentials are for the origin they were given for: another host, port or scheme gets none.
      if (next.origin !== url.origin) delete headers.authorization;
      url = next;
    }
    const { status } = response;
    if (status === 429 || status >= 500) {
      await response.body?.cancel().catch(() => {});
      return {
        retry: `HTTP ${status}`,
        afterMs: retryAfterMs(response.headers.get('retry-after'), settings.now()),
      };
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (status === 404 || status === 410) {
      await response.body?.cancel().catch(() => {});
      return { status, url: url.toString(), contentType, body: new Uint8Array() };
    }
    if (status < 200 || status >= 300) {
      await response.body?.cancel().catch(() => {});
      const hint = status === 401 || status === 403 ? ' (the index wants credentials: index-token)' : '';
      throw fail(`HTTP ${status}${hint}`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > request.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw fail(`${mb(declared)} is larger than the ${mb(request.maxBytes)} limit (${request.limitName})`);
    }
    const body = await readCapped(response, request, arm, fail);
    return { status, url: url.toString(), contentType, body };
  } catch (err) {
    if (err instanceof RegistryError) throw err;
    if (deadlineHit) throw fail('the overall deadline passed during the request');
    if (timedOut) return { retry: `no data for ${settings.timeoutMs} ms (timeout)` };
    const cause = causeOf(err);
    if (!cause.transient) throw fail(`network error: ${cause.text}`);
    return { retry: `network error: ${cause.text}` };
  } finally {
    clearTimeout(idle);
    clearTimeout(overall);
    controller.abort();
  }
}

/** The body, stopped as soon as it passes the cap; each chunk re-arms the idle timeout. */
async function readCapped(
  response: Response,
  request: HttpGet,
  onChunk: () => void,
  fail: (why: string) => RegistryError,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > request.maxBytes) {
      await reader.cancel().catch(() => {});
      throw fail(`more than the ${mb(request.maxBytes)} limit (${request.limitName}) while downloading`);
    }
    chunks.push(value);
    onChunk();
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
