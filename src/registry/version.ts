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
