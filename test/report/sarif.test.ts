// SARIF as code scanning shows it (issue 14): one stable ruleId per rule described by the rule's own
// description and rationale, helpUri into docs/rules.md, security-severity, plain-words messages with the
// signal's reason, allowed packages as suppressed results, in-package paths without a doubled prefix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ruleCatalog } from '../../src/report/rule-catalog.js';
import { renderSarif } from '../../src/report/sarif.js';
import { pkg, sampleReport } from './sample.js';

const require = createRequire(import.meta.url);
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(
  JSON.parse(
    readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
  ),
);

interface Descriptor {
  fullDescription: { text: string };
  help: { text: string };
  helpUri: string;
  properties: Record<string, string>;
}

function report() {
  const r = sampleReport();
  r.packages.push(
    pkg('other-evil', {
      verdict: 'malicious',
      evidence: [
        {
          rule: 'install-time-process',
          category: 'process',
          severity: 'high',
          path: 'other_evil-1.0/setup.py',
          line: 4,
          snippet: 'os.system("x")',
          message: 'runs a program at install time',
          context: 'install',
        },
      ],
    }),
    pkg('reqeusts', {
      verdict: 'suspicious',
      score: 0.9,
      evidence: [
        {
          rule: 'install-time-process',
          category: 'process',
          severity: 'high',
          path: 'reqeusts/__init__.py',
          line: 2,
          snippet: 'subprocess.run(["id"])',
          context: 'import',
        },
      ],
      signals: [{ id: 'typosquat', severity: 'high', message: 'one letter away from requests' }],
    }),
    pkg('vetted', {
      verdict: 'allowed',
      allowedBy: 'reviewed by the security team',
      evidence: [
        {
          rule: 'network-access',
          category: 'network',
          severity: 'medium',
          path: 'vetted/net.py',
          line: 9,
          snippet: 'urlopen(u)',
          context: 'runtime',
        },
      ],
    }),
  );
  return r;
}

describe('sarif', () => {
  const log = JSON.parse(renderSarif(report()));
  const run = log.runs[0];
  const rules = new Map(run.tool.driver.rules.map((r: { id: string }) => [r.id, r]));

  it('is valid SARIF 2.1.0', () => {
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it("describes each rule once by the catalog's description and rationale, with helpUri and security-severity", () => {
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const doc = ruleCatalog().find((r) => r.id === 'install-time-process')!;
    const rule = rules.get('install-time-process') as Descriptor;
    expect(rule.fullDescription.text).toBe(doc.description);
    expect(rule.help.text).toContain(doc.rationale);
    expect(rule.helpUri).toMatch(/\/docs\/rules\.md#install-time-process$/);
    expect(rule.helpUri).not.toBe('https://github.com/');
    expect(rule.properties['security-severity']).toBe('8.0');
    // Two packages hit by the same rule share one descriptor, not one per hit message.
    expect(run.results.filter((r: { ruleId: string }) => r.ruleId === 'install-time-process')).toHaveLength(
      2,
    );
    expect((rules.get('unscannable') as Descriptor).properties['security-severity']).toBeDefined();
  });

  it("says in plain words what was found, where and what to do, with the signal's reason", () => {
    const typo = run.results.find(
      (r: { properties: { package: string } }) => r.properties.package === 'reqeusts',
    );
    expect(typo.message.text).toMatch(
      /^reqeusts 1\.0 is suspicious: install-time-process at reqeusts\/__init__\.py:2/,
    );
    expect(typo.message.text).toMatch(/Review it before merging/);
    const evil = run.results.find(
      (r: { properties: { package: string } }) => r.properties.package === 'other-evil',
    );
    expect(evil.message.text).toMatch(/remove it from the lockfile/);
    expect(evil.message.text).not.toMatch(/threshold/);
  });

  it('reports an allowed package as a suppressed result with the allow entry as justification', () => {
    const vetted = run.results.find(
      (r: { properties: { package: string } }) => r.properties.package === 'vetted',
    );
    expect(vetted.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'allow entry: reviewed by the security team' },
    ]);
    expect(
      run.results.some((r: { properties: { package: string } }) => r.properties.package === 'requests'),
    ).toBe(false);
  });

  it("puts in-package paths under name-version/ once (an sdist's own top folder is not doubled)", () => {
    const uris = run.results.flatMap(
      (r: { relatedLocations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.relatedLocations.map((l) => l.physicalLocation.artifactLocation.uri),
    );
    expect(uris).toContain('other_evil-1.0/setup.py');
    expect(uris).toContain('reqeusts-1.0/reqeusts/__init__.py');
    expect(uris).toContain('evil-pkg-1.0/setup.py');
    for (const uri of uris) expect(uri).not.toMatch(/^([^/]+)\/\1\//);
  });
});
