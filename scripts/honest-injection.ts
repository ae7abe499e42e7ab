// Honest but scary code added to small real projects: each of about n small Debian sdists (under 60 kB, from
// ~/.cache/pypi-corpus/benign, read through src/archive) gets one snippet (a setup.py that runs git or make or
// downloads a model, or a module with a usage-telemetry function), and dist/cli.js judges the project before and
// after. It prints how many became malicious: the young long-tail false positives a snippet alone causes.
//
//   npm run build && npx tsx scripts/honest-injection.ts <git|make|model|telemetry> [n]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readArchive } from '../src/archive/index.js';
import { makeTarGz } from '../test/fixtures/archives.js';
const SNIPPETS: Record<string, [string, string]> = {
  git: [
    'setup.py',
    `import subprocess\ntry:\n    __v = subprocess.check_output(['git', 'describe', '--tags'], text=True).strip()\nexcept Exception:\n    __v = None\n`,
  ],
  make: ['setup.py', `import subprocess\nsubprocess.check_call(['make', '-C', 'csrc'])\n`],
  telemetry: [
    'module',
    `import os as _o, platform as _p, socket as _s, uuid as _u\nimport urllib.request as _r, json as _j\ndef send_event(name):\n    if _o.environ.get('P_NO_TELEMETRY'):\n        return\n    payload = {'event': name, 'os': _p.system(), 'python': _p.python_version(), 'host': _s.gethostname(), 'id': str(_u.getnode())}\n    try:\n        _r.urlopen(_r.Request('https://telemetry.p-project.dev/v1/events', data=_j.dumps(payload).encode()), timeout=2)\n    except Exception:\n        pass\n`,
  ],
  model: [
    'setup.py',
    `import urllib.request, os\nif not os.path.exists('model.bin'):\n    urllib.request.urlretrieve('https://github.com/example/p/releases/download/v1.0/model.bin', 'model.bin')\n`,
  ],
};
const which = process.argv[2] ?? 'git';
const n = Number(process.argv[3] ?? 30);
const dir = `${homedir()}/.cache/pypi-corpus/benign`;
const small = readdirSync(dir)
  .map((f) => [f, statSync(join(dir, f)).size] as const)
  .filter(([, s]) => s < 60000)
  .sort((a, b) => a[1] - b[1]);
const step = Math.max(1, Math.floor(small.length / n));
const out = mkdtempSync(join(tmpdir(), 'inj-'));
const files: string[] = [];
for (let i = 0; i < small.length && files.length < 2 * n; i += step) {
  const [f] = small[i]!;
  const view = await readArchive(readFileSync(join(dir, f)));
  const [target] = SNIPPETS[which]!;
  const setup =
    target === 'setup.py'
      ? view.entries.find((e) => /^[^/]+\/setup\.py$/.test(e.path))
      : (view.entries.find(
          (e) => /^[^/]+\/[^/]+\.py$/.test(e.path) && !/setup\.py$|conf\.py$|test/.test(e.path),
        ) ?? view.entries.find((e) => /\.py$/.test(e.path) && !/setup\.py$|test|docs/.test(e.path)));
  if (!setup?.data) continue;
  const entries = view.entries
    .filter((e) => e.type === 'file' && e.data)
    .map((e) => ({ path: e.path, data: Buffer.from(e.data!) }));
  const [, snippet] = SNIPPETS[which]!;
  const mod = entries.map((e) =>
    e.path === setup.path ? { path: e.path, data: Buffer.concat([Buffer.from(snippet), e.data]) } : e,
  );
  const name = f.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
  writeFileSync(join(out, `${name}-orig-1.0.tar.gz`), makeTarGz(entries));
  writeFileSync(join(out, `${name}-inj-1.0.tar.gz`), makeTarGz(mod));
  files.push(join(out, `${name}-orig-1.0.tar.gz`), join(out, `${name}-inj-1.0.tar.gz`));
}
let stdout = '';
try {
  stdout = execFileSync(process.execPath, ['dist/cli.js', 'inspect', ...files, '--json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
} catch (e) {
  stdout = (e as { stdout: string }).stdout;
}
const res = new Map(
  stdout
    .trim()
    .split('\n')
    .map((l) => {
      const r = JSON.parse(l);
      return [r.file, r];
    }),
);
let mal = 0,
  total = 0;
for (let i = 0; i < files.length; i += 2) {
  const a = res.get(files[i]!),
    b = res.get(files[i + 1]!);
  total++;
  if (b.verdict === 'malicious') mal++;
  console.log(
    files[i]!.split('/').pop()!.slice(0, 40).padEnd(42),
    a.verdict.padEnd(11),
    String(a.score).slice(0, 5),
    '->',
    b.verdict.padEnd(11),
    String(b.score).slice(0, 5),
  );
}
console.log(`${which}: ${mal}/${total} injected malicious`);
