// End-to-end timings of the bundled dist/, run as a user and the runner run it, against the loopback index
// serving real benign archives from the corpus cache (synthetic releases when it is absent): cold starts
// (CLI --version, inspect of an empty file, scan of a folder with no lockfile, the action to its first log
// line), a 5-package PR, and a full audit of 150 pins / 220 archives cold and with a warm cache, each with
// its peak RSS and the goal from issue 13 beside it.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBenignDirs } from '../train/corpus.js';
import { honestRelease } from '../test/action/fixtures.js';
import { startGitHubServer } from '../test/servers/github-server.js';
import { type ServedProject, startIndexServer } from '../test/servers/index-server.js';

interface Package {
  name: string;
  version: string;
  project: ServedProject;
}

const norm = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

/**
 * `pins` real packages from the benign corpus cache, `withSdist` of them served with their sdist beside the
 * wheel (both are analysed, as for a real pin), else synthetic honest releases.
 */
export function auditPackages(
  pins: number,
  withSdist: number,
): { list: Package[]; archives: number; source: string } {
  const dirs = defaultBenignDirs();
  const wheels = existsSync(dirs.wheels)
    ? readdirSync(dirs.wheels)
        .filter((f) => f.endsWith('-py3-none-any.whl'))
        .sort()
    : [];
  // The sdists are Debian .orig tarballs of the same releases, served under the name pip expects.
  const sdists = new Map<string, string>();
  for (const f of existsSync(dirs.sdists) ? readdirSync(dirs.sdists) : []) {
    const m = /^(.*)_([^_]+)\.orig\.tar\.gz$/.exec(f);
    if (m) sdists.set(`${norm(m[1]!)}==${m[2]}`, f);
  }
  // One release per project (a requirements file pins each name once).
  const byName = new Map<string, { name: string; version: string; wheel: string; sdist?: string }>();
  for (const file of wheels) {
    const [dist, version] = file.split('-');
    if (!dist || !version) continue;
    const name = norm(dist);
    const sdist = sdists.get(`${name}==${version}`);
    const seen = byName.get(name);
    if (!seen || (sdist && !seen.sdist)) byName.set(name, { name, version, wheel: file, sdist });
  }
  const all = [...byName.values()];
  const spread = <T>(items: T[], n: number) => {
    const step = Math.max(1, Math.floor(items.length / Math.max(1, n)));
    return items.filter((_, i) => i % step === 0).slice(0, n);
  };
  const both = spread(
    all.filter((p) => p.sdist),
    withSdist,
  );
  const wheelOnly = spread(
    all.filter((p) => !p.sdist),
    pins - both.length,
  );
  const chosen = [...both, ...wheelOnly];
  if (chosen.length >= pins) {
    const list = chosen.slice(0, pins).map((p) => ({
      name: p.name,
      version: p.version,
      project: {
        versions: [
          {
            version: p.version,
            files: [
              { filename: p.wheel, bytes: readFileSync(join(dirs.wheels, p.wheel)) },
              ...(p.sdist
                ? [
                    {
                      filename: `${p.name}-${p.version}.tar.gz`,
                      bytes: readFileSync(join(dirs.sdists, p.sdist)),
                    },
                  ]
                : []),
            ],
          },
        ],
      },
    }));
    const archives = list.reduce((n, p) => n + p.project.versions[0]!.files.length, 0);
    return { list, archives, source: `real archives from ${dirs.wheels} and ${dirs.sdists}` };
  }
  const list = Array.from({ length: pins }, (_, i) => {
    const name = `bench-pkg-${i}`;
    return { name, version: '1.0.0', project: { versions: [honestRelease(name, '1.0.0')] } };
  });
  return { list, archives: pins * 2, source: 'synthetic releases (no corpus cache)' };
}

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

