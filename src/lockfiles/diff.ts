// What changed between two parses of the same project: keyed by name + markers, so a package locked
// twice for different markers diffs entry by entry.
import type { DiffResult, PackageRef } from '../types.js';

function key(ref: PackageRef): string {
  return `${ref.name}\u0000${ref.markers ?? ''}`;
}

function group(refs: PackageRef[]): Map<string, PackageRef[]> {
  const out = new Map<string, PackageRef[]>();
  for (const r of refs) {
    const list = out.get(key(r)) ?? [];
    list.push(r);
    out.set(key(r), list);
  }
  return out;
}

function sameHashes(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((h) => s.has(h));
}

function identical(a: PackageRef, b: PackageRef): boolean {
  return (
    a.version === b.version &&
    (a.specifier ?? '') === (b.specifier ?? '') &&
    (a.url ?? '') === (b.url ?? '') &&
    (a.source ?? '') === (b.source ?? '') &&
    sameHashes(a.hashes, b.hashes)
  );
}

export function diffPackages(base: PackageRef[], head: PackageRef[]): DiffResult {
  const result: DiffResult = { added: [], changed: [], removed: [] };
  const baseGroups = group(base);
  const headGroups = group(head);
  for (const [k, heads] of headGroups) {
    const bases = [...(baseGroups.get(k) ?? [])];
    const unmatched: PackageRef[] = [];
    // Identical entries first (the same package listed in two files stays unchanged), then pair by order.
    for (const h of heads) {
      const i = bases.findIndex((b) => identical(b, h));
      if (i >= 0) bases.splice(i, 1);
      else unmatched.push(h);
    }
    for (const h of unmatched) {
      const prev = bases.shift();
      if (prev) result.changed.push({ ref: h, previous: prev });
      else result.added.push(h);
    }
    result.removed.push(...bases);
  }
  for (const [k, bases] of baseGroups) if (!headGroups.has(k)) result.removed.push(...bases);
  return result;
}

/**
 * What changed in a changed entry, in words: '1.17.1 -> 1.17.2', or '1.17.1 (hashes changed)' when only
 * the pinned files differ (a re-upload or a different wheel set), or the source / URL that changed.
 */
export function describeChange(ref: PackageRef, previous: PackageRef): string {
  const was = previous.version ?? (previous.specifier || '(any)');
  const now = ref.version ?? (ref.specifier || '(any)');
  if (was !== now) return `${was} -> ${now}`;
  const what: string[] = [];
  if ((ref.source ?? '') !== (previous.source ?? '')) what.push('source changed');
  if ((ref.url ?? '') !== (previous.url ?? '')) what.push('URL changed');
  if (!sameHashes(ref.hashes, previous.hashes)) what.push('hashes changed');
  return `${now} (${what.join(', ') || 'changed'})`;
}
