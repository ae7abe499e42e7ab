import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/types.js';
import type { FeatureRow } from '../../train/table.js';
import { verdictFlags } from '../../train/verdicts.js';

const row = (features: Record<string, number>, rules: string[]): FeatureRow => ({
  id: 'x',
  label: 1,
  source: 'malicious',
  group: 'g',
  name: 'p',
  status: 'ok',
  features,
  tokens: {},
  rules,
});

describe('verdictFlags (the gate through decide())', () => {
  it('fails a package only as decide() would (rows cached before evidence was kept)', () => {
    const thresholds = { malicious: 0.8, suspicious: 0.3 };
    const rows = [
      row({}, ['network-access']), // high score with located evidence
      row({}, []), // high score, nothing located: suspicious, not failed
      row({ 'rule.critical_early': 1 }, ['exec-decoded-payload']), // critical early evidence
      row({ 'rule.critical_early': 1 }, ['exec-decoded-payload']), // critical early evidence fails at any score
      row({}, ['network-access']), // evidence, low score
    ];
    expect(Array.from(verdictFlags(rows, [0.9, 0.95, 0.4, 0.1, 0.2], thresholds))).toEqual([1, 0, 1, 1, 0]);
  });

  it("uses a row's cached evidence: strong early evidence fails, tests and low hits do not count", () => {
    const thresholds = { malicious: 0.8, suspicious: 0.3 };
    const at = (
      severity: Evidence['severity'],
      context: Evidence['context'],
      path = 'pkg/__init__.py',
    ): Evidence => ({
      rule: 'r',
      category: 'process',
      severity,
      context,
      path,
      line: 2,
      snippet: 'x',
    });
    const rows = [
      { ...row({}, ['r']), evidence: [at('high', 'import')] },
      { ...row({}, ['r']), evidence: [at('critical', 'install', 'pkg/tests/test_x.py')] },
      { ...row({}, ['r']), evidence: [at('high', 'runtime')] },
      { ...row({}, ['r']), evidence: [] },
    ];
    expect(Array.from(verdictFlags(rows, [0.01, 0.01, 0.2, 0.95], thresholds))).toEqual([1, 0, 0, 0]);
  });
});
