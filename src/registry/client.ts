// The index client: Simple Repository API pages (PEP 691 JSON, falling back to PEP 503 HTML by
// Content-Type) from the indexes a package is locked to (the lockfile's, when the trusted configuration
// names them; else index-url and extra indexes, merged as pip does), the choice of the files pip would
// install on the target platforms, and verified downloads. Answers that are evidence (a pinned release
// gone, bytes that differ from a stated hash, an index nobody configured) are returned as findings
// (OrFinding); failures to get an answer are thrown as RegistryError. Credentials go only to their own index's origin, over https
// or to a loopback host.
import { createHash } from 'node:crypto';
import { normalizeName } from '../names.js';
import type { Artifact, Gap, OrFinding, PackageRef } from '../types.js';
import { type ArtifactCache, createArtifactCache } from './cache.js';
import {
  found,
  hashMismatch,
  RegistryError,
  releaseMissing,
  untrustedIndex,
  valueOrThrow,
} from './errors.js';
import { credentialsAllowed, type HttpSettings, httpGet } from './http.js';
import { type IndexHealth, indexKey } from './indexes.js';
import { createLimiter } from './limit.js';
import { maskSecrets, maskUrl } from './mask.js';
import { type IndexFile, parseHtmlPage, parseJsonPage } from './page.js';
import { selectForTargets } from './select.js';
import { DEFAULT_PLATFORMS, type TargetPlatform, targetPlatform } from './tags.js';
import { matchesPin, newestSatisfying, versionKey } from './version.js';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';
const ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

export interface IndexClientOptions {
  /** Default https://pypi.org/simple/. Credentials in the URL (user:pass@) are used and never printed. */
  indexUrl?: string;
  extraIndexUrls?: string[];
  /**
   * Indexes a lockfile may name besides index-url and extra-index-urls (config `allowed-indexes`). They
   * get no token; credentials written in their URL go to their own origin only.
   */
  allowedIndexes?: string[];
  /**
   * Basic-auth password for the private index (user: the URL's, else `__token__`): the first configured
   * index that is not public PyPI (index-url, else the first such extra-index-url). Sent only to that
   * index's origin (other configured indexes there share it), over https or to a loopback host: never to
   * pypi.org / pythonhosted.org nor to another extra index (a public mirror such as download.pytorch.org).
   */
  token?: string;
  /** Target platform ids (see KNOWN_PLATFORMS); default Linux x86_64, Windows amd64, macOS arm64. */
  platforms?: string[];
  /** CPython 3.<minor> versions to pick wheels for; default 3.9-3.14. */
  pythonMinors?: number[];
  /** Most files analysed per release (sdists and wheels); the rest are a Gap. Default 24. */
  maxFilesPerRelease?: number;
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
  /** What pip would install on the targets: sdists first, then each distinct wheel picked. */
  files: RegistryFile[];
  releaseUrl?: string;
  /** The version chosen: the pinned one, or the newest satisfying one for an unpinned ref. */
  version: string;
  /** Masked URLs of the indexes asked for this ref. */
  indexes: string[];
  /** What the user should see: the files of the release that were not analysed, and why. */
  notes: string[];
  /** What pip could install and the gate will not analyse (over the per-release cap). */
  gaps: Gap[];
}

export interface IndexClient {
  /** Masked URLs of the configured indexes (index-url, then extra-index-urls), in the order they are asked. */
  readonly indexes: string[];
  /**
   * The project's page merged over the indexes the ref is locked to (the configured ones without a ref).
   * `declared`: index URLs the ref's lockfile gives every package (requirements --index-url/--extra-index-url).
   */
  getProject(name: string, ref?: PackageRef, declared?: string[]): Promise<ProjectPage>;
  /** What to analyse for the ref, or a finding: the pinned release is gone, no file matches the lock, an untrusted index. */
  resolve(ref: PackageRef, declared?: string[]): Promise<OrFinding<Resolution>>;
  sha256Of(file: RegistryFile): string | undefined;
  /** The verified bytes, or a hash-mismatch finding. */
  download(file: RegistryFile, ref: PackageRef): Promise<OrFinding<Artifact>>;
  /** Per first-asked index: how many refs it was asked for and how many it answered usefully. */
  health(): IndexHealth[];
  /** Whether the trusted configuration names this index URL (index-url, extra-index-urls, allowed-indexes). */
  isTrusted(url: string): boolean;
}

