// The `lockfile` and `diff` commands (src/cli/commands/), run in-process with an injected CliIO.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffCommand } from '../../src/cli/commands/diff.js';
import { lockfileCommand } from '../../src/cli/commands/lockfile.js';
import { CliError, type Command } from '../../src/cli/io.js';

const cwd = mkdtempSync(join(tmpdir(), 'pmg-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  mkdirSync(join(cwd, name, '..'), { recursive: true });
  writeFileSync(join(cwd, name), text);
};

async function run(command: Command, args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (s: string) => {
      stdout += s;
    },
    stderr: (s: string) => {
      stderr += s;
    },
    cwd,
    env: {},
  };
  try {
    const code = await command.run(args, io);
    return { code, stdout, stderr };
  } catch (err) {
    if (err instanceof CliError) return { code: err.exitCode, stdout, stderr: stderr + err.message };
    throw err;
  }
}

describe('lockfile command', () => {
  write('requirements.txt', 'six==1.16.0 --hash=sha256:aa\nrequests>=2\n');
  write('deps.lock', '{"_meta": {"pipfile-spec": 6}, "default": {"idna": {"version": "==3.4"}}}');
  write('bad/poetry.lock', '[[package]]\nname = "a"\nversion =\n');
  write('inc/requirements.txt', 'idna==3.4\n-r missing.txt\n');

  it('prints PackageRef JSON', async () => {
    const r = await run(lockfileCommand, ['requirements.txt', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'six', version: '1.16.0', hashes: ['sha256:aa'], file: 'requirements.txt', line: 1 },
      { name: 'requests', version: null, specifier: '>=2', hashes: [], file: 'requirements.txt', line: 2 },
    ]);
  });

  it('prints a table without --json', async () => {
    const r = await run(lockfileCommand, ['requirements.txt']);
    expect(r.stdout).toMatch(/^six +1\.16\.0 +requirements\.txt:1$/m);
    expect(r.stdout).toContain('2 package(s), format requirements');
  });

  it('--format makes any file name work', async () => {
    const r = await run(lockfileCommand, ['deps.lock', '--format', 'pipfile', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ name: 'idna', version: '3.4' });
  });

  it('bad input exits 1 with a message naming the file and line', async () => {
    const r = await run(lockfileCommand, ['bad/poetry.lock', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\/poetry\.lock:3: error: invalid TOML/);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('a missing include exits 1 but still prints what was parsed', async () => {
    const r = await run(lockfileCommand, ['inc/requirements.txt', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'inc/requirements.txt:2: error: the file named by -r on this line was not found',
    );
    expect(JSON.parse(r.stdout)).toHaveLength(1);
  });

  it('usage errors exit 2', async () => {
    expect((await run(lockfileCommand, [])).code).toBe(2);
    expect((await run(lockfileCommand, ['requirements.txt', '--format', 'nope'])).code).toBe(2);
    expect((await run(lockfileCommand, ['requirements.txt', '--bogus'])).code).toBe(2);
  });

  it('a file that does not exist exits 1 naming it', async () => {
    const r = await run(lockfileCommand, ['nope.txt', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nope.txt');
  });
});

describe('diff command', () => {
  write('base/requirements.txt', 'six==1.15.0\nidna==3.4\nold==1.0\n');
  write('head/requirements.txt', 'six==1.16.0\nidna==3.4\nnew==2.0\n');

  it('prints {added, changed, removed}', async () => {
    const r = await run(diffCommand, ['base/requirements.txt', 'head/requirements.txt', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(Object.keys(d)).toEqual(['added', 'changed', 'removed']);
    expect(d.added.map((p: { name: string }) => p.name)).toEqual(['new']);
    expect(d.changed[0].previous.version).toBe('1.15.0');
    expect(d.changed[0].ref.version).toBe('1.16.0');
    expect(d.removed.map((p: { name: string }) => p.name)).toEqual(['old']);
  });

  it('says "hashes changed" when only the pinned files changed', async () => {
    write('h-base/requirements.txt', 'cffi==1.17.1 --hash=sha256:aa\n');
    write('h-head/requirements.txt', 'cffi==1.17.1 --hash=sha256:bb\n');
    const r = await run(diffCommand, ['h-base/requirements.txt', 'h-head/requirements.txt']);
    expect(r.stdout).toBe('~ cffi 1.17.1 (hashes changed)  (h-head/requirements.txt:1)\n');
  });

  it('diffs two formats package by package, with one note and no parse errors', async () => {
    write(
      'x-base/poetry.lock',
      '[[package]]\nname = "six"\nversion = "1.15.0"\n[metadata]\nlock-version = "2.0"\n',
    );
    write('x-head/requirements.txt', 'six==1.16.0\n');
    const r = await run(diffCommand, ['x-base/poetry.lock', 'x-head/requirements.txt']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: comparing a poetry file with a requirements file, package by package\n');
    expect(r.stdout).toBe('~ six 1.15.0 -> 1.16.0  (x-head/requirements.txt:1)\n');
  });

  it('needs two files', async () => {
    expect((await run(diffCommand, ['base/requirements.txt'])).code).toBe(2);
  });
});
