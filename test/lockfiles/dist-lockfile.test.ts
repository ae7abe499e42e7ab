// Issue 10 items 7 and 12, issue 14's UTF-16 file, through the bundle a user runs (`node cli.js lockfile
// <file> --json`, built from src/ into a temp dir as the release is): includes that leave the workspace
// are refused naming the including file and line, hostile lines parse or fail per line, and no message
// quotes a token or a workflow command.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'ghp_SECRETtoken0123456789';
const root = mkdtempSync(join(tmpdir(), 'pmg-dist-lockfile-'));
const cli = join(root, 'dist', 'cli.js');
const ws = join(root, 'repo');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs', join(root, 'dist')], { stdio: 'pipe' });
  mkdirSync(join(ws, '.git'), { recursive: true });
  writeFileSync(join(ws, '.git/config'), `[http]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`);
  writeFileSync(join(root, 'outside.txt'), `leaked==1.0 # ${SECRET}\n`);
  symlinkSync(join(root, 'outside.txt'), join(ws, 'linked.txt'));
}, 300_000);

async function lockfile(file: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [cli, 'lockfile', file, '--json'],
      {
        cwd: ws,
        env: { PATH: process.env.PATH ?? '' },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('lockfile through the bundled CLI', () => {
  it('refuses -r/-c targets that leave the workspace or enter .git/, naming file and line only', async () => {
    writeFileSync(
      join(ws, 'requirements.txt'),
      [
        'six==1.16.0',
        '-r .git/config',
        '-c ../outside.txt',
        '-r ../../../../proc/self/environ',
        `-r ${join(root, 'outside.txt')}`,
        '-r linked.txt',
      ].join('\n'),
    );
    const r = await lockfile('requirements.txt');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((p: { name: string }) => p.name)).toEqual(['six']);
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => l.split(': ')[0])).toEqual([
      'requirements.txt:2',
      'requirements.txt:3',
      'requirements.txt:4',
      'requirements.txt:5',
      'requirements.txt:6',
    ]);
    for (const l of lines) expect(l).toMatch(/: error: -[rc] target refused: /);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/outside\.txt|environ|\.git\/config/);
  });

  it('hostile lines: each parses or is one error at its line, with no token or workflow command echoed', async () => {
    const lines = [
      `${' '.repeat(1024 * 1024)}::stop-commands::${SECRET}`,
      `a${'==1,'.repeat(256 * 1024)}`,
      `https://x/a${'-1'.repeat(512 * 1024)}.tar.gzx`,
      `x##[stop-commands]${SECRET}==1.0`,
      `evil==1.0 --${SECRET}`,
      `ok-pkg==2.0 ; python_version > "3"`,
    ];
    writeFileSync(join(ws, 'requirements-hostile.txt'), `${lines.join('\n')}\n`);
    const r = await lockfile('requirements-hostile.txt');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).map((p: { name: string }) => p.name)).toEqual(['evil', 'ok-pkg']);
    expect(r.stderr).not.toContain(SECRET);
    expect(r.stderr).not.toMatch(/::|##\[/);
    const where = r.stderr
      .trim()
      .split('\n')
      .map((l) => l.split(': ')[0]);
    expect(where).toEqual([
      'requirements-hostile.txt:1',
      'requirements-hostile.txt:2',
      'requirements-hostile.txt:3',
      'requirements-hostile.txt:4',
      'requirements-hostile.txt:5',
    ]);
  });

  it('reads a UTF-16 requirements file as pip does', async () => {
    const text = 'requests==2.31.0\nidna==3.7\n';
    writeFileSync(
      join(ws, 'requirements-utf16.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const r = await lockfile('requirements-utf16.txt');
    expect(r.code).toBe(0);
    expect(
      JSON.parse(r.stdout).map((p: { name: string; version: string }) => `${p.name} ${p.version}`),
    ).toEqual(['requests 2.31.0', 'idna 3.7']);
  });
});
