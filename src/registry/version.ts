// Picks the version to scan for an unpinned ref: the newest non-yanked, non-pre-release version
// that satisfies the specifier (PEP 440 via @renovatebot/pep440).
import { compare, explain, satisfies, valid } from '@renovatebot/pep440';

export interface VersionCandidate {
  version: string;
  /** True when every file of this version is yanked (PEP 592). */
  yanked: boolean;
}

/** The newest acceptable version, or null when none satisfies `specifier` (empty = any). */
export function newestSatisfying(candidates: VersionCandidate[], specifier: string): string | null {
  const acceptable = candidates.filter((c) => {
    if (c.yanked || !valid(c.version)) return false;
    if (explain(c.version)?.is_prerelease) return false;
    return specifier.trim() === '' || satisfies(c.version, specifier);
  });
  acceptable.sort((a, b) => compare(b.version, a.version));
  return acceptable[0]?.version ?? null;
}

/**
 * pip's version matching for a pin: `==1.0` also matches `1.0+local` (PEP 440: a public pin ignores the
 * candidate's local label); `==1.0+cpu` matches only that local version.
 */
export function matchesPin(candidate: string, pinned: string): boolean {
  if (!valid(candidate) || !valid(pinned)) return candidate === pinned;
  try {
    return satisfies(candidate, `==${pinned}`);
  } catch {
    return compare(candidate, pinned) === 0;
  }
}

/** A version's PEP 440 identity as a string: equal keys for equal versions (1.0, 1.0.0, v1.0). */
export function versionKey(version: string): string {
  const e = valid(version) ? explain(version) : null;
  if (!e) return `raw:${version}`;
  const release = [...e.release];
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  return JSON.stringify([e.epoch, release, e.pre, e.post, e.dev, e.local]);
}
