// The `scan` CLI command: the CLI's door to the shared engine (src/engine/run-scan.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { CliError } from '../../src/cli/io.js';

const dir = mkdtempSync(join(tmpdir(), 'pmg-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => {
      stdout += s;
    },
    stderr: (s: string) => {
      stderr += s;
    },
    cwd: dir,
    env: {},
  };
  const code = await scanCommand.run(args, io).catch((err) => {
    if (err instanceof CliError) {
      stderr += err.message;
      return err.exitCode;
    }
    throw err;
  });
  return { code, stdout, stderr };
}

describe('scan command', () => {
  it('exits 2 on a bad flag value or a bad config file', async () => {
    expect((await run(['--format', 'xml'])).code).toBe(2);
    expect((await run(['--fail-on', 'sometimes'])).code).toBe(2);
    writeFileSync(join(dir, 'bad.yml'), 'fial-on: never\n');
    const r = await run(['--config', 'bad.yml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yml:1: .*unknown key/);
  });

  it('scans nothing for an empty lockfile and exits 0 with a JSON report', async () => {
    writeFileSync(join(dir, 'requirements.txt'), '# nothing pinned\n');
    const r = await run(['--format', 'json', '--lockfile', 'requirements.txt']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts).toMatchObject({ scanned: 0, malicious: 0, suspicious: 0, errors: 0 });
  });

  it('exits 1 when errors left nothing scanned', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'requests==2.32.3\n');
    const r = await run(['--lockfile', 'requirements.txt', '--index-url', 'http://127.0.0.1:9/simple/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing was scanned/);
  });
});

describe('scan command, git refs', () => {
  it('exits 2 naming a --base that is not a commit (a typo does not scan everything)', async () => {
    writeFileSync(join(dir, 'requirements.txt'), '# nothing pinned\n');
    const r = await run(['--base', 'mian']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the base mian is not a commit/);
  });
});
