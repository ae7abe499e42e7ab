// Issue 14, the CLI a team reaches for (in-process, real engine on the loopback index): packages by name,
// exclude and shard through the settings table, usage errors that exit 2, inspect --fail-on.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { excludedBy, selectItems, shardOf } from '../../src/engine/select.js';
import type { PackageRef } from '../../src/types.js';
import { honestRelease, maliciousRelease } from '../action/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { assertReport } from '../helpers/report-schema.js';
import { startIndexServer } from '../servers/index-server.js';
import { startOsvServer } from '../servers/osv-server.js';

let index: Awaited<ReturnType<typeof startIndexServer>>;
const temps: string[] = [];
beforeAll(async () => {
  index = await startIndexServer({
    projects: {
      'tidy-tables': {
        versions: [honestRelease('tidy-tables', '1.4.1'), honestRelease('tidy-tables', '1.4.2')],
      },
      'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
    },
  });
});
afterAll(async () => {
  await index.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};

/** The CLI's scan against the loopback index (OSV off unless the test passes --osv), through main(). */
const scan = (cwd: string, args: string[]) =>
  runCli(['scan', '--index-url', index.url, ...(args.includes('--osv') ? [] : ['--no-osv']), ...args], cwd, {
    PMG_CACHE_DIR: `${cwd}-cache`,
  });

describe('scan <requirement>', () => {
  it('resolves, fetches and judges a pinned package through the engine; the report names the command line', async () => {
    const dir = temp('pmg-pkg-');
    const bad = await scan(dir, ['tidy-tabels==1.4.2', '--format', 'json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report.packages).toHaveLength(1);
    expect(report.packages[0]).toMatchObject({
      verdict: 'malicious',
      ref: { name: 'tidy-tabels', version: '1.4.2', file: '<command line>', line: 1 },
    });
    expect(report.lockfiles[0].file).toBe('<command line>');
    // Index requests for the release were made: not a lookup in a table.
    expect(index.requests.some((r) => r.path.includes('tidy-tabels'))).toBe(true);
  }, 60_000);

  it('takes a bare name as the newest release and says the scan is not reproducible', async () => {
    const dir = temp('pmg-pkg-');
    const ok = await scan(dir, ['tidy-tables', '--format', 'json']);
    expect(ok.code).toBe(0);
    const p = JSON.parse(ok.stdout).packages[0];
    expect(p.verdict).toBe('benign');
    expect(p.resolvedVersion).toBe('1.4.2');
    expect(ok.stderr).toMatch(
      /scanned 1\.4\.2, the newest release that satisfies it; unpinned scans are not reproducible/,
    );
    const text = await scan(dir, ['tidy-tables']);
    expect(text.stdout).toMatch(/^ok tidy-tables 1\.4\.2 \(newest\)$/m);
  }, 60_000);

  it('applies the signals like the action: an OSV advisory on the newest release makes it malicious, linked in markdown', async () => {
    const osv = await startOsvServer({
      advisories: [
        {
          id: 'MAL-2025-4242',
          summary: 'steals tokens',
          affected: [{ name: 'tidy-tables', versions: ['1.4.2'] }],
        },
      ],
    });
    try {
      const dir = temp('pmg-pkg-');
      const r = await scan(dir, [
        'tidy-tables',
        '--osv',
        '--osv-url',
        osv.url,
        '--no-cache',
        '--format',
        'json',
      ]);
      expect(r.code).toBe(1);
      const p = JSON.parse(r.stdout).packages[0];
      expect(p.verdict).toBe('malicious');
      expect(p.signals.map((s: { id: string }) => s.id)).toContain('known-malware');
      const text = await scan(dir, ['tidy-tables', '--osv', '--osv-url', osv.url]);
      expect(text.stdout).toMatch(/^ {2}why: known-malware: .*OSV advisory MAL-2025-4242/m);
      const md = await scan(dir, ['tidy-tables', '--osv', '--osv-url', osv.url, '--format', 'markdown']);
      expect(md.stdout).toContain('[MAL-2025-4242](https://osv.dev/vulnerability/MAL-2025-4242)');
    } finally {
      await osv.close();
    }
  }, 60_000);

  it("applies the current folder's config file (an allow entry) to packages named on the command line", async () => {
    const dir = temp('pmg-pkg-');
    mkdirSync(join(dir, '.github'));
    writeFileSync(
      join(dir, '.github/pypi-malware-gate.yml'),
      'allow:\n  - package: tidy-tabels\n    version: "1.4.2"\n    reason: reviewed by the security team\n',
    );
    const allowed = await scan(dir, ['tidy-tabels==1.4.2', '--format', 'json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).packages[0].verdict).toBe('allowed');
  }, 60_000);

  it('refuses what is neither a folder nor a requirement, and folder flags with packages (exit 2)', async () => {
    const dir = temp('pmg-pkg-');
    for (const args of [
      ['/nonexistent'],
      ['./nope'],
      ['tidy-tables==1.4.2', '--base', 'HEAD'],
      ['tidy-tables', '--lockfile', 'requirements.txt'],
      ['tidy-tables', '--timeout', 'soon'],
      ['tidy-tables', '--shard', '3/2'],
      ['tidy-tables', '--config-file', 'missing.yml'],
    ]) {
      const r = await scan(dir, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).not.toBe('');
    }
    expect((await scan(dir, ['/nonexistent'])).stderr).toMatch(/no such folder to scan/);
  }, 60_000);
});

describe('exclude and shard', () => {
  const ref = (name: string, version = '1.0', file = 'requirements.txt'): PackageRef => ({
    name,
    version,
    hashes: [],
    file,
    line: 1,
  });

  it('matches package names as pip normalises them, and lockfile paths', () => {
    expect(excludedBy(ref('internal-tools'), ['internal_*'])).toBe('internal_*');
    expect(excludedBy(ref('zope-interface'), ['zope.*'])).toBe('zope.*');
    expect(excludedBy(ref('requests', '1', 'docs/requirements.txt'), ['docs/**'])).toBe('docs/**');
    expect(excludedBy(ref('requests'), ['docs/**', 'internal-*'])).toBeUndefined();
  });

  it('splits the package list into disjoint shards that cover it, the same way every time', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ ref: ref(`pkg-${i}`) }));
    const byLockfile = new Map([['requirements.txt', items]]);
    const parts = [1, 2, 3, 4].map(
      (index) => selectItems(items, byLockfile, { exclude: [], shard: { index, count: 4 } }).items,
    );
    const all = parts.flat().map((i) => i.ref.name);
    expect(new Set(all).size).toBe(200);
    expect(all).toHaveLength(200);
    for (const part of parts) expect(part.length).toBeGreaterThan(20);
    expect(shardOf(ref('requests', '2.32.3'), 4)).toBe(shardOf(ref('requests', '2.32.3', 'other.txt'), 4));
  });

  it('leaves excluded packages out and names them in the JSON report (flag and config key)', async () => {
    const dir = temp('pmg-ex-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n');
    const flagged = await scan(dir, ['--exclude', 'tidy-tab?ls', '--format', 'json']);
    expect(flagged.code).toBe(0);
    const report = JSON.parse(flagged.stdout);
    expect(report.packages.map((p: { ref: PackageRef }) => p.ref.name)).toEqual(['tidy-tables']);
    expect(report.excluded).toEqual([
      { name: 'tidy-tabels', version: '1.4.2', file: 'requirements.txt', line: 2, pattern: 'tidy-tab?ls' },
    ]);
    expect(flagged.stderr).toMatch(/1 package\(s\) not scanned because exclude names them: tidy-tabels/);
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/pypi-malware-gate.yml'), 'exclude:\n  - tidy-tabels\n');
    expect((await scan(dir, [])).code).toBe(0);
    writeFileSync(join(dir, '.github/pypi-malware-gate.yml'), 'exclude: tidy-tabels\n');
    const invalid = await scan(dir, []);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/pypi-malware-gate\.yml:1: exclude/);
  }, 60_000);

  it('scans each package in exactly one of n shards, and the report says which shard it was', async () => {
    const dir = temp('pmg-shard-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n');
    const names: string[] = [];
    for (const i of [1, 2, 3]) {
      const r = await scan(dir, ['--shard', `${i}/3`, '--format', 'json']);
      const report = JSON.parse(r.stdout);
      expect(report.shard).toMatchObject({ index: i, count: 3 });
      expect(r.code).toBe(
        report.packages.some((p: { verdict: string }) => p.verdict === 'malicious') ? 1 : 0,
      );
      names.push(...report.packages.map((p: { ref: PackageRef }) => p.ref.name));
    }
    expect(names.sort()).toEqual(['tidy-tabels', 'tidy-tables']);
  }, 60_000);
});

