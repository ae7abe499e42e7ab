// A report with every kind of package, for reporter tests.
import type { PackageVerdict, ScanReport } from '../../src/types.js';

export const HOSTILE =
  '</details><img src=x onerror=alert(1)> @org/team ` | [x](http://evil.com) ::error::pwned\n# h';

export function pkg(name: string, over: Partial<PackageVerdict> = {}): PackageVerdict {
  return {
    ref: { name, version: '1.0', hashes: [], file: 'requirements.txt', line: 3 },
    change: 'added',
    status: 'ok',
    verdict: 'benign',
    artifacts: [
      {
        filename: `${name}-1.0.tar.gz`,
        sha256: 'ab'.repeat(32),
        kind: 'sdist',
        url: `https://files.example/${name}-1.0.tar.gz`,
      },
    ],
    evidence: [],
    signals: [],
    reasons: [],
    ms: 12,
    ...over,
  };
}

export function sampleReport(name = 'evil-pkg'): ScanReport {
  const packages: PackageVerdict[] = [
    pkg(name, {
      verdict: 'malicious',
      score: 0.97,
      previousVersion: '0.9',
      evidence: [
        {
          rule: 'install-exec-b64',
          category: 'dynamic-code',
          severity: 'critical',
          path: `${name}-1.0/setup.py`,
          line: 7,
          snippet: 'exec(base64.b64decode(PAYLOAD))',
          context: 'install',
        },
      ],
      reasons: ['critical install-time evidence: install-exec-b64'],
    }),
    pkg('requests', {
      ref: { name: 'requests', version: '2.32.3', hashes: [], file: 'requirements.txt', line: 1 },
    }),
    pkg('gone', {
      status: 'error',
      verdict: 'unscannable',
      error: 'resolve: gone==1.0: 404 from index',
      artifacts: [],
      gaps: [{ stage: 'resolve', reason: 'gone==1.0: 404 from index' }],
    }),
  ];
  return {
    tool: { name: 'pypi-malware-gate', version: '0.1.0' },
    mode: 'diff',
    lockfiles: [{ file: 'requirements.txt', format: 'requirements', packages: [], issues: [], status: 'ok' }],
    packages,
    counts: { scanned: 2, malicious: 1, suspicious: 0, unscannable: 1, errors: 0 },
    startedAt: '2026-01-01T00:00:00.000Z',
    ms: 1234,
  };
}