export interface Timed {
  seconds: number;
  /** Peak RSS of the process (all its threads). */
  rssMb?: number;
  /** User + system CPU time of the process (all its threads), when /usr/bin/time measured it. */
  cpuSeconds?: number;
  code: number;
  output: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Peak RSS so far (VmHWM) of a live process, from /proc. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `node <args>` to its end (or, with `untilFirstLine`, to its first line of output, then stops it):
 * wall time and peak RSS (from /usr/bin/time when there, else from /proc before the process ends).
 */
export async function timedNode(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; untilFirstLine?: boolean },
): Promise<Timed> {
  const useTime = !options.untilFirstLine && existsSync('/usr/bin/time');
  const command = useTime ? '/usr/bin/time' : process.execPath;
  const argv = useTime ? ['-f', 'RSS_KB=%M CPU_S=%U+%S', process.execPath, ...args] : args;
  const started = performance.now();
  const child = spawn(command, argv, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
  });
  let output = '';
  let firstLine: { seconds: number; rssMb?: number } | undefined;
  const onData = (d: Buffer) => {
    output += d;
    if (options.untilFirstLine && !firstLine && output.includes('\n')) {
      firstLine = { seconds: (performance.now() - started) / 1000, rssMb: peakRssMb(child.pid) };
      child.kill();
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - started) / 1000;
  if (firstLine) return { ...firstLine, code, output };
  const rss = /RSS_KB=(\d+) CPU_S=([\d.]+)\+([\d.]+)/.exec(output);
  return {
    seconds,
    ...(rss ? { rssMb: Number(rss[1]) / 1024, cpuSeconds: Number(rss[2]) + Number(rss[3]) } : {}),
    code,
    output,
  };
}

/** The action as the runner starts it: INPUT_* and GITHUB_* from a pull_request or schedule event. */
export function actionEnv(ws: string, event: string, env: Record<string, string>): Record<string, string> {
  const eventPath = join(ws, '..', `event-${event}.json`);
  // The runner creates these files before the step runs; @actions/core refuses to write to missing ones.
  writeFileSync(join(ws, '..', 'out'), '');
  writeFileSync(join(ws, '..', 'summary'), '');
  writeFileSync(
    eventPath,
    JSON.stringify({
      pull_request: { number: 1, base: { sha: env.BASE_SHA }, head: { sha: 'HEAD' } },
      repository: { name: 'repo', owner: { login: 'owner' } },
    }),
  );
  return {
    GITHUB_WORKSPACE: ws,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_OUTPUT: join(ws, '..', 'out'),
    GITHUB_STEP_SUMMARY: join(ws, '..', 'summary'),
    INPUT_OSV: 'false',
    'INPUT_GITHUB-TOKEN': 'bench',
    PMG_CACHE_DIR: join(ws, '..', 'cache'),
    ...env,
  };
}

export function workspace(root: string, name: string, requirements: string): { ws: string; base: string } {
  const ws = join(root, name, 'ws');
  mkdirSync(ws, { recursive: true });
  git(ws, 'init', '-q', '-b', 'main');
  git(ws, '-c', 'user.email=b@x', '-c', 'user.name=b', 'commit', '-q', '--allow-empty', '-m', 'base');
  const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws, encoding: 'utf8' }).trim();
  writeFileSync(join(ws, 'requirements.txt'), requirements);
  return { ws, base };
}

/** `1.23 s, peak RSS 120 MB, CPU 0.4 s`; an exit status other than the expected one is shown. */
const fmt = (t: Timed, expectedExit = 0) =>
  [
    `${t.seconds.toFixed(2)} s`,
    `peak RSS ${t.rssMb?.toFixed(0) ?? '?'} MB`,
    ...(t.cpuSeconds !== undefined ? [`CPU ${t.cpuSeconds.toFixed(1)} s`] : []),
    ...(t.code === expectedExit ? [] : [`exit ${t.code}`]),
  ].join(', ');

/** The verdicts of a run's JSON report, for comparing two runs. */
function verdicts(ws: string): string {
  const report = JSON.parse(readFileSync(join(ws, 'pypi-malware-gate.json'), 'utf8')) as {
    packages: {
      ref: { name: string; version: string };
      verdict: string;
      score?: number;
      evidence: unknown[];
    }[];
  };
  return JSON.stringify(
    report.packages.map((p) => [p.ref.name, p.ref.version, p.verdict, p.score, p.evidence]),
  );
}

