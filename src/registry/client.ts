// The index client: Simple Repository API pages (PEP 691 JSON, falling back to PEP 503 HTML by
// Content-Type) from the index-url and any extra indexes (merged, as pip does), the choice of artifacts
// for a PackageRef, and verified downloads. Answers that are evidence (a pinned release gone, bytes that
// differ from a stated hash) are thrown as RegistryFinding; failures to get an answer as RegistryError.
import { createHash } from 'node:crypto';
import { compare, valid } from '@renovatebot/pep440';
import type { Artifact, PackageRef } from '../types.js';
import { type ArtifactCache, createArtifactCache } from './cache.js';
import { hashMismatch, RegistryError, releaseMissing } from './errors.js';
import { type HttpSettings, httpGet } from './http.js';
import { createLimiter } from './limit.js';
import { maskSecrets, maskUrl } from './mask.js';
import { type IndexFile, parseHtmlPage, parseJsonPage } from './page.js';
import { selectArtifacts } from './select.js';
import { newestSatisfying } from './version.js';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';
const ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

export interface IndexClientOptions {
  /** Default https://pypi.org/simple/. Credentials in the URL (user:pass@) are used and never printed. */
  indexUrl?: string;
  extraIndexUrls?: string[];
  /**
   * Basic-auth password for private indexes (user: the URL's, else `__token__`). Sent only to the
   * configured indexes' own hosts, and never to pypi.org / pythonhosted.org, so a token for a private
   * index does not leak to the public one.
   */
  token?: string;
  /** Default 50 MB (max-artifact-mb). Counted while streaming, not taken from Content-Length. */
  maxArtifactBytes?: number;
  /** Default 64 MB: the largest PyPI project pages are a few MB. */
  maxPageBytes?: number;
  /** Longest wait for headers or the next chunk of a body; default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors; default 3. */
  retries?: number;
  /** First backoff delay, doubled per retry; default 500 ms. */
  retryBaseMs?: number;
  /** Cap on one wait, Retry-After included; default 30 s. */
  maxRetryDelayMs?: number;
  /** Requests in flight at once for this client; default 8. */
  concurrency?: number;
  /** No request starts or continues after this moment. */
  deadline?: Date;
  /** Content-addressed archive cache; off unless given (e.g. ~/.cache/pypi-malware-gate or $RUNNER_TEMP/...). */
  cacheDir?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Things the user should know that are not errors (unpinned scans, cache problems). */
  onNotice?: (message: string) => void;
  userAgent?: string;
}

/** A file from an index page, with the (masked) index it came from. */
export interface RegistryFile extends IndexFile {
  index: string;
}

export interface ProjectPage {
  /** PEP 503 normalized. */
  name: string;
  files: RegistryFile[];
  /** PEP 700 versions merged across indexes (HTML pages contribute their files' versions). */
  versions: string[];
  /** Masked URLs of the indexes that know the project (empty: a 404 everywhere). */
  foundOn: string[];
}

export interface Resolution {
  files: RegistryFile[];
  releaseUrl?: string;
  /** The version chosen: the pinned one, or the newest satisfying one for an unpinned ref. */
  version: string;
}

export interface IndexClient {
  /** Masked index URLs, in the order they are asked. */
  readonly indexes: string[];
  getProject(name: string): Promise<ProjectPage>;
  resolve(ref: PackageRef): Promise<Resolution>;
  sha256Of(file: RegistryFile): string | undefined;
  download(file: RegistryFile, ref: PackageRef): Promise<Artifact>;
}

interface IndexInfo {
  /** Without credentials, ending in '/'. */
  base: string;
  label: string;
  authorization?: string;
}

/** PEP 503 normalization. */
export const normalizeProjectName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const isPublicPypi = (host: string): boolean =>
  ['pypi.org', 'pythonhosted.org'].some((h) => host === h || host.endsWith(`.${h}`));

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits credentials off a URL: fetch refuses URLs that carry them, and they must never be printed. */
function splitCredentials(raw: string): { url: URL; user: string; password: string } {
  const url = new URL(raw);
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  url.username = '';
  url.password = '';
  return { url, user, password };
}

