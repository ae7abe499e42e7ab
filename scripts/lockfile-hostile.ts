// CPU time to parse each hostile lockfile shape at a given size (default 1 MB): npx tsx scripts/lockfile-hostile.ts [bytes] [shape,...]
// Figures for the lockfile parsers' linear-time work; test/lockfiles/hostile.test.ts checks the growth per doubling.
import { parseLockfile } from '../src/lockfiles/index.js';
const N = Number(process.argv[2] ?? 1024 * 1024);
const cases: Record<string, [string, string]> = {
  spaces: ['requirements.txt', ' '.repeat(N) + 'x\n'],
  spacesName: ['requirements.txt', 'a' + ' '.repeat(N) + 'b\n'],
  sdistUrl: ['requirements.txt', 'https://x/' + 'a-'.repeat(N / 2) + '.tar.gz\n'],
  sdistUrl2: ['requirements.txt', 'https://x/a' + '-1'.repeat(N / 2) + 'x.tar.gz\n'],
  eqComma: ['requirements.txt', 'a' + '==1,'.repeat(N / 4) + '\n'],
  eqComma2: ['requirements.txt', 'a' + '>=1,'.repeat(N / 4) + '>=1\n'],
  extras: ['requirements.txt', 'a[' + 'x,'.repeat(N / 2) + ']==1\n'],
  markers: ['requirements.txt', 'a==1; ' + 'python_version>"3" and '.repeat(N / 22) + 'x\n'],
  conts: ['requirements.txt', 'a==1 \\\n'.repeat(N / 7) + '\n'],
  hashes: ['requirements.txt', 'a==1 ' + '--hash=sha256:aa '.repeat(N / 17) + '\n'],
  dashes: ['requirements.txt', 'a ' + '- '.repeat(N / 2) + '\n'],
  dashes2: ['requirements.txt', 'a' + ' -'.repeat(N / 2) + 'x\n'],
  comment: ['requirements.txt', 'a' + ' '.repeat(N) + '#x\n'],
  commentNoHash: ['requirements.txt', 'a' + ' '.repeat(N) + 'x\n'],
  quotes: ['requirements.txt', 'a "' + 'x'.repeat(N) + '\n'],
  at: ['requirements.txt', 'a' + ' @'.repeat(N / 2) + '\n'],
  semis: ['requirements.txt', 'a@' + ' ;'.repeat(N / 2) + '\n'],
  egg: ['requirements.txt', 'git+https://x#egg=' + 'a'.repeat(N) + '==\n'],
  eggdash: ['requirements.txt', 'git+https://x#egg=' + 'a-1'.repeat(N / 3) + '\n'],
  envvar: ['requirements.txt', '${'.repeat(N / 2) + '\n'],
  manyLines: ['requirements.txt', 'a==1\n'.repeat(N / 5)],
  wheel: ['requirements.txt', 'https://x/' + 'a'.repeat(N) + '-1-x-y.whl\n'],
  wheel2: ['requirements.txt', 'https://x/a' + '-b'.repeat(N / 2) + '.whl\n'],
  tomlNest: ['pyproject.toml', 'a = ' + '['.repeat(N / 10) + ']'.repeat(N / 10) + '\n'],
  tomlNestT: ['pyproject.toml', 'a = ' + '{b='.repeat(N / 30) + '1' + '}'.repeat(N / 30) + '\n'],
  uvMany: ['uv.lock', 'version = 1\n' + '[[package]]\nname = "a"\nversion = "1"\n'.repeat(N / 40)],
  pyprojDeps: ['pyproject.toml', '[project]\ndependencies = [\n' + '"a==1",\n'.repeat(N / 8) + ']\n'],
  pipfileMany: [
    'Pipfile.lock',
    '{"_meta":{},"default":{' +
      Array.from({ length: N / 30 }, (_, i) => `"p${i}":{"version":"==1"}`).join(',\n') +
      '}}',
  ],
  poetryPy: [
    'pyproject.toml',
    '[tool.poetry.dependencies]\n' +
      Array.from({ length: N / 20 }, (_, i) => `p${i} = "^1.0"`).join('\n') +
      '\n',
  ],
  sdistFail: ['requirements.txt', 'https://x/a' + '-1'.repeat(N / 2) + '.tar.gzx\n'],
  sdistFail2: ['requirements.txt', './a' + '-1'.repeat(N / 2) + '.zip.x\n'],
  uniqueLines: ['requirements.txt', Array.from({ length: N / 12 }, (_, i) => `p${i}==1.${i}.0`).join('\n')],
  newlines: ['unnamed', '\n'.repeat(N)],
  newlinesSp: ['unnamed', ' \n'.repeat(N / 2) + 'x'],
  jsonDeep: ['Pipfile.lock', '['.repeat(N)],
  jsonDeep2: ['Pipfile.lock', '{"_meta":{},"default":' + '['.repeat(N / 2) + ']'.repeat(N / 2) + '}'],
  yamlDeep: ['environment.yml', 'dependencies: ' + '['.repeat(N / 10) + ']'.repeat(N / 10) + '\n'],
  yamlDeep2: ['environment.yml', 'dependencies:\n' + '- '.repeat(N / 4) + 'x\n'],
  yamlAnchors: [
    'environment.yml',
    'a: &a [x]\n' +
      Array.from({ length: 20 }, (_, i) => `a${i + 1}: &a${i + 1} [` + `*a${i || ''},`.repeat(10) + ']').join(
        '\n',
      ) +
      '\ndependencies: []\n',
  ],
  markerQuotes: ['requirements.txt', 'a==1; python_version == "' + 'x'.repeat(N) + '\n'],
  unclosedExtra: ['requirements.txt', 'a[' + 'x'.repeat(N) + '\n'],
  pyprojUnterm: [
    'pyproject.toml',
    '[project]\ndependencies = [\n' + '"a==1",\n'.repeat(N / 16) + ']\n# ' + '"\\"'.repeat(N / 3) + '\n',
  ],
  pyprojLongStr: ['pyproject.toml', '[project]\ndependencies = ["a' + ' '.repeat(N) + '==1"]\n'],
  tomlHeaders: ['uv.lock', 'version = 1\n' + '[[package]]\n'.repeat(N / 12)],
  poetryHeaders: [
    'pyproject.toml',
    Array.from({ length: N / 40 }, (_, i) => `[tool.poetry.dependencies.p${i}]\nversion = "1"`).join('\n') +
      '\n',
  ],
  pipfileDup: [
    'Pipfile.lock',
    '{"_meta":{},"default":{' +
      Array.from({ length: N / 30 }, (_, i) => `"p${i}":{"version":"==1"}`).join(',\n') +
      '},"develop":{' +
      Array.from({ length: N / 30 }, (_, i) => `"p${i}":{"version":"==1"}`).join(',\n') +
      '}}',
  ],
  envDollar: ['requirements.txt', 'a==1 ' + '${A'.repeat(N / 3) + '\n'],
  condaSpaces: ['environment.yml', 'dependencies:\n  - pip:\n    - "' + ' '.repeat(N) + 'x"\n'],
};
const only = process.argv[3];
for (const [name, [path, text]] of Object.entries(cases)) {
  if (only && !only.split(',').includes(name)) continue;
  const t0 = process.cpuUsage();
  const r = parseLockfile(text, path, { readFile: () => undefined, env: { A: 'x' } });
  const u = process.cpuUsage(t0);
  const ms = (u.user + u.system) / 1000;
  console.log(
    name.padEnd(14),
    String(Math.round(ms)).padStart(7),
    'ms',
    r.status,
    r.packages.length,
    (r.issues[0]?.message ?? '').slice(0, 80),
  );
}
