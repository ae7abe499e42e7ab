// The CLI's text report (issue 14): one "why" line per flagged package, from its gap, decisive signal,
// strongest evidence or other signal; snippets stay on one line with newlines shown as \n.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { pkg, sampleReport } from './sample.js';

describe('renderText', () => {
  it('gives every flagged package a why line', () => {
    const report = sampleReport();
    report.packages.push(
      pkg('mismatched', {
        verdict: 'malicious',
        signals: [
          {
            id: 'hash-mismatch',
            severity: 'critical',
            decisive: true,
            message: 'mismatched-1.0.tar.gz: sha256 differs from the lockfile',
          },
        ],
      }),
      pkg('reqeusts', {
        verdict: 'suspicious',
        signals: [{ id: 'typosquat', severity: 'high', message: 'name is one edit away from requests' }],
      }),
    );
    const text = renderText(report);
    expect(text).toMatch(
      /^MALICIOUS mismatched 1\.0 \(score -\) at requirements\.txt:3\n {2}why: hash-mismatch: mismatched-1\.0\.tar\.gz: sha256 differs from the lockfile$/m,
    );
    expect(text).toMatch(
      /^MALICIOUS evil-pkg 0\.9 -> 1\.0 .*\n {2}why: install-exec-b64 at evil-pkg-1\.0\/setup\.py:7$/m,
    );
    expect(text).toMatch(
      /^SUSPICIOUS reqeusts 1\.0 .*\n {2}why: typosquat: name is one edit away from requests$/m,
    );
    expect(text).toMatch(/^UNSCANNABLE gone 1\.0 .*\n {2}why: not analysed completely: .*404 from index$/m);
    expect(text).toMatch(/^ {2}signal typosquat: name is one edit away from requests$/m);
  });

  it('shows newlines in snippets as \\n and other control characters as \\x escapes', () => {
    const report = sampleReport();
    report.packages[0]!.evidence[0]!.snippet = 'import os\nos.system("x")\u001b[2J';
    const text = renderText(report);
    expect(text).toContain('import os\\nos.system("x")\\x1b[2J');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\ufffd');
  });
});
