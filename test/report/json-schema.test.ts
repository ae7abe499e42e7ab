// The JSON report against schema/report.schema.json: the schema is strict (a field the code adds without
// it fails), reporter samples and real scans (cold and warm cache) follow it, and the setup file that
// checks every rendered report is active.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../src/cli/commands/scan.js';
import type { CliIO } from '../../src/cli/io.js';
import { REPORT_SCHEMA_VERSION, renderJson } from '../../src/report/json.js';
import { honestRelease, maliciousRelease } from '../action/fixtures.js';
import { assertReport, validateReport } from '../helpers/report-schema.js';
import { startIndexServer } from '../servers/index-server.js';
import { HOSTILE, pkg, sampleReport } from './sample.js';

let index: Awaited<ReturnType<typeof startIndexServer>>;
const temps: string[] = [];
beforeAll(async () => {
  index = await startIndexServer({
    projects: {
      'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
      'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
    },
  });
});
afterAll(async () => {
  await index.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function scanJson(cwd: string, cache: string, args: string[] = []) {
  let stdout = '';
  const io: CliIO = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: () => {},
    cwd,
    env: { PMG_CACHE_DIR: cache },
  };
  const code = await scanCommand.run(['--index-url', index.url, '--no-osv', '--format', 'json', ...args], io);
  return { code, report: JSON.parse(stdout) };
}

describe('schema/report.schema.json', () => {
  it('is what renderJson writes, versioned', () => {
    const report = JSON.parse(renderJson(sampleReport(HOSTILE)));
    expect(report.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('rejects a report with an undocumented field, a wrong verdict or no schemaVersion', () => {
    const good = JSON.parse(renderJson(sampleReport()));
    expect(() => assertReport({ ...good, extra: 1 })).toThrow(/must NOT have additional properties/);
    const badVerdict = structuredClone(good);
    badVerdict.packages[0].verdict = 'fine';
    expect(() => assertReport(badVerdict)).toThrow(/\/packages\/0\/verdict/);
    const { schemaVersion: _, ...unversioned } = good;
    expect(() => assertReport(unversioned)).toThrow(/schemaVersion/);
    const undocumentedOnPackage = structuredClone(good);
    undocumentedOnPackage.packages[0].newField = true;
    expect(validateReport(undocumentedOnPackage)).toBe(false);
  });

  it('is checked for every report a test renders (the setup file wraps renderJson)', () => {
    const report = sampleReport();
    (report.packages[0] as unknown as Record<string, unknown>).undocumented = 1;
    expect(() => renderJson(report)).toThrow(/does not follow schema\/report\.schema\.json/);
    expect(() =>
      renderJson({ ...sampleReport(), packages: [pkg('x', { verdict: 'allowed', allowedBy: 'r' })] }),
    ).not.toThrow();
  });

  it('holds for real scans, and a warm cache gives the same shape as a cold one (kind and url kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pmg-schema-'));
    temps.push(dir);
    writeFileSync(
      join(dir, 'requirements.txt'),
      'tidy-tables==1.4.2\ntidy-tabels==1.4.2\nmissing-one==1.0\n',
    );
    const cache = `${dir}-cache`;
    temps.push(cache);
    const cold = await scanJson(dir, cache);
    const warm = await scanJson(dir, cache);
    expect(cold.code).toBe(1);
    for (const r of [cold.report, warm.report]) assertReport(r);
    const shape = (report: { packages: { artifacts: unknown[]; verdict: string }[] }) =>
      report.packages.map((p) => ({ verdict: p.verdict, artifacts: p.artifacts }));
    expect(shape(warm.report)).toEqual(shape(cold.report));
    const artifacts = cold.report.packages[0].artifacts;
    expect(artifacts.map((a: { kind: string }) => a.kind).sort()).toEqual(['sdist', 'wheel']);
    for (const a of artifacts) expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    // The warm run read the verdicts from the cache: no archive downloaded again.
    const downloads = index.requests.filter((r) => /\.(whl|tar\.gz)$/.test(r.path));
    expect(downloads.length).toBe(4);
  }, 60_000);
});
