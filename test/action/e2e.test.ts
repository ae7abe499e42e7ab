// Runs the bundled action (built from src into a temp dir) as the runner does: INPUT_* variables, a
// pull_request event payload, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_API_URL at the loopback
// GitHub server. Scenarios that need the scanning engine are added once the registry/archive/features
// stages land.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';

let buildDir: string;
const cleanup: string[] = [];

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'pmg-build-'));
  cleanup.push(buildDir);
  execFileSync('node', ['build.mjs', buildDir], { cwd: join(import.meta.dirname, '../..') });
}, 60_000);
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** A repo with a base commit and a head commit; returns the workspace and both shas. */
function makeRepo(base: Record<string, string>, head: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'pmg-ws-'));
  cleanup.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 't@example.com');
  git(dir, 'config', 'user.name', 't');
  const commit = (files: Record<string, string>, message: string) => {
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  const baseSha = commit(base, 'base');
  const headSha = commit(head, 'head');
  return { dir, baseSha, headSha };
}

interface RunResult {
  code: number;
  stdout: string;
  outputs: string;
  summary: string;
}

async function runAction(
  ws: { dir: string; baseSha: string; headSha: string },
  apiUrl: string,
  inputs: Record<string, string> = {},
  event = 'pull_request',
): Promise<RunResult> {
  const outputs = join(ws.dir, '..', `${ws.headSha}-out`);
  const summary = join(ws.dir, '..', `${ws.headSha}-summary`);
  const eventPath = join(ws.dir, '..', `${ws.headSha}-event.json`);
  writeFileSync(outputs, '');
  writeFileSync(summary, '');
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      pull_request: {
        number: 7,
        base: { sha: ws.baseSha, ref: 'main' },
        head: { sha: ws.headSha, ref: 'feature' },
      },
      repository: { name: 'repo', owner: { login: 'owner' }, full_name: 'owner/repo' },
    }),
  );
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    GITHUB_WORKSPACE: ws.dir,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_SHA: ws.headSha,
    GITHUB_RUN_ID: '1',
    GITHUB_OUTPUT: outputs,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_API_URL: apiUrl,
    // action.yml defaults, passed as the runner passes them.
    'INPUT_CONFIG-FILE': '.github/pypi-malware-gate.yml',
    'INPUT_SARIF-FILE': 'pypi-malware-gate.sarif',
    INPUT_CACHE: 'true',
    'INPUT_AUDIT-ISSUE': 'false',
    INPUT_MODE: 'auto',
    'INPUT_GITHUB-TOKEN': 'test-token',
    'INPUT_INDEX-URL': 'http://127.0.0.1:9/simple/',
    INPUT_OSV: 'false',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn('node', [join(buildDir, 'index.js')], { cwd: ws.dir, env });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stdout += d;
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return { code, stdout, outputs: readFileSync(outputs, 'utf8'), summary: readFileSync(summary, 'utf8') };
}

describe('action end to end (bundled)', () => {
  it('passes a PR that changes no pinned package, and posts no comment', async () => {
    const gh = await startGitHubServer();
    try {
      const req = 'requests==2.32.3\n';
      const ws = makeRepo({ 'requirements.txt': req }, { 'requirements.txt': req, 'README.md': 'docs\n' });
      const r = await runAction(ws, gh.url);
      expect(r.stdout).toMatch(/diff mode: 1 lockfile\(s\), 0 package\(s\) to scan/);
      expect(r.code).toBe(0);
      expect(r.outputs).toMatch(/scanned<<\S+\n0\n/);
      expect(gh.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
      expect(gh.state.comments).toEqual([]);
    } finally {
      await gh.close();
    }
  }, 20_000);

  it('fails on a broken lockfile with a message naming the file', async () => {
    const gh = await startGitHubServer();
    try {
      const ws = makeRepo({}, { 'poetry.lock': '[[package]\nname = "x"\n' });
      const r = await runAction(ws, gh.url, { lockfiles: 'poetry.lock' });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::warning title=pypi-malware-gate%3A lockfile problem,file=poetry\.lock/);
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: nothing was scanned/);
      expect(r.summary).toMatch(/Lockfile problems/);
    } finally {
      await gh.close();
    }
  }, 20_000);

  it('reads the base from the contents API when the checkout lacks the base commit', async () => {
    const req = 'requests==2.32.3\n';
    const missingBase = 'f'.repeat(40);
    const gh = await startGitHubServer({ contents: { 'requirements.txt': { [missingBase]: req } } });
    try {
      const ws = makeRepo({}, { 'requirements.txt': req });
      const r = await runAction({ ...ws, baseSha: missingBase }, gh.url);
      expect(gh.state.requests.map((q) => q.path)).toContain(
        `/repos/owner/repo/contents/requirements.txt?ref=${missingBase}`,
      );
      expect(r.stdout).toMatch(/0 package\(s\) to scan/);
      expect(r.code).toBe(0);
    } finally {
      await gh.close();
    }
  }, 20_000);

  it('rejects an unknown key in the config file with its line', async () => {
    const gh = await startGitHubServer();
    try {
      const ws = makeRepo(
        {},
        { 'requirements.txt': '', '.github/pypi-malware-gate.yml': 'comment: auto\nfial-on: never\n' },
      );
      const r = await runAction(ws, gh.url);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/configuration error: \.github\/pypi-malware-gate\.yml:2: .*unknown key/);
    } finally {
      await gh.close();
    }
  }, 20_000);
});
