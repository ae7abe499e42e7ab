// What can go wrong when asking an index, split in two: a RegistryError is a failure to get an answer
// (network, HTTP status, size limit, deadline) and becomes a per-package error; a RegistryFinding is an
// answer that is itself evidence (a pinned release the index no longer has, a file whose hash differs
// from the one the index or the lockfile states) and becomes a signal that policy decides on.
import type { Signal } from '../types.js';

/** The index could not be asked or did not answer usefully. Messages never contain credentials. */
export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** An index answer that is evidence about the package; `signal` goes to policy like any other signal. */
export class RegistryFinding extends Error {
  override name = 'RegistryFinding';
  constructor(readonly signal: Signal) {
    super(signal.message);
  }
}

/** A pinned release the index does not serve: PyPI deletes the malware it finds, so this is evidence. */
export function releaseMissing(message: string): RegistryFinding {
  return new RegistryFinding({ id: 'release-missing', severity: 'medium', message });
}

/** The bytes differ from the hash the index or the lockfile states: decisive, fails the check. */
export function hashMismatch(message: string): RegistryFinding {
  return new RegistryFinding({ id: 'hash-mismatch', severity: 'critical', decisive: true, message });
}

/**
 * A lockfile locks a package to an index the trusted configuration does not name (index-url,
 * extra-index-urls, allowed-indexes): pip would fetch it from there, so a pull request could point a
 * package at its own index. The index is not asked, so nothing is analysed: the package is unscannable
 * with this signal as the reason, and the run fails on the lockfile itself (untrustedLockfileIndexes).
 * Not decisive: an honest internal package on an index nobody configured is not malware.
 */
export function untrustedIndex(message: string): RegistryFinding {
  return new RegistryFinding({ id: 'untrusted-index', severity: 'high', message });
}
