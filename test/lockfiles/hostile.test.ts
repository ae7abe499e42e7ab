// Hostile lockfile input: parsing time grows linearly with the input (CPU time of n vs 2n in this one
// run, never a wall-clock bound), and no message quotes the hostile text (a token, a workflow command).
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../src/lockfiles/index.js';

/** A hostile shape: the file name it is parsed as, and its text at size n (about n characters). */
interface Shape {
  name: string;
  file: string;
  make: (n: number) => string;
  /**
   * Shapes that build one object per entry: larger n to rise above timer noise, and a looser bound.
   * V8's collector costs more per object on a larger heap: smol-toml alone grows 2.2-2.3x per doubling
   * on an array of inline tables (measured at 0.5-4 MB), and a loaded machine adds to it. Quadratic
   * parsing is 4x per doubling, so 3x still catches it.
   */
  entries?: true;
  /** Text of the file any -c/-r on the shape's lines reads. */
  constraints?: (n: number) => string;
}

const SHAPES: Shape[] = [
  { name: 'a line of spaces', file: 'requirements.txt', make: (n) => `${' '.repeat(n)}x\n` },
  { name: 'spaces inside a requirement', file: 'requirements.txt', make: (n) => `a${' '.repeat(n)}b\n` },
  { name: "'==1,' repeated", file: 'requirements.txt', make: (n) => `a${'==1,'.repeat(n / 4)}\n` },
  { name: "'>=1,' repeated", file: 'requirements.txt', make: (n) => `a${'>=1,'.repeat(n / 4)}>=1\n` },
  {
    name: 'a long sdist URL that is no sdist',
    file: 'requirements.txt',
    make: (n) => `https://x/a${'-1'.repeat(n / 2)}.tar.gzx\n`,
  },
  {
    name: 'a long sdist URL',
    file: 'requirements.txt',
    make: (n) => `https://x/a${'-1'.repeat(n / 2)}.tar.gz\n`,
  },
  { name: 'long extras', file: 'requirements.txt', make: (n) => `a[${'x,'.repeat(n / 2)}]==1\n` },
  {
    name: 'long markers',
    file: 'requirements.txt',
    make: (n) => `a==1; ${'python_version > "3" and '.repeat(n / 25)}x\n`,
  },
  { name: "many '\\' continuations", file: 'requirements.txt', make: (n) => 'a==1 \\\n'.repeat(n / 7) },
  {
    name: 'many --hash options',
    file: 'requirements.txt',
    make: (n) => `a==1 ${'--hash=sha256:aa '.repeat(n / 18)}\n`,
  },
  { name: 'dashes', file: 'requirements.txt', make: (n) => `a ${'- '.repeat(n / 2)}\n` },
  { name: 'many unique pins', file: 'requirements.txt', make: (n) => pins(n / 14), entries: true },
  {
    name: 'many requirements, each with a constraint',
    file: 'requirements.txt',
    make: (n) => `-c c.txt\n${Array.from({ length: n / 14 }, (_, i) => `p${i}`).join('\n')}`,
    constraints: (n) => pins(n / 14),
    entries: true,
  },
  {
    name: 'many --extra-index-url options',
    file: 'requirements.txt',
    make: (n) =>
      Array.from({ length: n / 40 }, (_, i) => `--extra-index-url https://x${i}.example/`).join('\n'),
    entries: true,
  },
  {
    name: 'many uv.lock registries',
    file: 'uv.lock',
    make: (n) =>
      `version = 1\n${Array.from({ length: n / 80 }, (_, i) => `[[package]]\nname = "a"\nsource = { registry = "https://x${i}.example/" }\n`).join('')}`,
    entries: true,
  },
  { name: 'blank lines (format sniffing)', file: 'unnamed', make: (n) => '\n'.repeat(n) },
  { name: 'unclosed extras lines (sniffing)', file: 'unnamed', make: (n) => 'a[x\n'.repeat(n / 4) },
  { name: 'deeply nested TOML arrays', file: 'pyproject.toml', make: (n) => `a = ${'['.repeat(n / 2)}` },
  {
    name: 'many pyproject dependencies',
    file: 'pyproject.toml',
    make: (n) => `[project]\ndependencies = [\n${'"a==1",\n'.repeat(n / 8)}]\n`,
    entries: true,
  },
  {
    name: 'an unterminated escaped string',
    file: 'pyproject.toml',
    make: (n) => `[project]\ndependencies = ["a==1"]\n# ${'"\\"'.repeat(n / 3)}\n`,
    // One scan per character of a line past the CPU cache: 2.1-2.3x per doubling alone at 128 KB to 4 MB.
    entries: true,
  },
  {
    name: 'many poetry dependencies',
    file: 'pyproject.toml',
    make: (n) =>
      `[tool.poetry.dependencies]\n${Array.from({ length: n / 16 }, (_, i) => `p${i} = "^1.0"`).join('\n')}\n`,
    entries: true,
  },
  {
    name: 'many Pipfile.lock entries',
    file: 'Pipfile.lock',
    make: (n) =>
      `{"_meta": {}, "default": {${Array.from({ length: n / 30 }, (_, i) => `"p${i}": {"version": "==1"}`).join(',\n')}}}`,
    entries: true,
  },
  { name: 'deeply nested JSON', file: 'Pipfile.lock', make: (n) => '['.repeat(n) },
  {
    name: 'many uv.lock packages',
    file: 'uv.lock',
    make: (n) => `version = 1\n${'[[package]]\nname = "a"\nversion = "1"\n'.repeat(n / 36)}`,
    entries: true,
  },
  {
    name: 'many pdm.lock packages',
    file: 'pdm.lock',
    make: (n) =>
      `[metadata]\nlock_version = "4.4"\n${Array.from({ length: n / 40 }, (_, i) => `[[package]]\nname = "p${i}"\nversion = "1"\n`).join('')}`,
    entries: true,
  },
  {
    name: 'one uv.lock package with many wheels',
    file: 'uv.lock',
    make: (n) =>
      `version = 1\n[[package]]\nname = "a"\nversion = "1"\nwheels = [\n${Array.from({ length: n / 50 }, (_, i) => `{ url = "https://x/a.whl", hash = "sha256:${i}" },\n`).join('')}]\n`,
    entries: true,
  },
  {
    name: 'a conda pip line of spaces',
    file: 'environment.yml',
    make: (n) => `dependencies:\n  - pip:\n    - "${' '.repeat(n)}x"\n`,
  },
];

