import { describe, expect, it } from 'vitest';
import { diffPackages } from '../../src/lockfiles/index.js';
import type { PackageRef } from '../../src/types.js';

const ref = (name: string, version: string | null, extra: Partial<PackageRef> = {}): PackageRef => ({
  name,
  version,
  hashes: [],
  file: 'requirements.txt',
  line: 1,
  ...extra,
});

describe('diffPackages', () => {
  it('finds added, changed (keeping the old version) and removed packages', () => {
    const base = [ref('a', '1.0'), ref('b', '1.0'), ref('c', '1.0')];
    const head = [ref('a', '1.0', { line: 9 }), ref('b', '2.0'), ref('d', '1.0')];
    const d = diffPackages(base, head);
    expect(d.added.map((p) => p.name)).toEqual(['d']);
    expect(d.changed.map((c) => [c.ref.name, c.previous.version, c.ref.version])).toEqual([
      ['b', '1.0', '2.0'],
    ]);
    expect(d.removed.map((p) => p.name)).toEqual(['c']);
  });

  it('a changed hash with the same version is a change (a re-upload or a swapped file)', () => {
    const d = diffPackages(
      [ref('a', '1.0', { hashes: ['sha256:aa'] })],
      [ref('a', '1.0', { hashes: ['sha256:bb'] })],
    );
    expect(d.changed).toHaveLength(1);
    expect(
      diffPackages([ref('a', '1', { hashes: ['x', 'y'] })], [ref('a', '1', { hashes: ['y', 'x'] })]).changed,
    ).toEqual([]);
  });

  it('keys by name and markers', () => {
    const old = ref('numpy', '1.0', { markers: 'python_version < "3.10"' });
    const cur = ref('numpy', '2.0', { markers: 'python_version >= "3.10"' });
    const d = diffPackages([old, cur], [old, ref('numpy', '2.1', { markers: cur.markers })]);
    expect(d.changed.map((c) => c.ref.version)).toEqual(['2.1']);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('a new direct reference replacing an index package is a change', () => {
    const d = diffPackages(
      [ref('a', '1.0')],
      [ref('a', null, { source: 'vcs', url: 'git+https://x/a.git' })],
    );
    expect(d.changed).toHaveLength(1);
  });
});
