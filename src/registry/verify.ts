// Hash checks: the lockfile's hashes by algorithm (pip's --require-hashes), and downloaded bytes against
// every hash the index states and one the lockfile pins. A mismatch is a finding, not an error.
import { createHash } from 'node:crypto';
import type { OrFinding, PackageRef } from '../types.js';
import { found, hashMismatch } from './errors.js';
import type { RegistryFile } from './types.js';

/** The algorithms pip accepts in a lockfile hash (hashlib's guaranteed ones). */
const SUPPORTED_HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

/** Lockfile hashes ("sha256:<hex>") by algorithm, lowercased; unsupported algorithms dropped. */
export function lockDigests(hashes: readonly string[]): Map<string, Set<string>> {
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

/** The bytes' sha256, or a hash-mismatch finding unless they match every hash the index states and one the lock pins. */
export function verifyBytes(bytes: Uint8Array, file: RegistryFile, ref: PackageRef): OrFinding<string> {
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
