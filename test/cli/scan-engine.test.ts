// The CLI's scan door with the real engine on the loopback index: the same flags as the action's inputs,
// progress on stderr, absolute lockfile paths inside the folder, --output as a new file, --base reading
// the config from the base commit and --head reading lockfiles from git objects.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { honestRelease, maliciousRelease } from '../action/fixtures.js';
import { makeRepo } from '../action/harness.js';
import { runCli } from '../helpers/cli.js';
import { startIndexServer } from '../servers/index-server.js';
import { startOsvServer } from '../servers/osv-server.js';

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
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};

/** The CLI's scan against the loopback index (OSV off unless the test passes --osv), through main(). */
const run = (cwd: string, args: string[], extra: Partial<CliIO> = {}) =>
  runCli(
    ['scan', '--index-url', index.url, ...(args.includes('--osv') ? [] : ['--no-osv']), ...args],
    cwd,
    { PMG_CACHE_DIR: join(cwd, '..', `${cwd.split('/').pop()}-cache`) },
    extra,
  );

describe('scan (CLI) with the engine', () => {
  it('prints a progress line per package on stderr with --progress, none without a terminal', async () => {
    const dir = temp('pmg-cli-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n');
    const quiet = await run(dir, []);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).not.toMatch(/\[1\/2\]/);
    const loud = await run(dir, ['--progress']);
    expect(loud.stderr).toMatch(/== requirements\.txt \(requirements, ok, 2 to scan\)/);
    expect(loud.stderr).toMatch(/\[\d\/2\] malicious\s+tidy-tabels 1\.4\.2 \(\d+\.\d s\)/);
    const tty = await run(dir, [], { stderrIsTTY: true });
    expect(tty.stderr).toMatch(/\[2\/2\]/);
  }, 60_000);

  it('takes an absolute --lockfile inside the folder and refuses one outside it', async () => {
    const dir = temp('pmg-cli-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\n');
    const inside = await run(dir, ['--format', 'json', '--lockfile', join(dir, 'requirements.txt')]);
    expect(inside.code).toBe(0);
    expect(JSON.parse(inside.stdout).lockfiles[0].file).toBe('requirements.txt');
    const elsewhere = temp('pmg-else-');
    writeFileSync(join(elsewhere, 'requirements.txt'), 'tidy-tabels==1.4.2\n');
    const outside = await run(dir, ['--lockfile', join(elsewhere, 'requirements.txt')]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/outside the folder being scanned/);
    expect((await run(dir, ['--lockfile', '../x/requirements.txt', '--format', 'json'])).stdout).toMatch(
      /"status": ?"error"/,
    );
    expect((await run(join(dir, 'nope'), [])).code).toBe(2);
  }, 60_000);

  it('writes --output as a new file and refuses a symlink there', async () => {
    const dir = temp('pmg-cli-');
    writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\n');
    const ok = await run(dir, ['--format', 'sarif', '--output', 'out/report.sarif']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out/report.sarif'), 'utf8')).version).toBe('2.1.0');
    const victim = join(temp('pmg-victim-'), 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(dir, 'linked.json'));
    const refused = await run(dir, ['--format', 'json', '--output', 'linked.json']);
    expect(refused.code).toBe(2);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  }, 60_000);

  it('with --base reads the config from the base commit and says the folder changed it; --head reads lockfiles from git', async () => {
    const config = '.github/pypi-malware-gate.yml';
    const ws = makeRepo(
      { 'requirements.txt': '' },
      {
        'requirements.txt': 'tidy-tabels==1.4.2\n',
        [config]: 'allow:\n  - package: tidy-tabels\n    reason: trust me\n',
      },
    );
    const diff = await run(ws.dir, ['--base', ws.baseSha]);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toMatch(
      /warning: \.github\/pypi-malware-gate\.yml: [^\n]*is added in this pull request \(changes allow\)/,
    );
    // Without a base the folder is the trusted commit: its allow entry applies.
    expect((await run(ws.dir, [])).code).toBe(0);
    // --head: the head commit's lockfile, whatever the folder holds now.
    writeFileSync(join(ws.dir, 'requirements.txt'), 'tidy-tables==1.4.2\n');
    const head = await run(ws.dir, ['--base', ws.baseSha, '--head', ws.headSha, '--format', 'json']);
    expect(JSON.parse(head.stdout).packages.map((p: { ref: { name: string } }) => p.ref.name)).toEqual([
      'tidy-tabels',
    ]);
  }, 90_000);

  it('asks OSV with --osv and not with --no-osv', async () => {
    const osv = await startOsvServer({ advisories: [] });
    try {
      const dir = temp('pmg-cli-');
      writeFileSync(join(dir, 'requirements.txt'), 'tidy-tables==1.4.2\n');
      await run(dir, ['--osv-url', osv.url]);
      expect(osv.requests).toEqual([]);
      await run(dir, ['--osv', '--osv-url', osv.url, '--no-cache']);
      expect(osv.requests.length).toBeGreaterThan(0);
    } finally {
      await osv.close();
    }
  }, 60_000);
});
