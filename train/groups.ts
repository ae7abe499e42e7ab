// Honest groups for k-fold: rows that are copies of each other must not sit on both sides of a split.
// The malicious `family` column is too fine (one package name spans several families, and near-copies
// of a sample sit under other families), so groups are merged by union-find over: the row's own group
// (family, or the Debian source a sdist or wheel was built from), the normalised package name within a
// label, and near-duplicates (cosine >= 0.99 over hashed text tokens) within a label. Near-duplicates are
// found by comparing rows that share one of their three heaviest token buckets: a pair that close
// shares its heaviest tokens, so the comparison stays far below all pairs.
import { projectGroup } from './corpus.js';
import type { FeatureRow } from './table.js';

export const NEAR_DUPLICATE = 0.99;
const BUCKET_CAP = 400;

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    let x = i;
    while (this.parent[x] !== r) {
      const next = this.parent[x]!;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

interface Sparse {
  keys: number[];
  values: Map<number, number>;
  norm: number;
}

function sparse(tokens: Record<number, number>): Sparse {
  const values = new Map<number, number>();
  let sq = 0;
  for (const [k, v] of Object.entries(tokens)) {
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) continue;
    values.set(Number(k), x);
    sq += x * x;
  }
  const keys = [...values.keys()].sort((a, b) => (values.get(b) ?? 0) - (values.get(a) ?? 0) || a - b);
  return { keys, values, norm: Math.sqrt(sq) };
}

export function cosine(a: Sparse, b: Sparse): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.values.size <= b.values.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [k, v] of small.values) dot += v * (large.values.get(k) ?? 0);
  return dot / (a.norm * b.norm);
}

export interface GroupStats {
  groups: number;
  mergedByName: number;
  mergedByNearDuplicate: number;
}

/** One group label per row (see the file comment); `stats` counts the merges each rule made. */
export function honestGroups(rows: readonly FeatureRow[]): { groups: string[]; stats: GroupStats } {
  const uf = new UnionFind(rows.length);
  const first = new Map<string, number>();
  const join = (key: string, i: number): boolean => {
    const j = first.get(key);
    if (j === undefined) {
      first.set(key, i);
      return false;
    }
    const merged = uf.find(i) !== uf.find(j);
    uf.union(i, j);
    return merged;
  };
  rows.forEach((r, i) => {
    join(`group:${r.group}`, i);
  });
  let mergedByName = 0;
  rows.forEach((r, i) => {
    if (r.source === 'benign-sdist' || r.source === 'benign-wheel' || !r.name) return;
    if (join(`name:${r.label}:${projectGroup(r.name)}`, i)) mergedByName++;
  });
  let mergedByNearDuplicate = 0;
  for (const label of [0, 1] as const) {
    const idx = rows.flatMap((r, i) => (r.label === label && r.status === 'ok' ? [i] : []));
    const vec = new Map(idx.map((i) => [i, sparse(rows[i]!.tokens)]));
    const buckets = new Map<number, number[]>();
    for (const i of idx) {
      for (const k of vec.get(i)!.keys.slice(0, 3)) {
        const list = buckets.get(k) ?? [];
        if (list.length < BUCKET_CAP) list.push(i);
        buckets.set(k, list);
      }
    }
    for (const list of buckets.values()) {
      for (let a = 0; a < list.length; a++) {
        for (let b = a + 1; b < list.length; b++) {
          const i = list[a]!;
          const j = list[b]!;
          if (uf.find(i) === uf.find(j)) continue;
          if (cosine(vec.get(i)!, vec.get(j)!) >= NEAR_DUPLICATE) {
            uf.union(i, j);
            mergedByNearDuplicate++;
          }
        }
      }
    }
  }
  const groups = rows.map((_, i) => `${rows[uf.find(i)]!.group}+`);
  return { groups, stats: { groups: new Set(groups).size, mergedByName, mergedByNearDuplicate } };
}
