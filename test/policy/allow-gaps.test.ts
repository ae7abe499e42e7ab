// Allow entries and gaps: an entry lets an unscannable package through with its reason; one pinned to a
// file's sha256 vouches for that file only, so a gap in another artifact stays unscannable.
import { describe, expect, it } from 'vitest';
import { type DecideInput, decide } from '../../src/policy.js';

const sdist = { name: 'pkg-1.0.tar.gz', sha: 'aa'.repeat(32) };
const wheel = { name: 'pkg-1.0-py3-none-any.whl', sha: 'bb'.repeat(32) };
const base: DecideInput = {
  ref: { name: 'pkg', version: '1.0' },
  thresholds: { malicious: 0.8, suspicious: 0.5 },
  evidence: [],
  signals: [],
  sha256s: [sdist.sha, wheel.sha],
  artifactSha256s: { [sdist.name]: sdist.sha, [wheel.name]: wheel.sha },
  allow: [],
  now: new Date('2026-06-01T00:00:00Z'),
  gaps: [{ stage: 'archive', artifact: wheel.name, reason: 'ratio limit' }],
};
const pinned = (sha: string) => [
  { package: 'pkg', sha256: `sha256:${sha.toUpperCase()}`, reason: 'file reviewed' },
];

describe('allow entries for unscannable packages', () => {
  it('an entry by name and version applies, keeping the raw verdict', () => {
    const d = decide({ ...base, allow: [{ package: 'pkg', version: '1.0', reason: 'reviewed' }] });
    expect(d).toMatchObject({ verdict: 'allowed', raw: 'unscannable', allowedBy: 'reviewed' });
  });

  it('an entry pinned to the file with the gap applies', () => {
    expect(decide({ ...base, allow: pinned(wheel.sha) }).verdict).toBe('allowed');
  });

  it('an entry pinned to another file of the release does not vouch for the unread one', () => {
    expect(decide({ ...base, allow: pinned(sdist.sha) }).verdict).toBe('unscannable');
  });

  it('a pinned entry does not excuse a gap that names no file (nothing from the index, a direct reference)', () => {
    const gaps = [...base.gaps!, { stage: 'resolve' as const, reason: 'the index offers nothing more' }];
    expect(decide({ ...base, gaps, allow: pinned(wheel.sha) }).verdict).toBe('unscannable');
  });
});
