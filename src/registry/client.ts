// The index client: Simple Repository API pages from the indexes a package is locked to (the lockfile's,
// when the trusted configuration names them; else index-url and extra indexes, merged as pip does), the
// choice of the files pip would install on the target platforms, and verified downloads. Answers that are
// evidence (a pinned release gone, bytes that differ from a stated hash, an index nobody configured) are
// returned as findings (OrFinding); failures to get an answer are thrown as RegistryError. The parts:
// trusted.ts (indexes and credentials), project.ts (pages), release.ts (which files), download.ts.
import type { Artifact, OrFinding, PackageRef } from '../types.js';
import { createArtifactCache } from './cache.js';
import { downloader } from './download.js';
import { found, RegistryError, releaseMissing, valueOrThrow } from './errors.js';
import type { HttpSettings } from './http.js';
import { healthLog, type IndexHealth } from './indexes.js';
import { createLimiter } from './limit.js';
import { SecretList } from './mask.js';
import { projectPages } from './project.js';
import { allowedByLock, chooseFiles, newestRelease, pinnedRelease, releaseUrl } from './release.js';
import { DEFAULT_PLATFORMS, targetPlatform } from './tags.js';
import { trustedIndexes } from './trusted.js';
import type { ProjectPage, RegistryFile, Resolution } from './types.js';

export const DEFAULT_INDEX_URL = 'https://pypi.org/simple/';

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

export function createIndexClient(options: IndexClientOptions = {}): IndexClient {
  const secrets = new SecretList();
  const now = options.now ?? (() => new Date());
  const notice = options.onNotice ?? (() => {});
  const warned = new Set<string>();
  const trust = trustedIndexes({
    configured: [options.indexUrl ?? DEFAULT_INDEX_URL, ...(options.extraIndexUrls ?? [])],
    allowedIndexes: options.allowedIndexes,
    token: options.token,
    secrets,
    noticeOnce: (message) => {
      if (warned.has(message)) return;
      warned.add(message);
      notice(message);
    },
  });
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
    secrets: secrets.values,
  };
  const choice = {
    targets: (options.platforms ?? DEFAULT_PLATFORMS).map((id) => {
      try {
        return targetPlatform(id);
      } catch (err) {
        throw new RegistryError((err as Error).message);
      }
    }),
    pythonMinors: options.pythonMinors,
    maxFiles: options.maxFilesPerRelease ?? 24,
  };
  const userAgent = options.userAgent ?? 'pypi-malware-gate';
  const project = projectPages({
    http,
    userAgent,
    maxPageBytes: options.maxPageBytes ?? 64 * 1024 * 1024,
    secrets,
  });
  const download = downloader({
    http,
    userAgent,
    maxArtifactBytes: options.maxArtifactBytes ?? 50 * 1024 * 1024,
    cache: options.cacheDir ? createArtifactCache(options.cacheDir, notice) : undefined,
    secrets,
    request: trust.fileRequest,
  });
  const health = healthLog();

  // The page is history for the signals stage, not evidence: an index that may not be asked is a failure here.
  function getProject(name: string, ref?: PackageRef, declared?: string[]): Promise<ProjectPage> {
    try {
      return project(name, valueOrThrow(trust.indexesFor(ref, declared)));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async function resolve(ref: PackageRef, declared?: string[]): Promise<OrFinding<Resolution>> {
    const trusted = trust.indexesFor(ref, declared);
    if (!trusted.ok) return trusted;
    const indexes = trusted.value;
    const first = indexes[0];
    const labels = indexes.map((i) => i.label);
    const where = labels.join(', ');
    let page: ProjectPage;
    try {
      page = await project(ref.name, indexes);
    } catch (err) {
      health.record(first, 'failed', ref.name);
      throw err;
    }
    if (page.foundOn.length === 0) {
      health.record(first, 'unknownProject', ref.name);
      throw new RegistryError(
        `${ref.name}: the project is not on the index (${where}): pip could not install it from there ` +
          '(a mistyped index-url, or a project the index removed: PyPI removes malware it finds)',
      );
    }
    const specifier = ref.specifier ?? '';
    const release =
      ref.version !== null ? pinnedRelease(page.files, ref.version) : newestRelease(page.files, specifier);
    if (!release) {
      health.record(first, 'missingRelease', ref.name);
      if (ref.version !== null)
        return releaseMissing(
          `${ref.name}==${ref.version}: the index has ${ref.name} but no file for the pinned version ${ref.version} (${where}); PyPI deletes malware it finds, so a pinned release that vanished is evidence`,
        );
      throw new RegistryError(
        `${ref.name}${specifier}: no non-yanked final release satisfies the specifier (${where})`,
      );
    }
    health.record(first, 'found', ref.name);
    if (ref.version === null)
      notice(
        `${ref.name}${specifier ? ` ${specifier}` : ''} is not pinned: scanned ${release.version}, the newest release that satisfies it; unpinned scans are not reproducible`,
      );
    const label = `${ref.name}==${release.version}`;
    const allowed = allowedByLock(release.files, ref, label);
    if (!allowed.ok) return allowed;
    const chosen = chooseFiles(allowed.value, release.files, ref, label, choice);
    return found({
      ...chosen,
      version: release.version,
      indexes: labels,
      releaseUrl: releaseUrl(chosen.files[0], page.name, release.version),
    });
  }

  return {
    indexes: trust.configured.map((i) => i.label),
    getProject,
    resolve,
    sha256Of: (file) => file.hashes.sha256?.toLowerCase(),
    download,
    health: health.list,
    isTrusted: trust.isTrusted,
  };
}
