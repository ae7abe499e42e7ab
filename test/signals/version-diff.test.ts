import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython } from '../../src/python/index.js';
import { runRules } from '../../src/rules/index.js';
import { addedEvidence, packagePath, versionDiffSignals } from '../../src/signals/version-diff.js';
import type { Analysis, Evidence } from '../../src/types.js';

const analysis = (evidence: Evidence[]): Analysis => ({ features: {}, tokens: {}, evidence, notes: [] });
const ev = (over: Partial<Evidence>): Evidence => ({
  rule: 'process-execution',
  category: 'process',
  severity: 'high',
  path: 'pkg-1.2.3/setup.py',
  line: 3,
  snippet: "subprocess.run(['ls'])",
  context: 'install',
  ...over,
});
const versions = { from: '1.2.3', to: '1.2.4' };

const cases: { title: string; before: Evidence[]; after: Evidence[]; added: number; severity?: string }[] = [
  { title: 'nothing before, nothing after', before: [], after: [], added: 0 },
  {
    title: 'the same finding moved to another line and versioned folder is not new',
    before: [ev({})],
    after: [ev({ path: 'pkg-1.2.4/setup.py', line: 9 })],
    added: 0,
  },
  {
    title: 'a snippet that differs only by the version string is not new',
    before: [ev({ snippet: "fetch('https://x.org/1.2.3/a')", rule: 'network-access', category: 'network' })],
    after: [ev({ snippet: "fetch('https://x.org/1.2.4/a')", rule: 'network-access', category: 'network' })],
    added: 0,
  },
  {
    title: 'a new process call in setup.py',
    before: [],
    after: [ev({ path: 'pkg-1.2.4/setup.py' })],
    added: 1,
    severity: 'high',
  },
  {
    title: 'a second copy of an existing finding is new (multiset)',
    before: [ev({})],
    after: [ev({}), ev({ line: 10 })],
    added: 1,
    severity: 'high',
  },
  {
    title: 'runtime and test code are out of scope',
    before: [],
    after: [ev({ context: 'runtime' }), ev({ context: 'test' })],
    added: 0,
  },
  {
    title: 'a new binary counts wherever it is',
    before: [],
    after: [
      ev({ rule: 'binary', category: 'files', context: undefined, severity: 'medium', path: 'pkg/x.so' }),
    ],
    added: 1,
    severity: 'medium',
  },
  {
    title: 'metadata findings are not behaviour',
    before: [],
    after: [ev({ rule: 'meta', category: 'metadata' })],
    added: 0,
  },
  {
    title: 'an import-time finding is new, a removed one is not reported',
    before: [ev({ rule: 'network-access', category: 'network', path: 'pkg-1.2.3/pkg/old.py' })],
    after: [
      ev({ rule: 'obfuscated-identifiers', category: 'obfuscation', severity: 'low', context: 'import' }),
    ],
    added: 1,
    severity: 'low',
  },
];

describe('versionDiffSignals', () => {
  it.each(cases)('$title', ({ before, after, added, severity }) => {
    expect(addedEvidence(analysis(before), analysis(after), versions)).toHaveLength(added);
    const signals = versionDiffSignals(analysis(before), analysis(after), versions);
    expect(signals).toHaveLength(added > 0 ? 1 : 0);
    if (signals[0]) {
      expect(signals[0]).toMatchObject({ id: 'version-diff', severity });
      expect(signals[0].evidence).toHaveLength(added);
      expect(signals[0].message).toMatch(/^1\.2\.3 -> 1\.2\.4 adds /);
      expect(signals[0].decisive).toBeFalsy();
    }
  });

  it('strips only a versioned top folder from paths', () => {
    expect(packagePath('pkg-1.2.4/setup.py', versions)).toBe('setup.py');
    expect(packagePath('pkg-1.2.4.dist-info/RECORD', versions)).toBe('RECORD');
    expect(packagePath('pkg/__init__.py', versions)).toBe('pkg/__init__.py');
  });
});

describe('versionDiffSignals over the real rules', () => {
  beforeAll(() => initPython());

  const setupPy = (extra: string) =>
    `import base64\nfrom setuptools import setup\n${extra}setup(name='popular', version='x')\n`;
  const evidenceOf = (version: string, source: string) =>
    analysis(runRules(parsePython(source, `popular-${version}/setup.py`)));

  it('reports the base64-decoded exec a patch release adds to setup.py, as high with the evidence', () => {
    const old = evidenceOf('1.2.3', setupPy(''));
    const hijacked = evidenceOf('1.2.4', setupPy("exec(base64.b64decode('cHJpbnQoMSk='))\n"));
    const [signal] = versionDiffSignals(old, hijacked, versions);
    expect(signal).toBeDefined();
    expect(signal!.severity).toBe('high');
    expect(signal!.message).toContain('1.2.3 -> 1.2.4 adds');
    expect(signal!.message).toContain('setup.py:3');
    expect(signal!.evidence!.map((e) => e.rule)).toContain('exec-decoded-payload');
  });

  it('says nothing when the patch release only changes the version', () => {
    const code = "import subprocess\nsubprocess.run(['git', 'describe'])\n";
    const old = evidenceOf('1.2.3', setupPy(code));
    expect(old.evidence.length).toBeGreaterThan(0);
    expect(versionDiffSignals(old, evidenceOf('1.2.4', setupPy(code)), versions)).toEqual([]);
  });
});
