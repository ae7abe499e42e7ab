import { describe, expect, it } from 'vitest';
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
  it('fails a package only as decide() would', () => {
    const thresholds = { malicious: 0.8, suspicious: 0.3 };
    const rows = [
      row({}, ['network-access']), // high score with located evidence
      row({}, []), // high score, nothing located: suspicious, not failed
      row({ 'rule.critical_early': 1 }, ['exec-decoded-payload']), // critical, score in the suspicious band
      row({ 'rule.critical_early': 1 }, ['exec-decoded-payload']), // critical, low score: warns only
      row({}, ['network-access']), // evidence, low score
    ];
    expect(Array.from(verdictFlags(rows, [0.9, 0.95, 0.4, 0.1, 0.2], thresholds))).toEqual([1, 0, 1, 0, 0]);
  });
});
