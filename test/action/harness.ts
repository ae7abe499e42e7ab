// Runs the bundled action (built from src into a temp dir) as the runner does: INPUT_* variables, a
// pull_request event payload, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_API_URL at the loopback
// GitHub server. Shared by the end-to-end suites.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parse } from 'yaml';
import { assertReport } from '../helpers/report-schema.js';

let buildDir: string;

/** The variable the runner sets for an input (core.getInput's rule: spaces to '_', upper case). */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/**
 * INPUT_* for every input in action.yml, set to its default as the runner does (an expression default
 * such as `${{ github.token }}` becomes a test token), so a new input cannot be missed here.
 */
export function actionYmlInputs(): Record<string, string> {
  const action = parse(readFileSync(join(import.meta.dirname, '../../action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const env: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = String(input.default ?? '');
    env[inputVariable(name)] = value.startsWith('${{') ? 'test-token' : value;
  }
  return env;
}
export const cleanup: string[] = [];

/** Builds dist into a temp dir before the suite, removes temp dirs after it. */
export function useBundledAction(): void {
  beforeAll(() => {
    buildDir = mkdtempSync(join(tmpdir(), 'pmg-build-'));
    cleanup.push(buildDir);
    execFileSync('node', ['build.mjs', buildDir], { cwd: join(import.meta.dirname, '../..') });
  }, 60_000);
  afterAll(() => {
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** A repo with a base commit and a head commit; returns the workspace and both shas. */
export function makeRepo(base: Record<string, string>, head: Record<string, string>) {
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

export interface RunResult {
  code: number;
  stdout: string;
  outputs: string;
  summary: string;
}

export async function runAction(
  ws: { dir: string; baseSha: string; headSha: string },
  apiUrl: string,
  inputs: Record<string, string> = {},
  event = 'pull_request',
  extraEnv: Record<string, string> = {},
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
    // Every input action.yml declares, with its default, as the runner passes them.
    ...actionYmlInputs(),
    // This suite's own defaults: no real index, no OSV.
    'INPUT_INDEX-URL': 'http://127.0.0.1:9/simple/',
    INPUT_OSV: 'false',
    // A verdict cache of the run's own, so runs do not see each other's verdicts.
    PMG_CACHE_DIR: join(ws.dir, '..', `${ws.headSha}-cache`),
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[inputVariable(k)] = v;
  const child = spawn('node', [join(buildDir, 'index.js')], { cwd: ws.dir, env });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stdout += d;
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  // Every JSON report the bundled action writes follows schema/report.schema.json (a symlink planted by a
  // test is not the action's report).
  const json = join(ws.dir, 'pypi-malware-gate.json');
  if (existsSync(json) && lstatSync(json).isFile())
    assertReport(JSON.parse(readFileSync(json, 'utf8')), 'the JSON report the action wrote');
  return { code, stdout, outputs: readFileSync(outputs, 'utf8'), summary: readFileSync(summary, 'utf8') };
}
