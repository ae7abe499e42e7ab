// The PR comment a reviewer acts on (issue 14): no zero-width characters, names and paths as code spans,
// links to the project page and the OSV advisory (never a file download), the allow snippet prefilled,
// an expired allow entry said, unscannable reasons shown without the false-positive block, and a large
// pull request kept under GitHub's limit, summary first, saying where the rest is.
import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, renderComment } from '../../src/report/comment.js';
import { pkg, sampleReport } from './sample.js';

const options = { indexUrl: 'https://pypi.org/simple/', configFile: '.github/pypi-malware-gate.yml' };

describe('comment', () => {
  it('has no invisible characters and keeps names and paths as code spans', () => {
    const md = renderComment(sampleReport('evil.pkg'), options);
    expect(md).not.toMatch(/[\u200b-\u200d\u2060]/);
    expect(md).toContain('` evil.pkg-1.0/setup.py:7 `');
    expect(md).toContain('| ` evil.pkg ` ([project](https://pypi.org/project/evil.pkg/1.0/)) |');
  });

  it('links the PyPI project page and the OSV advisory, never an artifact URL', () => {
    const report = sampleReport();
    report.packages[0]!.signals.push({
      id: 'known-malware',
      severity: 'critical',
      decisive: true,
      message: 'evil-pkg 1.0 is known malware: OSV advisory MAL-2025-1234 (steals tokens)',
    });
    const md = renderComment(report, options);
    expect(md).toContain('[project](https://pypi.org/project/evil-pkg/1.0/)');
    expect(md).toContain('[MAL-2025-1234](https://osv.dev/vulnerability/MAL-2025-1234)');
    expect(md).not.toContain('files.example');
    const privateIndex = renderComment(report, { ...options, indexUrl: 'https://pypi.corp.example/simple/' });
    expect(privateIndex).not.toMatch(/\]\(https:\/\/(files|pypi\.corp)/);
  });

  it('prefills the allow snippet with package, version and sha256', () => {
    const md = renderComment(sampleReport(), options);
    expect(md).toMatch(
      /allow:\n {2}- package: "evil-pkg"\n {4}version: "1\.0"\n {4}sha256: "(ab){32}" {2}# evil-pkg-1\.0\.tar\.gz\n {4}reason: /,
    );
  });

  it('says when an allow entry has expired', () => {
    const report = sampleReport();
    report.packages[0]!.reasons.push(
      'allowlist entry for evil-pkg expired on 2025-01-01 and no longer applies',
    );
    expect(renderComment(report, options)).toMatch(
      /:hourglass: allowlist entry for evil\\-pkg expired on 2025/,
    );
  });

  it('shows why a package is unscannable and hides the false-positive block when only those are flagged', () => {
    const report = sampleReport();
    report.packages = report.packages.filter((p) => p.verdict === 'unscannable');
    report.counts = { scanned: 0, malicious: 0, suspicious: 0, unscannable: 1, errors: 0 };
    const md = renderComment(report, options);
    expect(md).toMatch(/\| not analysed completely: resolve: gone==1\\\.0: 404 from index \|/);
    expect(md).not.toMatch(/How to allow/);
  });

  it('shows no evidence for passed packages', () => {
    const report = sampleReport();
    report.packages[1]!.evidence = [
      {
        rule: 'network-access',
        category: 'network',
        severity: 'low',
        path: 'r/x.py',
        line: 1,
        snippet: 'urlopen',
      },
    ];
    const md = renderComment(report, options);
    expect(md).not.toContain('r/x.py');
  });

  it('keeps a 500-package pull request under the limit, summary first, and says where the rest is', () => {
    const report = sampleReport();
    const evidence = report.packages[0]!.evidence;
    for (let i = 0; i < 500; i++)
      report.packages.push(
        pkg(`p${i}-${'x'.repeat(60)}`, {
          verdict: i % 2 ? 'suspicious' : 'malicious',
          score: 0.9,
          evidence: Array.from({ length: 5 }, (_, j) => ({
            ...evidence[0]!,
            line: j + 1,
            snippet: 'y'.repeat(200),
          })),
        }),
      );
    const md = renderComment(report, { ...options, runUrl: 'https://github.com/o/r/actions/runs/1' });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.indexOf('| package |')).toBeGreaterThan(0);
    expect(md.indexOf('| package |')).toBeLessThan(400);
    expect(md).toMatch(/job summary of \[this run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)/);
    expect(md).toMatch(/pypi-malware-gate\.json/);
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(100);
  });
});
