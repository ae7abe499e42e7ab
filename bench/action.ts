// End-to-end timings of the bundled action, run as the runner runs it, against the loopback index serving
// real benign wheels from the corpus cache (or synthetic releases when it is absent): a 5-package PR, a
// 200-package full audit, peak RSS of each, and the cold start of dist/.
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
import { honestRelease } from '../test/action/fixtures.js';
import { startGitHubServer } from '../test/servers/github-server.js';
import { type ServedProject, startIndexServer } from '../test/servers/index-server.js';
import { defaultBenignDirs } from '../src/features/corpus.js';

interface Package {
  name: string;
  version: string;
  project: ServedProject;
}

/** Real wheels (PyPI file names) from the benign corpus cache, else synthetic honest releases. */
function packages(count: number): { list: Package[]; source: string } {
  const dir = defaultBenignDirs().wheels;
  const wheels = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('-py3-none-any.whl'))
        .sort()
    : [];
  const list: Package[] = [];
  const seen = new Set<string>();
  const step = Math.max(1, Math.floor(wheels.length / count));
  for (let i = 0; i < wheels.length && list.length < count; i += step) {
    const file = wheels[i]!;
    const [dist, version] = file.split('-');
    const name = (dist ?? '').toLowerCase().replace(/[-_.]+/g, '-');
    if (!name || !version || seen.has(name)) continue;
    seen.add(name);
    list.push({
      name,
      version,
      project: { versions: [{ version, files: [{ filename: file, bytes: readFileSync(join(dir, file)) }] }] },
    });
  }
  if (list.length >= count) return { list, source: `real wheels from ${dir}` };
  const synthetic = Array.from({ length: count }, (_, i) => {
    const name = `bench-pkg-${i}`;
    return { name, version: '1.0.0', project: { versions: [honestRelease(name, '1.0.0')] } };
  });
  return { list: synthetic, source: 'synthetic releases (no corpus cache)' };
}

function git(cwd: string, ...args: string[]) {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

async function timedRun(
  dist: string,
  ws: string,
  event: string,
  env: Record<string, string>,
): Promise<{ seconds: number; rssMb: number | undefined; code: number; tail: string }> {
  const eventPath = join(ws, '..', 'event.json');
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
  const useTime = existsSync('/usr/bin/time');
  const args = useTime ? ['-f', 'RSS_KB=%M', 'node', join(dist, 'index.js')] : [join(dist, 'index.js')];
  const started = performance.now();
  const child = spawn(useTime ? '/usr/bin/time' : 'node', args, {
    cwd: ws,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_WORKSPACE: ws,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_OUTPUT: join(ws, '..', 'out'),
      GITHUB_STEP_SUMMARY: join(ws, '..', 'summary'),
      'INPUT_CONFIG-FILE': '.github/pypi-malware-gate.yml',
      'INPUT_SARIF-FILE': 'pypi-malware-gate.sarif',
      INPUT_CACHE: 'false',
      INPUT_MODE: 'auto',
      INPUT_OSV: 'false',
      'INPUT_GITHUB-TOKEN': 'bench',
      PMG_CACHE_DIR: join(ws, '..', 'cache'),
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const seconds = (performance.now() - started) / 1000;
  const rss = /RSS_KB=(\d+)/.exec(output);
  return {
    seconds,
    rssMb: rss ? Number(rss[1]) / 1024 : undefined,
    code,
    tail:
      output
        .split('\n')
        .filter((l) => /scanned/.test(l))
        .pop() ?? '',
  };
}

export async function benchAction(): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'pmg-bench-'));
  const dist = join(root, 'dist');
  execFileSync('node', ['build.mjs', dist]);
  const lines: string[] = [];
  const { list, source } = packages(200);
  const index = await startIndexServer({
    projects: Object.fromEntries(list.map((p) => [p.name, p.project])),
  });
  const gh = await startGitHubServer();
  try {
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      execFileSync('node', [join(dist, 'cli.js'), '--version']);
      cold.push(performance.now() - t);
    }
    cold.sort((a, b) => a - b);
    lines.push(`dist cold start (cli --version, median of 5): ${cold[2]!.toFixed(0)} ms (target < 300 ms)`);

    for (const [label, count, event, target] of [
      ['5-package PR (diff mode)', 5, 'pull_request', 10],
      ['200-package full audit', 200, 'schedule', 60],
    ] as const) {
      const ws = join(root, `ws-${count}`);
      mkdirSync(ws, { recursive: true });
      git(ws, 'init', '-q', '-b', 'main');
      git(ws, '-c', 'user.email=b@x', '-c', 'user.name=b', 'commit', '-q', '--allow-empty', '-m', 'base');
      const base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws, encoding: 'utf8' }).trim();
      writeFileSync(
        join(ws, 'requirements.txt'),
        list
          .slice(0, count)
          .map((p) => `${p.name}==${p.version}\n`)
          .join(''),
      );
      const r = await timedRun(dist, ws, event, {
        'INPUT_INDEX-URL': index.url,
        GITHUB_API_URL: gh.url,
        BASE_SHA: base,
      });
      lines.push(
        `${label}: ${r.seconds.toFixed(1)} s (target < ${target} s), peak RSS ${r.rssMb?.toFixed(0) ?? '?'} MB (target < 512 MB), exit ${r.code}; ${r.tail.trim()}`,
      );
    }
    lines.push(`  archives: ${source}`);
  } finally {
    await index.close();
    await gh.close();
    rmSync(root, { recursive: true, force: true });
  }
  return lines;
}
