import { describe, expect, it } from 'vitest';
import { type DecideInput, decide, gapText, isExpired } from '../../src/policy.js';
import type { Evidence, Gap, Signal } from '../../src/types.js';

const now = new Date('2026-06-01T12:00:00Z');
const thresholds = { malicious: 0.8, suspicious: 0.5 };
const located: Evidence = {
  rule: 'exec-base64',
  category: 'dynamic-code',
  severity: 'high',
  path: 'pkg-1.0/setup.py',
  line: 3,
  snippet: 'exec(...)',
  context: 'runtime',
};
const criticalInstall: Evidence = { ...located, severity: 'critical', context: 'install' };
const mal: Signal = { id: 'osv:MAL-2026-1', severity: 'critical', message: 'known malware', decisive: true };
const typo: Signal = { id: 'typosquat', severity: 'high', message: 'close to requests' };
const missing: Signal = {
  id: 'release-missing',
  severity: 'medium',
  message: 'evil-pkg==1.0 is not on the index',
};
const refused: Gap = {
  stage: 'archive',
  artifact: 'evil_pkg-1.0-py3-none-any.whl',
  reason: 'the archive could not be read in full: ratio limit',
};

const base: DecideInput = {
  ref: { name: 'Evil_Pkg', version: '1.0' },
  thresholds,
  evidence: [],
  signals: [],
  allow: [],
  now,
};

