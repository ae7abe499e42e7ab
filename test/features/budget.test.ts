// The per-package budget and the fail-closed rule for files the extractor could not analyse whole.
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSchema, resolveConfig } from '../../src/config.js';
import { BudgetMeter, budgetFromSeconds, DEFAULT_BUDGET } from '../../src/features/budget.js';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { MAX_PARSE_CHARS } from '../../src/python/index.js';
import { PAYLOAD } from './hostile-shapes.js';
import { PKG_INFO, viewOf } from './view.js';

beforeAll(() => initFeatures());

/** A clock whose CPU time moves `step` ms at every reading. */
function steppingClock(step: number) {
  let now = 0;
  return () => {
    now += step;
    return { cpuMs: now, wallMs: now };
  };
}

const code = (n: number) => `import os\n${'x = os.path.join("a", "b")\n'.repeat(n)}`;

describe('analysis budget', () => {
  it('stops when the CPU time runs out and names the file and the stage', () => {
    const view = viewOf({ 'PKG-INFO': PKG_INFO, 'pkg/__init__.py': code(2000), 'pkg/b.py': code(10) });
    const analysis = extractFeatures(view, { budget: { cpuMs: 50 }, clock: steppingClock(10) });
    expect(analysis.gaps).toHaveLength(1);
    const gap = analysis.gaps?.[0];
    expect(gap?.stage).toBe('budget');
    expect(gap?.path).toBe('pkg/__init__.py');
    expect(gap?.reason).toMatch(
      /during parse of pkg\/__init__\.py: the budget of 0\.05 s of CPU time ran out/,
    );
  });
  it('leaves the parser ready for the next package after a stopped parse', () => {
    const other = viewOf({ 'PKG-INFO': PKG_INFO, 'pkg/__init__.py': PAYLOAD });
    const before = extractFeatures(other);
    const stopped = viewOf({ 'pkg/__init__.py': code(2000) });
    expect(extractFeatures(stopped, { budget: { cpuMs: 50 }, clock: steppingClock(10) }).gaps).toHaveLength(
      1,
    );
    expect(extractFeatures(other)).toEqual(before);
  });
  it('names the rules stage when the time runs out after a file that is not parsed', () => {
    const view = viewOf({ 'PKG-INFO': PKG_INFO, 'pkg/run.sh': 'echo hi\n', 'pkg/b.py': 'y = 2\n' });
    const analysis = extractFeatures(view, { budget: { cpuMs: 5 }, clock: steppingClock(10) });
    expect(analysis.gaps?.map((g) => [g.stage, g.path, /during rules/.test(g.reason)])).toEqual([
      ['budget', 'pkg/run.sh', true],
    ]);
  });
  it('bounds decoded payloads, the nodes of one file and the wall-clock time', () => {
    const decoded = extractFeatures(viewOf({ 'pkg/__init__.py': PAYLOAD }), { budget: { decodedChars: 10 } });
    expect(decoded.gaps?.[0]?.reason).toMatch(
      /during payload decoding of pkg\/__init__\.py.*10 characters decoded/,
    );
    expect(decoded.evidence.some((e) => e.rule === 'exec-decoded-payload')).toBe(true);
    const nodes = extractFeatures(viewOf({ 'pkg/m.py': code(100) }), { budget: { fileNodes: 50 } });
    expect(nodes.gaps?.[0]?.reason).toMatch(/syntax nodes, over the limit of 50/);
    const meter = new BudgetMeter({ wallMs: 5 }, steppingClock(10));
    expect(meter.spent()).toBe(true);
    expect(meter.exceeded).toMatch(/wall-clock/);
  });
  it('has a generous default, and analysis-budget-seconds sets CPU and wall time', () => {
    const view = viewOf({ 'PKG-INFO': PKG_INFO, 'pkg/__init__.py': code(3000) });
    expect(extractFeatures(view).gaps).toBeUndefined();
    expect(budgetFromSeconds(30)).toEqual({ cpuMs: 30_000, wallMs: 120_000 });
    expect(DEFAULT_BUDGET.cpuMs).toBeGreaterThanOrEqual(60_000);
  });
});

describe('files not analysed whole', () => {
  const huge = `${PAYLOAD}URL = "https://discord.com/api/webhooks/1/x"\n${'#'.repeat(MAX_PARSE_CHARS)}\n`;
  it('scans a module too large to parse with the text rules; at import time it is a parse gap', () => {
    const early = extractFeatures(viewOf({ 'pkg/__init__.py': huge }, 'wheel'));
    expect(early.evidence.some((e) => e.rule === 'script-exfil-endpoint' && e.line === 3)).toBe(true);
    expect(early.gaps).toEqual([
      { stage: 'parse', path: 'pkg/__init__.py', reason: expect.stringContaining('parse limit') },
    ]);
    for (const path of ['setup.py', 'mod.py', 'pkg/a.pth', 'pkg/sitecustomize.py']) {
      const gaps = extractFeatures(viewOf({ [path]: huge }, 'wheel')).gaps ?? [];
      expect(
        gaps.map((g) => g.stage),
        path,
      ).toEqual(['parse']);
    }
    const late = extractFeatures(viewOf({ 'pkg/sub/helpers.py': huge }, 'wheel'));
    expect(late.gaps).toBeUndefined();
    expect(late.evidence.some((e) => e.rule === 'script-exfil-endpoint')).toBe(true);
  });
  it('makes a truncated install- or import-time file a gap and still analyses what was read', () => {
    const view = viewOf({ 'pkg/__init__.py': PAYLOAD, 'pkg/sub/x.py': PAYLOAD }, 'wheel');
    for (const e of view.entries) e.truncated = true;
    const analysis = extractFeatures(view);
    expect(analysis.gaps).toEqual([
      { stage: 'archive', path: 'pkg/__init__.py', reason: expect.stringContaining('per-file read limit') },
    ]);
    expect(analysis.evidence.filter((e) => e.rule === 'exec-decoded-payload')).toHaveLength(2);
  });
});

describe('analysis-budget-seconds', () => {
  it('comes from the config file, 120 by default, and must be a positive number of seconds', () => {
    expect(resolveConfig({}, {}).analysisBudgetSeconds).toBe(120);
    expect(DEFAULT_BUDGET.cpuMs).toBe(120_000);
    expect(resolveConfig({}, { 'analysis-budget-seconds': 30 }).analysisBudgetSeconds).toBe(30);
    expect(fileSchema.safeParse({ 'analysis-budget-seconds': 0 }).success).toBe(false);
    expect(fileSchema.safeParse({ 'analysis-budget-seconds': '30' }).success).toBe(false);
  });
});
