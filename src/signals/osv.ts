// Known malware from OSV (https://google.github.io/osv.dev/api/): POST /v1/querybatch gives advisory ids
// per query; a MAL- id (the OpenSSF malicious-packages feed) makes the package malicious whatever the model
// says. Other advisories (ordinary vulnerabilities) are not this tool's concern and are ignored.
// Hand-written: the API is two JSON endpoints and no maintained npm client covers querybatch paging.
import type { Signal } from '../types.js';
import { normalizeName } from '../names.js';

export interface OsvRef {
  name: string;
  version: string;
}

export interface OsvOptions {
  /** API base, for mirrors and tests. */
  url?: string;
  fetch?: typeof fetch;
  /** Per request. */
  timeoutMs?: number;
  /** Bound on GET /v1/vulns/<id> calls made to fetch summaries. */
  maxDetails?: number;
  /** Bound on next_page_token rounds. */
  maxPages?: number;
}

export type OsvResult =
  | { status: 'ok'; byPackage: Map<string, Signal[]>; notes: string[] }
  | { status: 'unavailable'; error: string };

export const OSV_DEFAULT_URL = 'https://api.osv.dev';
const BATCH_LIMIT = 1000;

/** Key of `byPackage`: normalized name and version. */
export const osvKey = (ref: OsvRef): string => `${normalizeName(ref.name)}==${ref.version}`;

interface BatchResponse {
  results?: { vulns?: { id?: unknown; modified?: unknown }[]; next_page_token?: unknown }[];
}

interface Query {
  package: { name: string; ecosystem: 'PyPI' };
  version: string;
  page_token?: string;
}

async function postJson(url: string, body: unknown, options: OsvOptions): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function getJson(url: string, options: OsvOptions): Promise<unknown> {
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Advisory ids per ref, following next_page_token per query. */
async function advisoryIds(
  refs: OsvRef[],
  base: string,
  options: OsvOptions,
): Promise<Map<string, Set<string>>> {
  const ids = new Map<string, Set<string>>(refs.map((ref) => [osvKey(ref), new Set<string>()]));
  let pending: { ref: OsvRef; token?: string }[] = refs.map((ref) => ({ ref }));
  const maxPages = options.maxPages ?? 20;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= maxPages) throw new Error(`more than ${maxPages} pages of results; stopped`);
    const next: typeof pending = [];
    for (let start = 0; start < pending.length; start += BATCH_LIMIT) {
      const chunk = pending.slice(start, start + BATCH_LIMIT);
      const queries: Query[] = chunk.map(({ ref, token }) => ({
        package: { name: normalizeName(ref.name), ecosystem: 'PyPI' },
        version: ref.version,
        ...(token ? { page_token: token } : {}),
      }));
      const response = (await postJson(`${base}/v1/querybatch`, { queries }, options)) as BatchResponse;
      const results = Array.isArray(response?.results) ? response.results : null;
      if (!results || results.length !== chunk.length) {
        throw new Error(
          `${base}/v1/querybatch: expected ${chunk.length} results, got ${results?.length ?? 'none'}`,
        );
      }
      results.forEach((result, i) => {
        const item = chunk[i]!;
        for (const vuln of result?.vulns ?? []) {
          if (typeof vuln?.id === 'string') ids.get(osvKey(item.ref))!.add(vuln.id);
        }
        if (typeof result?.next_page_token === 'string' && result.next_page_token !== '') {
          next.push({ ref: item.ref, token: result.next_page_token });
        }
      });
    }
    pending = next;
  }
  return ids;
}

/** Queries OSV for every ref. OSV down or answering garbage: 'unavailable' with the reason, never a throw. */
export async function queryOsv(refs: OsvRef[], options: OsvOptions = {}): Promise<OsvResult> {
  const base = (options.url ?? OSV_DEFAULT_URL).replace(/\/+$/, '');
  let ids: Map<string, Set<string>>;
  try {
    ids = await advisoryIds(refs, base, options);
  } catch (error) {
    return { status: 'unavailable', error: `OSV at ${base} unavailable: ${errorText(error)}` };
  }
  const notes: string[] = [];
  const byPackage = new Map<string, Signal[]>();
  let detailsLeft = options.maxDetails ?? 50;
  const summaries = new Map<string, string | undefined>();
  for (const ref of refs) {
    const key = osvKey(ref);
    const signals: Signal[] = [];
    for (const id of [...(ids.get(key) ?? [])].filter((id) => id.startsWith('MAL-')).sort()) {
      if (!summaries.has(id)) {
        let summary: string | undefined;
        if (detailsLeft > 0) {
          detailsLeft--;
          try {
            summary = summaryOf(await getJson(`${base}/v1/vulns/${encodeURIComponent(id)}`, options));
          } catch (error) {
            notes.push(`OSV advisory ${id}: summary not fetched: ${errorText(error)}`);
          }
        }
        summaries.set(id, summary);
      }
      const summary = summaries.get(id);
      signals.push({
        id: 'known-malware',
        severity: 'critical',
        decisive: true,
        message:
          `${ref.name} ${ref.version} is known malware: OSV advisory ${id}` +
          (summary ? ` (${summary})` : ''),
      });
    }
    byPackage.set(key, signals);
  }
  return { status: 'ok', byPackage, notes };
}

function summaryOf(body: unknown): string | undefined {
  const record = body as { summary?: unknown; details?: unknown } | null;
  const text = typeof record?.summary === 'string' ? record.summary : record?.details;
  return typeof text === 'string' && text.trim() !== '' ? text.trim().slice(0, 200) : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
