import { describe, expect, it } from 'vitest';
import { honestGroups } from '../../train/groups.js';
import type { FeatureRow } from '../../train/table.js';

const row = (group: string, name: string, label: 0 | 1, tokens: Record<number, number>): FeatureRow => ({
  id: `${group}/${name}`,
  label,
  source: label ? 'malicious' : 'benign-sdist',
  group,
  name,
  status: 'ok',
  features: {},
  tokens,
});

describe('honest groups', () => {
  it('merges rows by family, by normalised package name and by near-duplicate tokens, within a label', () => {
    const rows = [
      row('mal:a', 'evil-pkg', 1, { 1: 5, 2: 3 }),
      row('mal:b', 'Evil_Pkg', 1, { 7: 1 }), // same name, other family
      row('mal:c', 'other', 1, { 1: 50, 2: 30, 9: 0.1 }), // near-copy of the first (cosine > 0.99)
      row('mal:d', 'unrelated', 1, { 3: 4, 4: 4 }),
      row('ben:x', 'evil-pkg', 0, { 1: 5, 2: 3 }), // a benign row never joins a malicious group
      row('ben:y', 'lib', 0, { 5: 1 }),
    ];
    const { groups, stats } = honestGroups(rows);
    expect(groups[0]).toBe(groups[1]);
    expect(groups[0]).toBe(groups[2]);
    expect(groups[3]).not.toBe(groups[0]);
    expect(groups[4]).not.toBe(groups[0]);
    expect(groups[5]).not.toBe(groups[4]);
    expect(stats.mergedByName).toBe(1);
    expect(stats.mergedByNearDuplicate).toBe(1);
    expect(stats.groups).toBe(4);
  });
});
