// Which collected packages this run scans: `exclude` (package-name or lockfile-path globs) leaves packages
// out, and `shard i/n` keeps a deterministic part of the rest, so a matrix of n jobs covers every package
// exactly once. What is left out is returned, so the report and the log can say so: never a silent skip.
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';
import { normalizeName } from '../names.js';
import type { ScanItem } from '../scan.js';
import type { PackageRef } from '../types.js';

export interface Selection {
  items: ScanItem[];
  byLockfile: Map<string, ScanItem[]>;
  excluded: { ref: PackageRef; pattern: string }[];
  /** Packages that belong to other shards. */
  otherShards: number;
}

/**
 * The shard a package belongs to, from a hash of its name and version (not its position): the same
 * release lands in the same shard in every repository, so shards of an organisation's audit that share the
 * verdict cache reuse each other's work, and adding a package does not move the others.
 */
export function shardOf(ref: PackageRef, count: number): number {
  const digest = createHash('sha256')
    .update(`${ref.name}==${ref.version ?? ref.specifier ?? ''}`)
    .digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The pattern that excludes a package: a glob over its PEP 503 name or over its lockfile's path. */
export function excludedBy(ref: PackageRef, patterns: string[]): string | undefined {
  const normalised = normalizeName(ref.name);
  return patterns.find((pattern) => {
    const name = normalizeName(pattern);
    return (
      picomatch.isMatch(normalised, name, { dot: true }) ||
      picomatch.isMatch(ref.file, pattern, { dot: true })
    );
  });
}

export function selectItems(
  items: ScanItem[],
  byLockfile: Map<string, ScanItem[]>,
  options: { exclude: string[]; shard?: { index: number; count: number } },
): Selection {
  const excluded: Selection['excluded'] = [];
  let otherShards = 0;
  const keep = new Set<ScanItem>();
  for (const item of items) {
    const pattern = options.exclude.length > 0 ? excludedBy(item.ref, options.exclude) : undefined;
    if (pattern !== undefined) excluded.push({ ref: item.ref, pattern });
    else if (options.shard && shardOf(item.ref, options.shard.count) !== options.shard.index) otherShards++;
    else keep.add(item);
  }
  const kept = new Map([...byLockfile].map(([file, list]) => [file, list.filter((i) => keep.has(i))]));
  return { items: items.filter((i) => keep.has(i)), byLockfile: kept, excluded, otherShards };
}
