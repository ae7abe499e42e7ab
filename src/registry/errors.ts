// What can go wrong when asking an index, split in two: a RegistryError is a failure to get an answer
// (network, HTTP status, size limit, deadline), thrown, and becomes a per-package gap; a finding is an
// answer that is itself evidence (a pinned release the index no longer has, a file whose hash differs
// from the one the index or the lockfile states), returned as a value (OrFinding) for policy to decide on.
import type { OrFinding, Signal } from '../types.js';

/** The index could not be asked or did not answer usefully. Messages never contain credentials. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** The failing side of OrFinding: fits any OrFinding<T>. */
export type Finding = Extract<OrFinding<never>, { ok: false }>;

export const found = <T>(value: T): OrFinding<T> => ({ ok: true, value });

const finding = (signal: Signal): Finding => ({ ok: false, finding: signal });

/** A pinned release the index does not serve: PyPI deletes the malware it finds, so this is evidence. */
export function releaseMissing(message: string): Finding {
  return finding({ id: 'release-missing', severity: 'medium', message });
}

/** The bytes differ from the hash the index or the lockfile states: decisive, fails the check. */
export function hashMismatch(message: string): Finding {
  return finding({ id: 'hash-mismatch', severity: 'critical', decisive: true, message });
}

/**
 * A lockfile locks a package to an index the trusted configuration does not name (index-url,
 * extra-index-urls, allowed-indexes): pip would fetch it from there, so a pull request could point a
 * package at its own index. The index is not asked, so nothing is analysed: the package is unscannable
 * with this signal as the reason, and the run fails on the lockfile itself (untrustedLockfileIndexes).
 * Not decisive: an honest internal package on an index nobody configured is not malware.
 */
export function untrustedIndex(message: string): Finding {
  return finding({ id: 'untrusted-index', severity: 'high', message });
}

/**
 * The value, or the finding as a thrown RegistryError: for callers to whom it is not evidence but a reason
 * the answer is missing (the index history, the previous release's analysis for the version diff).
 */
export function valueOrThrow<T>(result: OrFinding<T>): T {
  if (result.ok) return result.value;
  throw new RegistryError(result.finding.message);
}