const sameVersion = (a: string, b: string): boolean => (valid(a) && valid(b) ? compare(a, b) === 0 : a === b);

const SUPPORTED_HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/** Lockfile hashes ("sha256:<hex>") by algorithm. */
function lockDigests(hashes: readonly string[]): Map<string, Set<string>> {
  const byAlgo = new Map<string, Set<string>>();
  for (const hash of hashes) {
    const colon = hash.indexOf(':');
    if (colon <= 0) continue;
    const algo = hash.slice(0, colon).toLowerCase();
    if (!SUPPORTED_HASHES.has(algo)) continue;
    const set = byAlgo.get(algo) ?? new Set<string>();
    set.add(hash.slice(colon + 1).toLowerCase());
    byAlgo.set(algo, set);
  }
  return byAlgo;
}

export function createIndexClient(options: IndexClientOptions = {}): IndexClient {
  const secrets: string[] = [];
  const authByOrigin = new Map<string, string>();
  const addSecret = (s: string) => {
    if (s && !secrets.includes(s)) secrets.push(s, encodeURIComponent(s));
  };
  if (options.token) addSecret(options.token);

  const indexes: IndexInfo[] = [options.indexUrl ?? DEFAULT_INDEX_URL, ...(options.extraIndexUrls ?? [])].map(
    (raw) => {
      let split: ReturnType<typeof splitCredentials>;
      try {
        split = splitCredentials(raw);
      } catch {
        throw new RegistryError(`not a URL: ${maskSecrets(maskUrl(raw), secrets)}`);
      }
      const { url, user } = split;
      let { password } = split;
      addSecret(password);
      if (!password && options.token && !isPublicPypi(url.hostname)) password = options.token;
      if (!url.pathname.endsWith('/')) url.pathname += '/';
      const info: IndexInfo = { base: url.toString(), label: maskUrl(raw) };
      if (user || password) {
        info.authorization = basic(user || '__token__', password);
        addSecret(info.authorization.slice('Basic '.length));
        if (!authByOrigin.has(url.origin)) authByOrigin.set(url.origin, info.authorization);
      }
      if (!info.label.endsWith('/')) info.label += '/';
      return info;
    },
  );

  const now = options.now ?? (() => new Date());
  const notice = options.onNotice ?? (() => {});
  const http: HttpSettings = {
    fetch: options.fetch ?? globalThis.fetch,
    limiter: createLimiter(options.concurrency ?? 8),
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    retryBaseMs: options.retryBaseMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    deadline: options.deadline,
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    secrets,
  };
  const maxArtifactBytes = options.maxArtifactBytes ?? 50 * 1024 * 1024;
  const maxPageBytes = options.maxPageBytes ?? 64 * 1024 * 1024;
  const userAgent = options.userAgent ?? 'pypi-malware-gate';
  const cache: ArtifactCache | undefined = options.cacheDir
    ? createArtifactCache(options.cacheDir, notice)
    : undefined;
  const mask = (text: string) => maskSecrets(text, secrets);
  const pages = new Map<string, Promise<ProjectPage>>();

  async function fetchPage(index: IndexInfo, name: string) {
    const url = `${index.base}${encodeURIComponent(name)}/`;
    const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': userAgent };
    if (index.authorization) headers.authorization = index.authorization;
    const answer = await httpGet(
      { url, headers, maxBytes: maxPageBytes, limitName: 'index page size' },
      http,
    );
    if (answer.status === 404 || answer.status === 410) return null;
    const text = new TextDecoder().decode(answer.body);
    const json =
      /json/i.test(answer.contentType) || (answer.contentType === '' && text.trimStart().startsWith('{'));
    try {
      return (json ? parseJsonPage : parseHtmlPage)(text, answer.url, name);
    } catch (err) {
      throw new RegistryError(
        mask(`${index.label}${name}/: unreadable ${json ? 'JSON' : 'HTML'} page: ${(err as Error).message}`),
      );
    }
  }

  async function loadProject(name: string): Promise<ProjectPage> {
    // Every index is asked, as pip does: a name on an extra index is a candidate even when the main one has it.
    const answers = await Promise.all(indexes.map((index) => fetchPage(index, name)));
    const page: ProjectPage = { name, files: [], versions: [], foundOn: [] };
    answers.forEach((answer, i) => {
      if (!answer) return;
      const index = indexes[i]!;
      page.foundOn.push(index.label);
      page.files.push(...answer.files.map((f) => ({ ...f, index: index.label })));
      for (const v of answer.versions) if (!page.versions.includes(v)) page.versions.push(v);
    });
    return page;
  }

  function getProject(name: string): Promise<ProjectPage> {
    const key = normalizeProjectName(name);
    let page = pages.get(key);
    if (!page) {
      page = loadProject(key);
      pages.set(key, page);
    }
    return page;
  }

  function releaseUrl(file: RegistryFile | undefined, name: string, version: string): string | undefined {
    if (!file) return undefined;
    try {
      if (isPublicPypi(new URL(file.index).hostname)) return `https://pypi.org/project/${name}/${version}/`;
    } catch {
      return undefined;
    }
    return `${file.index}${encodeURIComponent(name)}/`;
  }

  /** The files to analyse among one version's files, honouring the lockfile's hashes. */
  function choose(files: RegistryFile[], ref: PackageRef, label: string): RegistryFile[] {
    const locked = lockDigests(ref.hashes).get('sha256');
    if (!locked) return selectArtifacts(files, ref.name);
    const sha = (f: RegistryFile) => f.hashes.sha256?.toLowerCase();
    const matching = files.filter((f) => locked.has(sha(f) ?? ''));
    if (matching.length > 0) {
      // The lock may pin only files for another platform: then analyse what it pins rather than nothing.
      const chosen = selectArtifacts(matching, ref.name);
      return chosen.length > 0 ? chosen : matching.slice(0, 1);
    }
    const unhashed = files.filter((f) => sha(f) === undefined);
    if (unhashed.length === 0) {
      throw hashMismatch(
        `${label}: none of the ${files.length} file(s) the index serves matches the lockfile's hashes: ` +
          'the files differ from the ones the lockfile pins',
      );
    }
    // The index states no sha256 for these: download and check them against the lock instead.
    const chosen = selectArtifacts(unhashed, ref.name);
    return chosen.length > 0 ? chosen : unhashed.slice(0, 1);
  }

  async function resolve(ref: PackageRef): Promise<Resolution> {
    const page = await getProject(ref.name);
    if (ref.version !== null) {
      const label = `${ref.name}==${ref.version}`;
      const own = page.files.filter((f) => f.version !== null && sameVersion(f.version, ref.version!));
      if (own.length === 0) {
        const where = indexes.map((i) => i.label).join(', ');
        throw releaseMissing(
          page.foundOn.length === 0
            ? `${label}: the project is not on the index (${where}); PyPI deletes malware it finds, so a pinned project that vanished is evidence`
            : `${label}: the index has ${ref.name} but no file for the pinned version ${ref.version}; PyPI deletes malware it finds, so a pinned release that vanished is evidence`,
        );
      }
      const files = choose(own, ref, label);
      return { files, version: ref.version, releaseUrl: releaseUrl(files[0], page.name, ref.version) };
    }
    const specifier = ref.specifier ?? '';
    const byVersion = new Map<string, RegistryFile[]>();
    for (const f of page.files) {
      if (f.version === null) continue;
      const key = [...byVersion.keys()].find((v) => sameVersion(v, f.version!)) ?? f.version;
      byVersion.set(key, [...(byVersion.get(key) ?? []), f]);
    }
    const version = newestSatisfying(
      [...byVersion].map(([v, files]) => ({ version: v, yanked: files.every((f) => f.yanked !== false) })),
      specifier,
    );
    if (version === null) {
      throw new RegistryError(
        page.foundOn.length === 0
          ? `${ref.name}: the project is not on the index`
          : `${ref.name}${specifier}: no non-yanked final release satisfies the specifier`,
      );
    }
    notice(
      `${ref.name}${specifier ? ` ${specifier}` : ''} is not pinned: scanned ${version}, the newest release that satisfies it; unpinned scans are not reproducible`,
    );
    const label = `${ref.name}==${version}`;
    const files = choose(byVersion.get(version)!, ref, label);
    return { files, version, releaseUrl: releaseUrl(files[0], page.name, version) };
  }

  /** Where to GET a file and with which credentials (only the index's own origin gets them). */
  function fileRequest(file: RegistryFile): { url: string; headers: Record<string, string> } {
    let split: ReturnType<typeof splitCredentials>;
    try {
      split = splitCredentials(file.url);
    } catch {
      throw new RegistryError(mask(`${file.filename}: the index gives an unusable URL ${maskUrl(file.url)}`));
    }
    const { url, user, password } = split;
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError(
        `${file.filename}: the index gives a ${url.protocol} URL; only http(s) is fetched`,
      );
    }
    const headers: Record<string, string> = { 'user-agent': userAgent };
    if (user || password) {
      addSecret(password);
      headers.authorization = basic(user, password);
      addSecret(headers.authorization.slice('Basic '.length));
    } else {
      const auth = authByOrigin.get(url.origin);
      if (auth) headers.authorization = auth;
    }
    return { url: url.toString(), headers };
  }

  /** Throws a hash-mismatch finding unless the bytes match every hash the index states and one the lock pins. */
  function verify(bytes: Uint8Array, file: RegistryFile, ref: PackageRef): string {
    const digests = new Map<string, string>();
    const digest = (algo: string) => {
      let d = digests.get(algo);
      if (d === undefined) {
        d = createHash(algo).update(bytes).digest('hex');
        digests.set(algo, d);
      }
      return d;
    };
    const sha256 = digest('sha256');
    for (const [algo, stated] of Object.entries(file.hashes)) {
      const a = algo.toLowerCase();
      if (!SUPPORTED_HASHES.has(a) || digest(a) === stated.toLowerCase()) continue;
      throw hashMismatch(
        `${file.filename}: downloaded file differs from the one the index lists (${a} ${digest(a)}, the index states ${stated})`,
      );
    }
    const lock = lockDigests(ref.hashes);
    if (lock.size > 0 && ![...lock].some(([algo, allowed]) => allowed.has(digest(algo)))) {
      throw hashMismatch(
        `${file.filename}: downloaded file differs from the one the lockfile pins (sha256 ${sha256} is not among the hashes in ${ref.file}:${ref.line})`,
      );
    }
    return sha256;
  }

  async function download(file: RegistryFile, ref: PackageRef): Promise<Artifact> {
    const stated = file.hashes.sha256?.toLowerCase();
    let bytes = stated && cache ? await cache.get(stated) : undefined;
    const fromCache = bytes !== undefined;
    if (!bytes) {
      const { url, headers } = fileRequest(file);
      const answer = await httpGet(
        { url, headers, maxBytes: maxArtifactBytes, limitName: 'max-artifact-mb' },
        http,
      );
      if (answer.status === 404 || answer.status === 410) {
        throw new RegistryError(
          mask(`${file.filename}: listed by the index but not served (HTTP ${answer.status})`),
        );
      }
      bytes = answer.body;
    }
    const sha256 = verify(bytes, file, ref);
    if (cache && !fromCache) await cache.put(sha256, bytes);
    return {
      ref,
      filename: file.filename,
      kind: file.kind,
      url: mask(maskUrl(file.url)),
      sha256,
      bytes,
      ...(file.uploadTime ? { uploadTime: file.uploadTime } : {}),
    };
  }

  return {
    indexes: indexes.map((i) => i.label),
    getProject,
    resolve,
    sha256Of: (file) => file.hashes.sha256?.toLowerCase(),
    download,
  };
}