function pins(count: number): string {
  return Array.from({ length: count }, (_, i) => `p${i}==1.${i}.0`).join('\n');
}

/** CPU time (user + system, microseconds) of `reps` parses of `text`. */
function cpu(text: string, file: string, reps: number, included?: string): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) parseLockfile(text, file, { readFile: () => included });
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

describe('hostile lockfile input parses in linear time', () => {
  const N = 128 * 1024;
  for (const shape of SHAPES) {
    // Quadratic parsing is 4x per doubling; 3x catches it with room for a loaded machine (vitest runs test
    // files side by side: a linear shape read 2.3-2.6x under that load, 2.0x alone).
    it(`${shape.name}: CPU time of 2n is at most ~3x that of n`, () => {
      const n = shape.entries ? 4 * N : N;
      const bound = 3;
      const small = shape.make(n);
      const large = shape.make(2 * n);
      const smallIncluded = shape.constraints?.(n);
      const largeIncluded = shape.constraints?.(2 * n);
      // Enough repetitions that the small input takes ~50 ms of CPU: timer and GC noise stay small.
      cpu(small, shape.file, 1, smallIncluded);
      const once = Math.max(cpu(small, shape.file, 1, smallIncluded), 200);
      const reps = Math.max(1, Math.min(250, Math.round(50_000 / once)));
      // The least CPU time of up to seven trials for each size: other processes and GC only ever add time.
      let small1 = Number.POSITIVE_INFINITY;
      let large1 = Number.POSITIVE_INFINITY;
      let best = Number.POSITIVE_INFINITY;
      for (let trial = 0; trial < 7 && best > bound; trial++) {
        small1 = Math.min(small1, cpu(small, shape.file, reps, smallIncluded));
        large1 = Math.min(large1, cpu(large, shape.file, reps, largeIncluded));
        best = large1 / small1;
      }
      // Still high: one doubling further before calling it superlinear. A square law grows 4x there too,
      // while a linear shape beside a second process on two cores measured 3.1x once at the first doubling.
      if (best > bound) {
        const larger = shape.make(4 * n);
        const largerIncluded = shape.constraints?.(4 * n);
        let larger1 = Number.POSITIVE_INFINITY;
        for (let trial = 0; trial < 7 && best > bound; trial++) {
          larger1 = Math.min(larger1, cpu(larger, shape.file, reps, largerIncluded));
          best = Math.min(best, larger1 / large1);
        }
      }
      expect(best).toBeLessThanOrEqual(bound);
    }, 120_000);
  }

  it('a 1 MB line of each shape parses or fails with a file:line message', () => {
    for (const shape of SHAPES) {
      const r = parseLockfile(shape.make(1024 * 1024), shape.file, { readFile: () => undefined });
      if (r.status === 'error') expect(r.error).toMatch(new RegExp(`^${shape.file.replace('.', '\\.')}`));
    }
  }, 120_000);
});