export async function benchAction(options: { repeat?: number } = {}): Promise<string[]> {
  const repeat = options.repeat ?? 5;
  const root = mkdtempSync(join(tmpdir(), 'pmg-bench-'));
  const dist = join(root, 'dist');
  execFileSync(process.execPath, ['build.mjs', dist]);
  const lines: string[] = [];
  const line = (label: string, value: string, goal: string) => {
    const text = `${label.padEnd(48)} ${value.padEnd(40)} goal ${goal}`;
    lines.push(text);
    process.stderr.write(`${text}\n`);
  };
  const { list, archives, source } = auditPackages(150, 70);
  const index = await startIndexServer({
    projects: Object.fromEntries(list.map((p) => [p.name, p.project])),
  });
  const gh = await startGitHubServer();
  try {
    // Cold starts: a fresh process each time; the median of `repeat` runs, with that run's peak RSS.
    const coldStart = async (
      args: string[],
      cwd: string,
      env?: Record<string, string>,
      untilFirstLine = false,
    ) => {
      const runs: Timed[] = [];
      for (let i = 0; i < repeat; i++) runs.push(await timedNode(args, { cwd, env, untilFirstLine }));
      const mid = median(runs.map((r) => r.seconds));
      return runs.find((r) => r.seconds === mid)!;
    };
    const empty = join(root, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'empty.whl'), '');
    const cli = join(dist, 'cli.js');
    line('cold start: cli --version', fmt(await coldStart([cli, '--version'], empty)), '<= 0.4 s');
    line(
      'cold start: cli inspect <empty file>',
      // Exit 1: an empty file is not an archive (the engine still starts: parser and model).
      fmt(await coldStart([cli, 'inspect', 'empty.whl'], empty), 1),
      '<= 0.5 s, <= 150 MB',
    );
    const noLockfile = join(root, 'no-lockfile');
    mkdirSync(noLockfile);
    // Exit 1: a run that analysed nothing fails.
    line(
      'cold start: cli scan <folder, no lockfile>',
      fmt(await coldStart([cli, 'scan', noLockfile], empty), 1),
      '<= 1 s',
    );

    const pr = workspace(
      root,
      'pr',
      list
        .slice(0, 5)
        .map((p) => `${p.name}==${p.version}\n`)
        .join(''),
    );
    const prEnv = actionEnv(pr.ws, 'pull_request', {
      'INPUT_INDEX-URL': index.url,
      GITHUB_API_URL: gh.url,
      BASE_SHA: pr.base,
      INPUT_CACHE: 'false',
    });
    line(
      'cold start: action to its first log line',
      // Stopped at its first line (so its exit status is the signal's).
      fmt(await coldStart([join(dist, 'index.js')], pr.ws, prEnv, true), -1),
      '<= 0.5 s',
    );
    line(
      '5-package PR (diff mode), no cache',
      fmt(await timedNode([join(dist, 'index.js')], { cwd: pr.ws, env: prEnv })),
      '<= 10 s',
    );

    const audit = workspace(root, 'audit', list.map((p) => `${p.name}==${p.version}\n`).join(''));
    const auditEnv = actionEnv(audit.ws, 'schedule', {
      'INPUT_INDEX-URL': index.url,
      GITHUB_API_URL: gh.url,
      BASE_SHA: audit.base,
      INPUT_CACHE: 'true',
    });
    const label = `full audit, ${list.length} pins / ${archives} archives`;
    const cold = await timedNode([join(dist, 'index.js')], { cwd: audit.ws, env: auditEnv });
    const coldVerdicts = verdicts(audit.ws);
    line(`${label}, cold`, fmt(cold), '<= 25 s, <= 384 MB');
    const warm = await timedNode([join(dist, 'index.js')], { cwd: audit.ws, env: auditEnv });
    line(`${label}, warm cache`, fmt(warm), '<= 3 s');
    const same = verdicts(audit.ws) === coldVerdicts;
    lines.push(`  warm verdicts identical to cold: ${same ? 'yes' : 'NO'}`);
    const summary = cold.output
      .split('\n')
      .filter((l) => /scanned/.test(l))
      .pop();
    if (summary) lines.push(`  cold audit: ${summary.trim()}`);
    lines.push(`  archives: ${source}`);
  } finally {
    await index.close();
    await gh.close();
    rmSync(root, { recursive: true, force: true });
  }
  return lines;
}
