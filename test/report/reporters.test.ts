import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { annotations } from '../../src/report/annotations.js';
import { COMMENT_LIMIT, renderComment } from '../../src/report/comment.js';
import { MARKER } from '../../src/report/common.js';
import { renderJson } from '../../src/report/json.js';
import { renderSarif } from '../../src/report/sarif.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import { HOSTILE, pkg, sampleReport } from './sample.js';

const options = { indexUrl: 'https://pypi.org/simple/', configFile: '.github/pypi-malware-gate.yml' };

// The official SARIF 2.1.0 schema (draft-04), as shipped by @microsoft/jest-sarif.
const require = createRequire(import.meta.url);
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
// unicodeRegExp: false because the official schema has a pattern that is only valid without the u flag.
// CommonJS modules: under NodeNext the default import is module.exports, the class is its .default.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema);

/** Markdown that a hostile name must never produce raw. */
function expectInertMarkdown(md: string): void {
  // Code spans render their content literally (no HTML, no links), so check the text outside them.
  const outside = md.replace(/(?<![\\`])(`+) .*? \1(?!`)/g, '');
  expect(outside).not.toContain('<img');
  expect(outside).not.toMatch(/<\/details><img/);
  expect(outside).not.toContain('@org/team');
  expect(outside).not.toContain('http://evil');
  expect(outside).not.toContain('](http://evil');
  // No table row broken by a raw newline or pipe from the name: every row keeps its column count.
  for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
    const cells = line.replace(/\\\|/g, '').split('|').length;
    expect(cells).toBe(md.includes('| ms |') ? 9 : 8);
  }
}

describe('comment', () => {
  it('starts with the marker, has a row per flagged package, a passed section and how to allow', () => {
    const md = renderComment(sampleReport(), options);
    expect(md.startsWith(MARKER)).toBe(true);
    expect(md).toContain(
      '| ` evil-pkg ` ([project](https://pypi.org/project/evil-pkg/1.0/)) | ` 0.9 -> 1.0 ` |',
    );
    expect(md).not.toContain('\u200d');
    expect(md).toContain('` evil-pkg-1.0/setup.py:7 `');
    expect(md).toContain('1 package(s) scanned and passed');
    expect(md).toContain('How to allow');
  });

  it('says all clear when nothing is flagged', () => {
    const report = sampleReport();
    report.packages = [report.packages[1]!];
    report.counts = { scanned: 1, malicious: 0, suspicious: 0, unscannable: 0, errors: 0 };
    expect(renderComment(report, options)).toMatch(/all clear/);
  });

  it('keeps a hostile package name inert', () => {
    expectInertMarkdown(renderComment(sampleReport(HOSTILE), options));
  });

  it('falls back to a shorter form under the size limit', () => {
    const report = sampleReport();
    const big = Array.from({ length: 3000 }, (_, i) =>
      pkg(`p${i}-${'x'.repeat(40)}`, {
        verdict: 'suspicious',
        score: 0.6,
        evidence: report.packages[0]!.evidence,
      }),
    );
    report.packages.push(...big);
    const md = renderComment(report, options);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.startsWith(MARKER)).toBe(true);
    expect(md).toMatch(/more flagged package\(s\) are not shown here .*job summary.*pypi-malware-gate\.json/);
  });
});

describe('summary', () => {
  it('has every package with its timing, inert for hostile names', () => {
    const md = renderSummary(sampleReport(HOSTILE));
    expect(md).toMatch(/\| 12 \|/);
    expect(md).toMatch(/1 malicious/);
    expectInertMarkdown(md);
  });
});

describe('annotations', () => {
  it('puts each flagged package on its lockfile line with verdict, score and evidence', () => {
    const [a, b] = annotations(sampleReport());
    expect(a).toMatchObject({ level: 'error', file: 'requirements.txt', startLine: 3 });
    expect(a!.title).toMatch(/evil-pkg 0\.9 -> 1\.0 is malicious/);
    expect(a!.message).toMatch(
      /^Found: install-exec-b64 at evil-pkg-1\.0\/setup\.py:7\nWhere in the package:\nevil-pkg-1\.0\/setup\.py:7 install-exec-b64/,
    );
    expect(a!.message).toMatch(/What to do: do not install it/);
    expect(a!.message).not.toMatch(/threshold/);
    expect(b).toMatchObject({ level: 'error' });
    expect(b!.title).toMatch(/gone 1\.0 is unscannable/);
    expect(b!.message).toMatch(/not analysed completely.*\nresolve: gone==1\.0: 404 from index/);
    expect(annotations(sampleReport(), { failOnUnscannable: false })[1]).toMatchObject({ level: 'warning' });
  });
});

describe('unscannable packages and the allow trace in every report', () => {
  const report = () => {
    const r = sampleReport();
    r.packages.push(
      pkg('vetted', {
        verdict: 'allowed',
        allowedBy: 'wheel reviewed by hand',
        gaps: [{ stage: 'archive', artifact: 'vetted-1.0-py3-none-any.whl', reason: 'ratio limit' }],
      }),
    );
    return r;
  };
  const gone = /resolve: gone==1\.0: 404 from index/;
  const vetted = /vetted-1\.0-py3-none-any\.whl: archive: ratio limit/;
  // Markdown escapes and the zero-width joiners that break auto-links, taken out to read the text.
  const md = (text: string) => text.replace(/\\|\u200d/g, '').replace(/`+ | `+/g, '');

  it('comment: counts, the reason in the row, the trace next to the allowed package', () => {
    const text = renderComment(report(), options);
    expect(text).toMatch(/\*\*1 unscannable\*\*/);
    expect(text).toMatch(/:grey_question: unscannable/);
    expect(md(text)).toMatch(gone);
    expect(md(text)).toMatch(
      /allowed: wheel reviewed by hand.*not analysed: vetted-1.0-py3-none-any.whl: archive: ratio limit/,
    );
  });

  it('summary and text', () => {
    expect(md(renderSummary(report()))).toMatch(gone);
    expect(md(renderSummary(report()))).toMatch(/1 unscannable, 0 lockfile error/);
    expect(md(renderSummary(report()))).toMatch(vetted);
    const text = renderText(report());
    expect(text).toMatch(/^UNSCANNABLE gone 1\.0/m);
    expect(text).toMatch(/not analysed: resolve: gone==1\.0: 404 from index/);
    expect(text).toMatch(/^allowed \(wheel reviewed by hand\) vetted 1\.0\n {2}not analysed: .*ratio limit/m);
  });

  it('sarif: an unscannable result with the reason and the gaps as properties', () => {
    const log = JSON.parse(renderSarif(report()));
    expect(validateSarif(log)).toBe(true);
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'unscannable');
    expect(result.level).toBe('error');
    expect(result.message.text).toMatch(gone);
    expect(result.properties.gaps).toEqual([{ stage: 'resolve', reason: 'gone==1.0: 404 from index' }]);
    const relaxed = JSON.parse(renderSarif(report(), undefined, { failOnUnscannable: false }));
    expect(relaxed.runs[0].results[1].level).toBe('warning');
  });

  it('json keeps the gaps', () => {
    const json = JSON.parse(renderJson(report()));
    expect(json.packages.find((p: { ref: { name: string } }) => p.ref.name === 'vetted').gaps).toHaveLength(
      1,
    );
    expect(json.counts.unscannable).toBe(1);
  });
});

describe('sarif', () => {
  it('is valid SARIF 2.1.0 with results at the lockfile line and related in-package locations', () => {
    const log = JSON.parse(renderSarif(sampleReport(HOSTILE)));
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const [result] = log.runs[0].results;
    expect(result.ruleId).toBe('install-exec-b64');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(3);
    expect(result.relatedLocations[0].physicalLocation.region.startLine).toBe(7);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      'install-exec-b64',
      'unscannable',
    ]);
  });

  it('never emits startLine 0', () => {
    const report = sampleReport();
    report.packages[0]!.ref.line = 0;
    report.packages[0]!.evidence[0]!.line = 0;
    const text = renderSarif(report);
    expect(text).not.toMatch(/"startLine": 0/);
    expect(validateSarif(JSON.parse(text))).toBe(true);
  });
});

describe('json and text', () => {
  it('json round-trips the report', () => {
    expect(JSON.parse(renderJson(sampleReport()))).toEqual({ schemaVersion: 1, ...sampleReport() });
  });
  it('text has no control characters from hostile names', () => {
    const text = renderText(sampleReport(`${HOSTILE}\u001b[2J`));
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/^MALICIOUS /);
  });
});