describe('messages never quote hostile text', () => {
  const SECRET = 'ghp_SECRETtoken0123456789';
  const payloads = [`::stop-commands::${SECRET}`, `x##[stop-commands]${SECRET}`, `::error::${SECRET}`];
  const lines = (p: string) => [
    `${p}\n`,
    `a==1 ${p}\n`,
    `a${p}\n`,
    `a==${p}\n`,
    `a[${p}]==1\n`,
    `-r ${p}\n`,
    `-c ../../${p}\n`,
    `-r https://user:${SECRET}@example.com/r.txt\n`,
    `-e ${p}\n`,
    `https://user:${SECRET}@example.com/${p}\n`,
    `--${p}\n`,
    `a @\n`,
    `a==1 --hash\n`,
  ];
  const documents = (p: string): [string, string][] => [
    ...lines(p).map((l): [string, string] => ['requirements.txt', l]),
    ['Pipfile.lock', `{"_meta": {}, "default": {"${p}": {"version": "==1"}}}`],
    ['Pipfile.lock', `{"_meta": {}, "default": {"a": {"version": "==1", "index": "${p}"}}}`],
    ['Pipfile.lock', `{"_meta": {}, "default": ${p}}`],
    ['Pipfile.lock', `{"_meta": {"pipfile-spec": 6}, ${p}`],
    ['uv.lock', `version = "${p}"\n`],
    ['uv.lock', `version = 1\n[[package]]\nname = "${p}"\nversion = "1"\n`],
    ['uv.lock', `version = 1\n[[package]]\nname = "a"\nsource = { editable = "${p}" }\n`],
    ['poetry.lock', `[metadata]\nlock-version = "${p}"\n`],
    ['poetry.lock', `[[package]]\nname = "${p}"\nversion = "1"\n[metadata]\nlock-version = "2.0"\n`],
    ['pdm.lock', `[metadata]\nlock_version = "${p}"\n`],
    ['pdm.lock', `[metadata]\nlock_version = "4.4"\n[[package]]\nname = "${p}"\nversion = "1"\n`],
    ['pylock.toml', `lock-version = "${p}"\n`],
    ['pylock.toml', `lock-version = "1.0"\n[[packages]]\nname = "${p}"\n`],
    ['pyproject.toml', `[project]\ndependencies = ["${p}"]\n`],
    ['pyproject.toml', `[tool.poetry.dependencies]\na = "${p}"\n`],
    ['pyproject.toml', `[tool.poetry.dependencies]\n"${p}" = "1"\n`],
    ['pyproject.toml', `x = ${p}\n`],
    ['environment.yml', `dependencies:\n  - pip:\n    - ${p}\n`],
    ['environment.yml', `dependencies: [*${p}]\n`],
    ['conda-lock.yml', `version: 1\npackage:\n- name: "${p}"\n  manager: pip\n`],
  ];

  it('no issue or error of any parser contains the payload, a token or a workflow command', () => {
    let checked = 0;
    for (const p of payloads) {
      for (const [file, text] of documents(p)) {
        const r = parseLockfile(text, file, { readFile: () => 'six==1.0\n' });
        const messages = [r.error ?? '', ...r.issues.map((i) => i.message)].join('\n');
        expect(messages, `${file}: ${JSON.stringify(text)}`).not.toContain(SECRET);
        expect(messages).not.toMatch(/::|##\[/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(90);
  });
});
