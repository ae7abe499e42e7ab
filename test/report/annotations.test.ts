// Annotations in plain words (issue 14): what was found, where, the signal's reason even when the score
// already made the package suspicious, what to do; never the raw threshold arithmetic.
import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/report/annotations.js';
import { pkg, sampleReport } from './sample.js';

describe('annotations', () => {
  it("keep a typosquat or missing-release signal's reason beside a score, and say what to do", () => {
    const report = sampleReport();
    report.packages = [
      pkg('reqeusts', {
        verdict: 'suspicious',
        score: 0.8,
        reasons: [
          'score 0.80 >= suspicious threshold 0.41234',
          'signal typosquat: one letter away from requests',
        ],
        signals: [
          { id: 'typosquat', severity: 'high', message: 'one letter away from requests' },
          {
            id: 'release-missing',
            severity: 'medium',
            message: 'reqeusts 1.0: the pinned release is not on the index',
          },
        ],
      }),
      pkg('modelonly', {
        verdict: 'suspicious',
        score: 0.55,
        reasons: ['allowlist entry for modelonly expired on 2025-01-01 and no longer applies'],
      }),
    ];
    const [typo, model] = annotations(report);
    expect(typo!.message).toMatch(/^Found: typosquat: one letter away from requests$/m);
    expect(typo!.message).toMatch(
      /^release-missing: reqeusts 1\.0: the pinned release is not on the index$/m,
    );
    expect(typo!.message).toMatch(/^What to do: review/m);
    expect(typo!.message).not.toMatch(/threshold/);
    expect(model!.message).toMatch(/^allowlist entry for modelonly expired on 2025-01-01/m);
  });
});