interface IndexInfo {
  /** Without credentials, ending in '/'. */
  base: string;
  /** indexKey(base): what lockfile URLs are compared by. */
  key: string;
  origin: string;
  label: string;
  authorization?: string;
}

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

const DIRECT_SOURCES = new Set(['url', 'vcs', 'path']);

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
  const addSecret = (s: string) => {
    if (s && !secrets.includes(s)) secrets.push(s, encodeURIComponent(s));
  };
  if (options.token) addSecret(options.token);
  const now = options.now ?? (() => new Date());
  const notice = options.onNotice ?? (() => {});
  const warned = new Set<string>();
  const noticeOnce = (message: string) => {
    if (warned.has(message)) return;
    warned.add(message);
    notice(message);
  };

  // The token's index: the first configured one that is not public PyPI; only its origin gets the token.
  const tokenOrigin = (() => {
    for (const raw of [options.indexUrl ?? DEFAULT_INDEX_URL, ...(options.extraIndexUrls ?? [])]) {
      try {
        const url = new URL(raw);
        if (!isPublicPypi(url.hostname)) return url.origin;
      } catch {
        // reported by makeIndex
      }
    }
    return undefined;
  })();

  /** An index from the trusted configuration; `withToken`: index-url and extra-index-urls, not allowed-indexes. */
  function makeIndex(raw: string, withToken: boolean): IndexInfo {
    let split: ReturnType<typeof splitCredentials>;
    try {
      split = splitCredentials(raw);
    } catch {
      throw new RegistryError(`not a URL: ${maskSecrets(maskUrl(raw), secrets)}`);
    }
    const { url, user } = split;
    let { password } = split;
    addSecret(password);
    if (!password && withToken && options.token && url.origin === tokenOrigin) password = options.token;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    const info: IndexInfo = {
      base: url.toString(),
      key: indexKey(url.toString()),
      origin: url.origin,
      label: maskUrl(raw),
    };
    if (!info.label.endsWith('/')) info.label += '/';
    if (user || password) {
      if (credentialsAllowed(url)) {
        info.authorization = basic(user || '__token__', password);
        addSecret(info.authorization.slice('Basic '.length));
      } else {
        noticeOnce(`${info.label}: credentials are not sent over plain http to another machine; use https`);
      }
    }
    return info;
  }

  const configured = [options.indexUrl ?? DEFAULT_INDEX_URL, ...(options.extraIndexUrls ?? [])].map((raw) =>
    makeIndex(raw, true),
  );
  const trusted = new Map<string, IndexInfo>();
  for (const index of configured) if (!trusted.has(index.key)) trusted.set(index.key, index);
  for (const raw of options.allowedIndexes ?? []) {
    const index = makeIndex(raw, false);
    if (!trusted.has(index.key)) trusted.set(index.key, index);
  }
  const byLabel = new Map<string, IndexInfo>();
  for (const index of trusted.values()) if (!byLabel.has(index.label)) byLabel.set(index.label, index);

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
  const maxFiles = options.maxFilesPerRelease ?? 24;
  const targets: TargetPlatform[] = (options.platforms ?? DEFAULT_PLATFORMS).map((id) => {
    try {
      return targetPlatform(id);
    } catch (err) {
      throw new RegistryError((err as Error).message);
    }
  });
  const userAgent = options.userAgent ?? 'pypi-malware-gate';
  const cache: ArtifactCache | undefined = options.cacheDir
    ? createArtifactCache(options.cacheDir, notice)
    : undefined;
  const mask = (text: string) => maskSecrets(text, secrets);
  const pages = new Map<string, Promise<ParsedPageFrom | null>>();
  const health = new Map<string, IndexHealth>();

  /**
   * The indexes pip would ask for this ref: the one its lockfile locks it to (else index-url) with the
   * lockfile's and the configuration's extra indexes, or only the locked one for formats that pin a
   * package to one index (uv, poetry, Pipfile, pdm, pylock: `declared` is then absent). Every one must be
   * trusted; the gate never asks an index the configuration does not name.
   */
  function indexesFor(ref: PackageRef | undefined, declared: string[] | undefined): OrFinding<IndexInfo[]> {
    // Any source but a direct reference names an index: one that is not an http(s) URL (a file:// or
    // relative registry a uv.lock can name) is never trusted, so a wheel committed with the PR is not
    // what pip installs while the gate analyses the configured index's file.
    const locked = ref?.source !== undefined && !DIRECT_SOURCES.has(ref.source) ? ref.source : undefined;
    if (locked === undefined && !declared?.length) return found(configured);
    const wanted =
      locked !== undefined && declared === undefined
        ? [locked]
        : [locked ?? configured[0]!.base, ...(declared ?? []), ...configured.slice(1).map((i) => i.base)];
    const out: IndexInfo[] = [];
    const untrusted: string[] = [];
    for (const raw of wanted) {
      let key: string;
      try {
        key = indexKey(raw);
      } catch {
        untrusted.push(raw);
        continue;
      }
      const index = trusted.get(key);
      if (!index) untrusted.push(raw);
      else if (!out.includes(index)) out.push(index);
    }
    if (untrusted.length > 0) {
      const where = ref ? `${ref.file}:${ref.line}` : 'the lockfile';
      const names = untrusted.map((u) => mask(maskUrl(u))).join(', ');
      return untrustedIndex(
        `${ref?.name ?? 'a package'}: ${where} has pip fetch it from ${names}, which the configuration does not name ` +
          '(index-url, extra-index-urls, allowed-indexes in the base branch): the index was not asked; add it there if it is trusted',
      );
    }
    return found(out);
  }

  interface ParsedPageFrom {
    files: IndexFile[];
    versions: string[];
  }

  async function fetchPage(index: IndexInfo, name: string): Promise<ParsedPageFrom | null> {
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

  function page(index: IndexInfo, name: string): Promise<ParsedPageFrom | null> {
    const key = `${index.key}\n${name}`;
    let pending = pages.get(key);
    if (!pending) {
      pending = fetchPage(index, name);
      pages.set(key, pending);
    }
    return pending;
  }

  async function loadProject(name: string, indexes: IndexInfo[]): Promise<ProjectPage> {
    // Every index is asked, as pip does: a name on an extra index is a candidate even when the main one has it.
    const answers = await Promise.all(indexes.map((index) => page(index, name)));
    const merged: ProjectPage = { name, files: [], versions: [], foundOn: [] };
    const versions = new Set<string>();
    answers.forEach((answer, i) => {
      if (!answer) return;
      const index = indexes[i]!;
      merged.foundOn.push(index.label);
      // A loop, not push(...spread): a page can list more files than a call takes arguments.
      for (const f of answer.files) merged.files.push({ ...f, index: index.label });
      for (const v of answer.versions) versions.add(v);
    });
    merged.versions = [...versions];
    return merged;
  }

  const projects = new Map<string, Promise<ProjectPage>>();
  function project(name: string, indexes: IndexInfo[]): Promise<ProjectPage> {
    const normalized = normalizeName(name);
    const key = `${indexes.map((i) => i.key).join(' ')}\n${normalized}`;
    let pending = projects.get(key);
    if (!pending) {
      pending = loadProject(normalized, indexes);
      projects.set(key, pending);
    }
    return pending;
  }

  // The page is history for the signals stage, not evidence: an index that may not be asked is a failure here.
  function getProject(name: string, ref?: PackageRef, declared?: string[]): Promise<ProjectPage> {
    try {
      return project(name, valueOrThrow(indexesFor(ref, declared)));
    } catch (err) {
      return Promise.reject(err);
    }
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

  /** The files pip may install under the lockfile's hashes: with --require-hashes, only locked ones. */
  function allowedByLock(files: RegistryFile[], ref: PackageRef, label: string): OrFinding<RegistryFile[]> {
    const locked = lockDigests(ref.hashes).get('sha256');
    if (!locked) return found(files);
    const sha = (f: RegistryFile) => f.hashes.sha256?.toLowerCase();
    const matching = files.filter((f) => locked.has(sha(f) ?? ''));
    // Files whose sha256 the index does not state are downloaded and checked against the lock instead.
    const unknown = files.filter((f) => sha(f) === undefined);
    if (matching.length === 0 && unknown.length === 0) {
      return hashMismatch(
        `${label}: none of the ${files.length} file(s) the index serves matches the lockfile's hashes: ` +
          'the files differ from the ones the lockfile pins',
      );
    }
    return found([...matching, ...unknown]);
  }

  /** What to analyse among the candidate files: pip's pick per target, the sdists, the cap; notes on the rest. */
  function choose(
    candidates: RegistryFile[],
    release: RegistryFile[],
    ref: PackageRef,
    label: string,
  ): Pick<Resolution, 'files' | 'notes' | 'gaps'> {
    const selection = selectForTargets(candidates, {
      project: ref.name,
      targets,
      pythonMinors: options.pythonMinors,
      ...(ref.markers ? { markers: ref.markers } : {}),
    });
    const lockedShas = lockDigests(ref.hashes).get('sha256');
    const isLocked = (f: RegistryFile) => lockedShas?.has(f.hashes.sha256?.toLowerCase() ?? '') === true;
    // A wheel the lockfile pins that a target could install is analysed even when pip there prefers
    // another: the lock says it is installed somewhere (an older glibc, another Python build).
    const picked = new Set(selection.chosen);
    let files = [
      ...selection.chosen,
      ...[...selection.installable].filter((f) => isLocked(f) && !picked.has(f)),
    ];
    const notes: string[] = [];
    const gaps: Gap[] = [];
    if (selection.markerExcludesAll)
      notes.push(
        `${label}: its marker (${ref.markers!.slice(0, 200)}) excludes every target platform (${targets.map((t) => t.id).join(', ')}); analysed as if it applied`,
      );
    if (files.length === 0) {
      // Nothing installs on the targets (wheels for other platforms only, no sdist): pip there would fail,
      // but the project may run elsewhere, so analyse what the release offers rather than nothing.
      files = candidates.filter((f) => f.kind === 'wheel' || f.kind === 'sdist');
      if (files.length > 0)
        notes.push(
          `${label}: no file installs on the target platforms (${targets.map((t) => t.id).join(', ')}); analysed what the release offers`,
        );
    }
    if (files.length > maxFiles) {
      const over = files.slice(maxFiles);
      const why = `${files.length} files would be installed on the target platforms, more than the ${maxFiles} analysed per release`;
      // One gap per file left out, up to 20, then one for the rest: a hostile release can list thousands.
      for (const file of over.slice(0, 20))
        gaps.push({
          stage: 'download',
          artifact: file.filename,
          reason: `${label}: ${why}; ${file.filename} was not analysed`,
        });
      if (over.length > 20)
        gaps.push({
          stage: 'download',
          reason: `${label}: ${why}; ${over.length - 20} more files were not analysed`,
        });
      files = files.slice(0, maxFiles);
    }
    const analysed = new Set(files);
    const allowed = new Set(candidates);
    const left = [
      ...selection.notAnalysed.filter((n) => !analysed.has(n.file)),
      ...release
        .filter((f) => !allowed.has(f))
        .map((file) => ({ file, reason: 'not among the files the lockfile hashes allow: pip refuses it' })),
    ];
    const lockedLeft = left.filter((n) => isLocked(n.file));
    // One line per reason, at most 20 names each: a release can have a hundred wheels.
    const byReason = new Map<string, string[]>();
    for (const n of left) {
      const names = byReason.get(n.reason);
      if (names) names.push(n.file.filename);
      else byReason.set(n.reason, [n.file.filename]);
    }
    for (const [reason, names] of byReason) {
      const more = names.length > 20 ? ` and ${names.length - 20} more` : '';
      notes.push(`${label}: not analysed (${reason}): ${names.slice(0, 20).join(', ')}${more}`);
    }
    if (lockedLeft.length > 0) {
      notes.push(
        `${label}: ${ref.file}:${ref.line} pins the hashes of ${lockedLeft.length} file(s) the gate did not analyse (no target platform installs them): ${lockedLeft
          .slice(0, 10)
          .map((n) => n.file.filename)
          .join(', ')}`,
      );
    }
    return { files, notes, gaps };
  }

  function record(
    index: IndexInfo | undefined,
    outcome: 'found' | 'unknownProject' | 'missingRelease' | 'failed',
    name: string,
  ) {
    if (!index) return;
    const h = health.get(index.label) ?? {
      index: index.label,
      asked: 0,
      found: 0,
      unknownProject: 0,
      missingRelease: 0,
      failed: 0,
      unserved: [],
    };
    h.asked++;
    h[outcome]++;
    if (outcome !== 'found' && h.unserved.length < 5 && !h.unserved.includes(name)) h.unserved.push(name);
    health.set(index.label, h);
  }

  async function resolve(ref: PackageRef, declared?: string[]): Promise<OrFinding<Resolution>> {
    const trustedIndexes = indexesFor(ref, declared);
    if (!trustedIndexes.ok) return trustedIndexes;
    const indexes = trustedIndexes.value;
    const labels = indexes.map((i) => i.label);
    let result: ProjectPage;
    try {
      result = await project(ref.name, indexes);
    } catch (err) {
      record(indexes[0], 'failed', ref.name);
      throw err;
    }
    const where = labels.join(', ');
    if (result.foundOn.length === 0) {
      record(indexes[0], 'unknownProject', ref.name);
      throw new RegistryError(
        `${ref.name}: the project is not on the index (${where}): pip could not install it from there ` +
          '(a mistyped index-url, or a project the index removed: PyPI removes malware it finds)',
      );
    }
    if (ref.version !== null) {
      const pinned = ref.version;
      const label = `${ref.name}==${pinned}`;
      const matches = new Map<string, boolean>();
      const matching = (version: string) => {
        let m = matches.get(version);
        if (m === undefined) {
          m = matchesPin(version, pinned);
          matches.set(version, m);
        }
        return m;
      };
      const release = result.files.filter((f) => f.version !== null && matching(f.version));
      if (release.length === 0) {
        record(indexes[0], 'missingRelease', ref.name);
        return releaseMissing(
          `${label}: the index has ${ref.name} but no file for the pinned version ${pinned} (${where}); PyPI deletes malware it finds, so a pinned release that vanished is evidence`,
        );
      }
      record(indexes[0], 'found', ref.name);
      const allowed = allowedByLock(release, ref, label);
      if (!allowed.ok) return allowed;
      const chosen = choose(allowed.value, release, ref, label);
      return found({
        ...chosen,
        version: pinned,
        indexes: labels,
        releaseUrl: releaseUrl(chosen.files[0], result.name, pinned),
      });
    }
    const specifier = ref.specifier ?? '';
    // Files grouped by PEP 440 identity (1.0 and 1.0.0 together), keyed once per file: a project can have
    // thousands of versions and files, so no per-file search over the versions seen.
    const byVersion = new Map<string, RegistryFile[]>();
    const spelling = new Map<string, string>();
    for (const f of result.files) {
      if (f.version === null) continue;
      const identity = versionKey(f.version);
      if (!spelling.has(identity)) spelling.set(identity, f.version);
      const key = spelling.get(identity)!;
      const group = byVersion.get(key);
      if (group) group.push(f);
      else byVersion.set(key, [f]);
    }
    const version = newestSatisfying(
      [...byVersion].map(([v, files]) => ({ version: v, yanked: files.every((f) => f.yanked !== false) })),
      specifier,
    );
    if (version === null) {
      record(indexes[0], 'missingRelease', ref.name);
      throw new RegistryError(
        `${ref.name}${specifier}: no non-yanked final release satisfies the specifier (${where})`,
      );
    }
    record(indexes[0], 'found', ref.name);
    notice(
      `${ref.name}${specifier ? ` ${specifier}` : ''} is not pinned: scanned ${version}, the newest release that satisfies it; unpinned scans are not reproducible`,
    );
    const label = `${ref.name}==${version}`;
    const release = byVersion.get(version)!;
    const allowed = allowedByLock(release, ref, label);
    if (!allowed.ok) return allowed;
    const chosen = choose(allowed.value, release, ref, label);
    return found({
      ...chosen,
      version,
      indexes: labels,
      releaseUrl: releaseUrl(chosen.files[0], result.name, version),
    });
  }

  /** Where to GET a file and with which credentials: only its own index's, and only on that index's origin. */
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
    if ((user || password) && credentialsAllowed(url)) {
      // Credentials the index itself wrote into the link: they are the index's to give, for that URL only.
      addSecret(password);
      headers.authorization = basic(user, password);
      addSecret(headers.authorization.slice('Basic '.length));
    } else {
      const index = byLabel.get(file.index);
      if (index?.authorization && index.origin === url.origin && credentialsAllowed(url))
        headers.authorization = index.authorization;
    }
    return { url: url.toString(), headers };
  }

  /** The bytes' sha256, or a hash-mismatch finding unless they match every hash the index states and one the lock pins. */
  function verify(bytes: Uint8Array, file: RegistryFile, ref: PackageRef): OrFinding<string> {
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
      return hashMismatch(
        `${file.filename}: downloaded file differs from the one the index lists (${a} ${digest(a)}, the index states ${stated})`,
      );
    }
    const lock = lockDigests(ref.hashes);
    if (lock.size > 0 && ![...lock].some(([algo, allowed]) => allowed.has(digest(algo)))) {
      return hashMismatch(
        `${file.filename}: downloaded file differs from the one the lockfile pins (sha256 ${sha256} is not among the hashes in ${ref.file}:${ref.line})`,
      );
    }
    return found(sha256);
  }

  async function download(file: RegistryFile, ref: PackageRef): Promise<OrFinding<Artifact>> {
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
    const verified = verify(bytes, file, ref);
    if (!verified.ok) return verified;
    const sha256 = verified.value;
    if (cache && !fromCache) await cache.put(sha256, bytes);
    return found({
      ref,
      filename: file.filename,
      kind: file.kind,
      url: mask(maskUrl(file.url)),
      sha256,
      bytes,
      ...(file.uploadTime ? { uploadTime: file.uploadTime } : {}),
    });
  }

  return {
    indexes: configured.map((i) => i.label),
    getProject,
    resolve,
    sha256Of: (file) => file.hashes.sha256?.toLowerCase(),
    download,
    health: () => [...health.values()].map((h) => ({ ...h, unserved: [...h.unserved] })),
    isTrusted: (url) => {
      try {
        return trusted.has(indexKey(url));
      } catch {
        return false;
      }
    },
  };
}