describe('decide', () => {
  const table: [string, Partial<DecideInput>, string][] = [
    ['no score, no evidence', {}, 'benign'],
    ['low score', { score: 0.1 }, 'benign'],
    ['middle band', { score: 0.6 }, 'suspicious'],
    ['high score with located evidence', { score: 0.9, evidence: [located] }, 'malicious'],
    ['high score without evidence', { score: 0.9 }, 'suspicious'],
    ['decisive signal alone', { signals: [mal] }, 'malicious'],
    ['typosquat alone warns', { signals: [typo] }, 'suspicious'],
    [
      'critical install-time evidence, suspicious score',
      { score: 0.6, evidence: [criticalInstall] },
      'malicious',
    ],
    ['critical install-time evidence, no model', { evidence: [criticalInstall] }, 'malicious'],
    // Behaviour decides: strong install/import-time evidence fails on its own; the model cannot veto it.
    ['critical install-time evidence, low score', { score: 0.1, evidence: [criticalInstall] }, 'malicious'],
    [
      'high import-time evidence (reached from module level), low score',
      { score: 0.01, evidence: [{ ...located, context: 'import' }] },
      'malicious',
    ],
    [
      'critical install-time evidence in tests does not fail',
      { score: 0.1, evidence: [{ ...criticalInstall, path: 'pkg-1.0/tests/test_setup.py' }] },
      'benign',
    ],
    [
      'a known-benign idiom (coverage .pth line) does not fail',
      {
        score: 0.1,
        evidence: [
          {
            ...criticalInstall,
            rule: 'pth-executable',
            path: 'coverage.pth',
            line: 1,
            snippet: 'import coverage; coverage.process_startup()',
          },
        ],
      },
      'benign',
    ],
    [
      'the same .pth rule with a payload line fails when the model scores it malicious',
      {
        score: 0.85,
        evidence: [
          {
            ...criticalInstall,
            rule: 'pth-executable',
            path: 'coverage.pth',
            line: 1,
            snippet: 'import coverage; exec(__import__("base64").b64decode("..."))',
          },
        ],
      },
      'malicious',
    ],
    [
      'a score in the suspicious band does not back it (honest .pth lines and build scripts score there)',
      {
        score: 0.6,
        evidence: [
          { ...criticalInstall, rule: 'pth-executable', path: 'coverage.pth', line: 1, snippet: 'import x' },
        ],
      },
      'suspicious',
    ],
    [
      'a rule that needs corroboration warns against a low score',
      { score: 0.1, evidence: [{ ...criticalInstall, rule: 'download-and-execute' }] },
      'suspicious',
    ],
    [
      'env-exfil at critical (the environment, a secret or the identity sent while installing) decides alone',
      { score: 0.1, evidence: [{ ...criticalInstall, rule: 'env-exfil' }] },
      'malicious',
    ],
    [
      'env-exfil at high still needs backing',
      {
        score: 0.1,
        evidence: [{ ...criticalInstall, rule: 'env-exfil', severity: 'high', context: 'import' }],
      },
      'suspicious',
    ],
    [
      'two such rules in the same file back each other against a low score (a diluting host)',
      {
        score: 0.1,
        evidence: [
          { ...criticalInstall, rule: 'download-and-execute' },
          { ...criticalInstall, rule: 'exfil-endpoint', severity: 'high', line: 9 },
        ],
      },
      'malicious',
    ],
    [
      'two hits of one rule, or two rules in different files, do not',
      {
        score: 0.1,
        evidence: [
          { ...criticalInstall, rule: 'download-and-execute' },
          { ...criticalInstall, rule: 'download-and-execute', line: 9 },
          { ...criticalInstall, rule: 'exfil-endpoint', path: 'pkg-1.0/pkg/other.py' },
        ],
      },
      'suspicious',
    ],
    [
      'a version bump that adds such a hit backs it (a hijacked release)',
      {
        score: 0.1,
        evidence: [{ ...criticalInstall, rule: 'download-and-execute' }],
        signals: [
          {
            id: 'version-diff',
            severity: 'high',
            message: '1.0 -> 1.1 adds download-and-execute',
            evidence: [{ ...criticalInstall, rule: 'download-and-execute' }],
          },
        ],
      },
      'malicious',
    ],
    [
      'a version-diff naming another hit does not',
      {
        score: 0.1,
        evidence: [{ ...criticalInstall, rule: 'download-and-execute' }],
        signals: [
          {
            id: 'version-diff',
            severity: 'medium',
            message: '1.0 -> 1.1 adds network-access',
            evidence: [{ ...criticalInstall, rule: 'network-access', severity: 'medium', line: 40 }],
          },
        ],
      },
      'suspicious',
    ],
    [
      'the same rule without a model fails',
      { evidence: [{ ...criticalInstall, rule: 'download-and-execute' }] },
      'malicious',
    ],
    [
      'a high score with only low-severity or test evidence is not located',
      {
        score: 0.9,
        evidence: [
          { ...located, severity: 'low' },
          { ...located, path: 'pkg-1.0/docs/conf.py', severity: 'medium' },
        ],
      },
      'suspicious',
    ],
    ['high evidence, no model', { evidence: [located] }, 'suspicious'],
    ['high evidence, low model score', { score: 0.1, evidence: [located] }, 'benign'],
    [
      'allowed by name',
      { score: 0.95, evidence: [located], allow: [{ package: 'evil-pkg', reason: 'ours' }] },
      'allowed',
    ],
    [
      'allow for another version does not apply',
      { score: 0.95, evidence: [located], allow: [{ package: 'evil-pkg', version: '2.0', reason: 'x' }] },
      'malicious',
    ],
    [
      'allow by sha256',
      {
        score: 0.95,
        evidence: [located],
        sha256s: ['ab'.repeat(32)],
        allow: [{ package: 'evil-pkg', sha256: `sha256:${'AB'.repeat(32)}`, reason: 'pinned' }],
      },
      'allowed',
    ],
    [
      'allow with another sha256 does not apply',
      {
        score: 0.95,
        evidence: [located],
        sha256s: ['ab'.repeat(32)],
        allow: [{ package: 'evil-pkg', sha256: 'cd'.repeat(32), reason: 'pinned' }],
      },
      'malicious',
    ],
    [
      'expired allow stops applying',
      { signals: [mal], allow: [{ package: 'evil-pkg', reason: 'x', expires: '2026-05-31' }] },
      'malicious',
    ],
    [
      'allow expiring today still applies',
      { signals: [mal], allow: [{ package: 'evil-pkg', reason: 'x', expires: '2026-06-01' }] },
      'allowed',
    ],
    [
      'a pinned release the index does not serve is at least suspicious',
      { signals: [missing] },
      'suspicious',
    ],
    ['a gap rules out benign', { gaps: [refused] }, 'unscannable'],
    ['a gap outranks suspicious (it fails by default)', { score: 0.6, gaps: [refused] }, 'unscannable'],
    ['malicious evidence wins over a gap', { score: 0.9, evidence: [located], gaps: [refused] }, 'malicious'],
    ['a decisive signal wins over a gap', { signals: [mal], gaps: [refused] }, 'malicious'],
    [
      'an allow entry applies to an unscannable package',
      { gaps: [refused], allow: [{ package: 'evil-pkg', version: '1.0', reason: 'reviewed' }] },
      'allowed',
    ],
    [
      'an expired allow entry does not',
      { gaps: [refused], allow: [{ package: 'evil-pkg', reason: 'x', expires: '2026-01-01' }] },
      'unscannable',
    ],
  ];
  it.each(table)('%s', (_name, over, verdict) => {
    expect(decide({ ...base, ...over }).verdict).toBe(verdict);
  });

  it('says why an expired entry did not apply', () => {
    const d = decide({
      ...base,
      signals: [mal],
      allow: [{ package: 'evil-pkg', reason: 'x', expires: '2026-01-01' }],
    });
    expect(d.reasons.join('\n')).toMatch(/expired on 2026-01-01/);
  });

  it('keeps the raw verdict and the reason when allowed', () => {
    const d = decide({ ...base, signals: [mal], allow: [{ package: 'evil-pkg', reason: 'vendored fork' }] });
    expect(d).toMatchObject({ verdict: 'allowed', raw: 'malicious', allowedBy: 'vendored fork' });
  });
});

describe('gaps in the decision', () => {
  it('names each gap first in the reasons, and keeps the raw verdict when allowed', () => {
    const d = decide({
      ...base,
      gaps: [refused, { stage: 'parse', path: 'pkg/setup.py', reason: 'too large' }],
    });
    expect(d.reasons.slice(0, 2)).toEqual([
      'not analysed: evil_pkg-1.0-py3-none-any.whl: archive: the archive could not be read in full: ratio limit',
      'not analysed: pkg/setup.py: parse: too large',
    ]);
    const allowed = decide({
      ...base,
      gaps: [refused],
      allow: [{ package: 'evil-pkg', reason: 'reviewed' }],
    });
    expect(allowed).toMatchObject({ verdict: 'allowed', raw: 'unscannable', allowedBy: 'reviewed' });
  });

  it('gapText shows only the parts that are known', () => {
    expect(gapText({ stage: 'resolve', reason: 'no index' })).toBe('resolve: no index');
    expect(gapText({ stage: 'decode', artifact: 'a.whl', path: 'a/x.py', reason: 'utf-7' })).toBe(
      'a.whl: a/x.py: decode: utf-7',
    );
  });
});

describe('isExpired', () => {
  it('treats an unparseable date as expired', () => {
    expect(isExpired({ package: 'a', reason: 'r', expires: 'soon' }, now)).toBe(true);
  });
});
