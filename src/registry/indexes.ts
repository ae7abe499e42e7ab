// Which index a lockfile URL names, and whether the indexes answered: a key to compare index URLs by
// (credentials, case, default port and trailing slash aside), and the run-level check that fails a run
// whose index answered nothing useful for most pins (a mistyped index-url must not pass green).

/** pypi.org and its file host: never given the private index's token, linked by project page. */
export const isPublicPypi = (host: string): boolean =>
  ['pypi.org', 'pythonhosted.org'].some((h) => host === h || host.endsWith(`.${h}`));

/** Old spellings of the public index, which pip and Pipfile.lock still carry. */
const PUBLIC_ALIASES = new Set(['https://pypi.python.org/simple/', 'https://pypi.org/simple/']);

/** A URL's identity as an index: scheme, host and port lower-cased, path ending in '/', no credentials. */
export function indexKey(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  url.hash = '';
  url.search = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const key = url.toString();
  return PUBLIC_ALIASES.has(key) ? 'https://pypi.org/simple/' : key;
}

/** How one index served the refs it was asked for first (its refs' primary index). */
export interface IndexHealth {
  /** Masked URL. */
  index: string;
  /** Refs resolved with this index first. */
  asked: number;
  /** Refs for which it (with the extra indexes) served files of the wanted release. */
  found: number;
  /** Refs whose project it does not know (404). */
  unknownProject: number;
  /** Refs whose project it knows but not the pinned release. */
  missingRelease: number;
  /** Refs it did not answer (HTTP errors, unreadable pages, timeouts). */
  failed: number;
  /** The first few project names it served nothing for (shown in the message). */
  unserved: string[];
}

export type HealthOutcome = 'found' | 'unknownProject' | 'missingRelease' | 'failed';

/** Per first-asked index, how the refs it was asked for went. */
export function healthLog(): {
  record(index: { label: string } | undefined, outcome: HealthOutcome, name: string): void;
  list(): IndexHealth[];
} {
  const health = new Map<string, IndexHealth>();
  return {
    record(index, outcome, name) {
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
    },
    list: () => [...health.values()].map((h) => ({ ...h, unserved: [...h.unserved] })),
  };
}

/**
 * Indexes that answered nothing useful for most of their pins: the run fails with a message naming the
 * index, whatever the per-package verdicts (a mistyped index-url is a configuration error, not 153
 * separate package problems). `minAsked`: below it a single unknown project is left to the per-package
 * verdict; default 3.
 */
export function indexProblems(health: IndexHealth[], minAsked = 3): string[] {
  const problems: string[] = [];
  for (const h of health) {
    if (h.asked === 0) continue;
    const useless = h.asked - h.found;
    const mostlyUseless = h.asked >= minAsked && useless * 2 > h.asked;
    if (h.found > 0 && !mostlyUseless) continue;
    const parts = [
      h.unknownProject ? `${h.unknownProject} unknown project(s)` : '',
      h.missingRelease ? `${h.missingRelease} missing release(s)` : '',
      h.failed ? `${h.failed} failed request(s)` : '',
    ].filter(Boolean);
    const names =
      h.unserved.length > 0 ? `: ${h.unserved.join(', ')}${useless > h.unserved.length ? ', ...' : ''}` : '';
    problems.push(
      `index ${h.index} served nothing for ${useless} of the ${h.asked} package(s) asked (${parts.join(', ')}${names}): ` +
        'a mistyped index-url or extra-index-urls, a missing index token, or projects the index removed',
    );
  }
  return problems;
}

/** A ref's identity within the scan, to look up the indexes its lockfile declares. */
export const refKey = (ref: { file: string; line: number; name: string }): string =>
  `${ref.file}\n${ref.line}\n${ref.name}`;

/**
 * The index URLs pip asks for each package of a requirements file: its --index-url / --extra-index-url
 * options apply to every requirement it installs (included files too), so each package gets the file's
 * whole list. Other formats lock each package to its own source (PackageRef.source) and are left out.
 */
export function declaredIndexes(
  lockfiles: readonly {
    format: string;
    indexUrls?: string[];
    packages: readonly { file: string; line: number; name: string }[];
  }[],
): Map<string, string[]> {
  const byRef = new Map<string, string[]>();
  for (const lockfile of lockfiles) {
    if (lockfile.format !== 'requirements' || !lockfile.indexUrls?.length) continue;
    for (const ref of lockfile.packages) byRef.set(refKey(ref), lockfile.indexUrls);
  }
  return byRef;
}

/**
 * Lockfiles that name an index the configuration does not trust, whether or not a package changed: a
 * pull request that only adds `--extra-index-url https://attacker/simple/` to a requirements file makes
 * pip look for every package there (and take the attacker's wheel when its tags rank higher), so the run
 * fails even when the diff has no package to scan. `mask` hides credentials in the URLs shown.
 */
export function untrustedLockfileIndexes(
  lockfiles: readonly { file: string; indexUrls?: string[]; packages: readonly { source?: string }[] }[],
  isTrusted: (url: string) => boolean,
  mask: (url: string) => string,
): string[] {
  const problems: string[] = [];
  for (const lockfile of lockfiles) {
    const named = new Set(lockfile.indexUrls ?? []);
    // Every source but a direct reference names an index (file:// and relative registries included).
    for (const p of lockfile.packages)
      if (p.source && !['url', 'vcs', 'path'].includes(p.source)) named.add(p.source);
    const untrusted = [...named].filter((url) => !isTrusted(url));
    if (untrusted.length === 0) continue;
    problems.push(
      `${lockfile.file} has pip fetch packages from ${untrusted.map(mask).join(', ')}, which the configuration does not name ` +
        '(index-url, extra-index-urls, allowed-indexes in the base branch): add it there if it is trusted',
    );
  }
  return problems;
}
