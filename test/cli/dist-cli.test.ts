// Issue 14's CLI items through the bundle a user runs (node dist/cli.js, built from src/ into a temp dir as
// the release is): scan by name against the loopback index with a JSON report that follows the schema,
// `lockfile --json | head` without an EPIPE trace, fetch into a fresh temp folder, usage errors exit 2.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { honestRelease, maliciousRelease } from '../action/fixtures.js';
import { assertReport } from '../helpers/report-schema.js';
import { startIndexServer } from '../servers/index-server.js';

const root = mkdtempSync(join(tmpdir(), 'pmg-dist-cli-'));
const cli = join(root, 'dist', 'cli.js');
let index: Awaited<ReturnType<typeof startIndexServer>>;
beforeAll(async () => {
  execFileSync(process.execPath, ['build.mjs', join(root, 'dist')], { stdio: 'pipe' });
  mkdirSync(join(root, 'tmp'));
  index = await startIndexServer({
    projects: {
      'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
      'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
    },
  });
}, 300_000);
afterAll(async () => {
  await index?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Runs the bundle asynchronously (the loopback index answers from this process). */
async function run(args: string[], cwd = root, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        PMG_CACHE_DIR: join(root, 'cache'),
        TMPDIR: join(root, 'tmp'),
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the bundled CLI', () => {
  it('scans a package by pin and by name with every stage, and the JSON follows the schema', async () => {
    const bad = await run([
      'scan',
      'tidy-tabels==1.4.2',
      '--index-url',
      index.url,
      '--no-osv',
      '--format',
      'json',
    ]);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout);
    assertReport(report);
    expect(report.packages[0]).toMatchObject({ verdict: 'malicious', ref: { file: '<command line>' } });
    const text = await run(['scan', 'tidy-tables', '--index-url', index.url, '--no-osv']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok tidy-tables 1\.4\.2 \(newest\)$/m);
  }, 120_000);

  it('exits 2 with a message for a folder that does not exist and for usage errors', async () => {
    for (const args of [['scan', '/nonexistent'], ['scan', '--format', 'yaml'], ['frobnicate'], ['merge']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/pypi-malware-gate/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  }, 60_000);

  it('stops quietly when the reader of stdout goes away (lockfile --json | head -1)', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `package-${i}==1.0.${i}`).join('\n');
    writeFileSync(join(root, 'requirements.txt'), `${lines}\n`);
    const child = spawn(process.execPath, [cli, 'lockfile', 'requirements.txt', '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // Read one chunk and close the pipe, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  }, 60_000);

  it('fetch without --out writes into a fresh temp folder and says where, never the current folder', async () => {
    const cwd = mkdtempSync(join(root, 'cwd-'));
    const tmp = join(root, 'tmp');
    const r = await run(['fetch', 'tidy-tables==1.4.2', '--index-url', index.url], cwd);
    expect(r.code).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    const where = /writing to (\S+)/.exec(r.stderr)?.[1];
    expect(where?.startsWith(tmp)).toBe(true);
    expect(readdirSync(where!).sort()).toEqual([
      'tidy_tables-1.4.2-py3-none-any.whl',
      'tidy_tables-1.4.2.tar.gz',
    ]);
    expect(existsSync(join(cwd, 'tidy_tables-1.4.2.tar.gz'))).toBe(false);
  }, 60_000);
});
