// Unit rows in training (train/dataset.ts): a row's strongest file alone trains beside it, and the row's
// figures use the higher of the two scores, as the gate does at run time (src/model/score.ts).
import { describe, expect, it } from 'vitest';
import { buildDataset, packageScores, unitRow } from '../../train/dataset.js';
import type { FeatureRow } from '../../train/table.js';

const row = (id: string, label: 0 | 1, unit?: boolean): FeatureRow => ({
  id,
  label,
  source: label ? 'malicious' : 'benign-sdist',
  group: `g:${id}`,
  name: id,
  status: 'ok',
  features: { a: 1 },
  tokens: {},
  evidence: [
    { rule: 'r', category: 'process', severity: 'high', path: `${id}/x.py`, line: 1, snippet: 's' },
    { rule: 'r', category: 'process', severity: 'high', path: `${id}/y.py`, line: 1, snippet: 's' },
  ],
  ...(unit ? { unit: { path: `${id}/x.py`, features: { a: 2 }, tokens: { 3: 1 } } } : {}),
});

describe('unit rows', () => {
  it('take the label, group and parent of their row, and only the evidence in their file', () => {
    const u = unitRow(row('p', 1, true))!;
    expect(u).toMatchObject({ id: 'unit:p', label: 1, source: 'malicious-unit', group: 'g:p', parent: 'p' });
    expect(u.features).toEqual({ a: 2 });
    expect(u.evidence?.map((e) => e.path)).toEqual(['p/x.py']);
    expect(unitRow(row('b', 0, true))?.source).toBe('benign-unit');
    expect(unitRow(row('n', 0))).toBeUndefined();
  });

  it("score a package with the higher of its own and its unit's score, when both are scored", () => {
    const rows = [row('p', 1, true), row('q', 0), row('b', 0, true)];
    const data = buildDataset([...rows, ...rows.flatMap((r) => unitRow(r) ?? [])]);
    expect(Array.from(data.unitOf)).toEqual([3, -1, 4, -1, -1]);
    expect(Array.from(packageScores(data, [0, 1, 2, 3, 4], [0.1, 0.2, 0.9, 0.8, 0.3]))).toEqual([
      0.8, 0.2, 0.9, 0.8, 0.3,
    ]);
    // A unit that was not scored alongside leaves its row's score as it is.
    expect(Array.from(packageScores(data, [0, 1], [0.1, 0.2]))).toEqual([0.1, 0.2]);
  });
});