describe('usage errors exit 2 with a message', () => {
  it.each([
    [['nosuchcommand']],
    [['scan', '--format', 'yaml']],
    [['scan', '--nosuchflag']],
    [['inspect']],
    [['inspect', 'x', '--fail-on', 'sometimes']],
    [['lockfile']],
    [['lockfile', 'requirements.txt', '--format', 'nope']],
    [['diff', 'a']],
    [['fetch']],
    [['fetch', 'not a requirement']],
    [['merge']],
  ])('%j', async (argv) => {
    const r = await runCli(argv, temp('pmg-usage-'));
    expect(r.code).toBe(2);
    expect(r.stderr.length).toBeGreaterThan(0);
  });
});

describe('merge', () => {
  it('combines the shards of a scan into one report, and says when a shard is missing (exit 1)', async () => {
    const dir = temp('pmg-merge-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n');
    const files: string[] = [];
    for (const i of [1, 2, 3]) {
      await scan(dir, ['--shard', `${i}/3`, '--format', 'json', '--output', `shard-${i}.json`]);
      files.push(`shard-${i}.json`);
    }
    const merged = await runCli(['merge', ...files, '--output', 'all.json'], dir);
    expect(merged.code).toBe(1); // the malicious package fails the merged report at --fail-on malicious
    const report = JSON.parse(readFileSync(join(dir, 'all.json'), 'utf8'));
    assertReport(report);
    expect(report.packages.map((p: { ref: PackageRef }) => p.ref.name).sort()).toEqual([
      'tidy-tabels',
      'tidy-tables',
    ]);
    expect(report.lockfiles).toHaveLength(1);
    expect(report.counts).toMatchObject({ malicious: 1, scanned: 2 });
    expect(report.merged.map((m: { shard: string }) => m.shard)).toEqual(['1/3', '2/3', '3/3']);
    expect(report.shard).toBeUndefined();
    const partial = await runCli(['merge', files[0]!, files[2]!, '--fail-on', 'never'], dir);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/shard\(s\) 2\/3 missing/);
    const never = await runCli(['merge', ...files, '--fail-on', 'never'], dir);
    expect(never.code).toBe(0);
  }, 60_000);

  it('labels the reports of several repositories, and refuses what is not a report (exit 2)', async () => {
    const a = temp('pmg-merge-a-');
    writeFileSync(join(a, 'requirements.txt'), 'tidy-tables==1.4.2\n');
    await scan(a, ['--format', 'json', '--output', 'r.json']);
    const merged = await runCli(
      ['merge', `${join(a, 'r.json')}=org/api`, `${join(a, 'r.json')}=org/web`, '--fail-on', 'malicious'],
      a,
    );
    expect(merged.code).toBe(0);
    const report = JSON.parse(merged.stdout);
    expect(report.lockfiles.map((l: { file: string }) => l.file)).toEqual([
      'org/api/requirements.txt',
      'org/web/requirements.txt',
    ]);
    expect(report.packages.map((p: { ref: PackageRef }) => p.ref.file)).toEqual([
      'org/api/requirements.txt',
      'org/web/requirements.txt',
    ]);
    writeFileSync(join(a, 'old.json'), JSON.stringify({ tool: {}, packages: [], lockfiles: [] }));
    const old = await runCli(['merge', 'old.json'], a);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/old\.json: schemaVersion undefined is not 1/);
    writeFileSync(join(a, 'bad.json'), '{');
    expect((await runCli(['merge', 'bad.json'], a)).stderr).toMatch(/bad\.json: not JSON/);
    expect((await runCli(['merge', 'r.json=../../etc'], a)).code).toBe(2);
  }, 60_000);

  it('merges SARIF logs into one run with the rules united and each result once', async () => {
    const dir = temp('pmg-merge-sarif-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n');
    for (const i of [1, 2])
      await scan(dir, ['--shard', `${i}/2`, '--format', 'sarif', '--output', `s${i}.sarif`]);
    await scan(dir, ['--format', 'sarif', '--output', 'whole.sarif']);
    const merged = await runCli(['merge', 's1.sarif', 's2.sarif', 'whole.sarif'], dir);
    expect(merged.code).toBe(0);
    const log = JSON.parse(merged.stdout);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const whole = JSON.parse(readFileSync(join(dir, 'whole.sarif'), 'utf8'));
    expect(log.runs[0].results).toEqual(whole.runs[0].results);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id).sort()).toEqual(
      whole.runs[0].tool.driver.rules.map((r: { id: string }) => r.id).sort(),
    );
  }, 60_000);
});

describe('inspect --fail-on', () => {
  it('exits 1 on a malicious archive (the default fail-on), 0 with --fail-on never', async () => {
    const dir = temp('pmg-inspect-');
    const served = maliciousRelease('tidy-tabels', '1.4.2');
    writeFileSync(join(dir, 'evil.tar.gz'), served.files[0]!.bytes);
    writeFileSync(join(dir, 'honest.tar.gz'), honestRelease('tidy-tables', '1.4.2').files[0]!.bytes);
    const bad = await runCli(['inspect', 'evil.tar.gz'], dir);
    expect(bad.stdout).toMatch(/-> malicious/);
    expect(bad.code).toBe(1);
    expect((await runCli(['inspect', 'evil.tar.gz', '--fail-on', 'never'], dir)).code).toBe(0);
    const honest = await runCli(['inspect', 'honest.tar.gz', '--fail-on', 'suspicious'], dir);
    expect(honest.stdout).toMatch(/-> benign/);
    expect(honest.code).toBe(0);
  }, 60_000);
});
