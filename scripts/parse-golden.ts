// Golden check for parsePython: records a digest of every ParsedFile over a spread sample of the corpus's
// Python files, then compares a later implementation's output with it file by file and times both the bare
// parse and parsePython over the same in-memory sources. Archives are read only through src/archive (in
// memory); nothing in them is run or written out. The golden file lives outside the repository.
//
//   npx tsx scripts/parse-golden.ts record  [--per-source N] [--out FILE]
//   npx tsx scripts/parse-golden.ts compare [--per-source N] [--out FILE] [--distinct-identifiers] [--show N]
//   npx tsx scripts/parse-golden.ts time    [--per-source N] [--rounds N]   (CPU time, best of N rounds)
//
// --mutate damages each file a little (seeded, so record and compare see the same text) to exercise the
// trees tree-sitter builds for broken code: ERROR and MISSING nodes, unterminated strings.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readArchive } from '../src/archive/index.js';
import { bareParse, initPython, type ParsedFile, parsePython } from '../src/python/index.js';
import { defaultBenignDirs, defaultCorpusDir, listCorpus } from '../train/corpus.js';

const PYTHON = /\.(py|pyw|pth)$/i;
const LONG = 1000;

const args = process.argv.slice(2);
const mode = args[0] ?? 'compare';
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const perSource = Number(option('per-source', '25'));
const out = option('out', '/tmp/parse-golden.jsonl');
const show = Number(option('show', '20'));
const rounds = Number(option('rounds', '3'));
const distinctIdentifiers = args.includes('--distinct-identifiers');
const mutate = args.includes('--mutate');

const DAMAGE = [
  '(',
  ')',
  ':',
  'def ',
  "'",
  '"""',
  '\n  ',
  'if ',
  'else',
  ',',
  '=',
  'lambda',
  '{',
  ']',
  '\\',
  'f"{',
];

/** Small seeded generator (mulberry32): the same damage on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function damage(text: string, seed: number): string {
  const next = random(seed);
  let out = text;
  const edits = 1 + Math.floor(next() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const what = next();
    if (what < 0.2) out = out.slice(0, at);
    else if (what < 0.6)
      out = out.slice(0, at) + (DAMAGE[Math.floor(next() * DAMAGE.length)] ?? '') + out.slice(at);
    else out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 20));
  }
  return out;
}

interface Source {
  path: string;
  text: string;
}

/** Every n-th archive of each source (the benchmark's spread), every Python file in each. */
async function sources(): Promise<Source[]> {
  const items = listCorpus(defaultCorpusDir(), defaultBenignDirs());
  const bySource = new Map<string, typeof items>();
  for (const item of items) bySource.set(item.source, [...(bySource.get(item.source) ?? []), item]);
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const list: Source[] = [];
  for (const group of bySource.values()) {
    const step = Math.max(1, Math.floor(group.length / perSource));
    for (const item of group.filter((_, i) => i % step === 0).slice(0, perSource)) {
      const view = await readArchive(readFileSync(item.path));
      for (const e of view.entries) {
        if (e.type === 'file' && e.data && PYTHON.test(e.path))
          list.push({ path: e.path, text: decoder.decode(e.data) });
      }
    }
  }
  return mutate ? list.map((s, i) => ({ path: s.path, text: damage(s.text, i + 1) })) : list;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
/** Long texts (payload blobs) are kept as a hash and a length so the golden file stays small. */
const short = (text: string) => (text.length > LONG ? `#${sha(text)}:${text.length}` : text);

function digest(file: ParsedFile): Record<string, unknown> {
  const identifiers = distinctIdentifiers ? [...new Set(file.identifiers)] : file.identifiers;
  return {
    path: file.path,
    source: sha(file.source),
    lines: sha(file.lines.join('\n')) + `:${file.lines.length}`,
    parsed: file.parsed,
    parseError: file.parseError,
    errorNodes: file.errorNodes,
    topLevelStatements: file.topLevelStatements,
    cmdclass: file.cmdclass,
    setupCall: file.setupCall,
    imports: file.imports,
    calls: file.calls,
    strings: file.strings.map((s) => ({ ...s, value: short(s.value) })),
    defs: file.defs,
    identifiers: identifiers.map(short),
  };
}

/** Field-level differences between two digests, first differing element of each list. */
function differences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  for (const key of Object.keys(a)) {
    const x = a[key];
    const y = b[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (Array.isArray(x) && Array.isArray(y)) {
      const n = Math.max(x.length, y.length);
      for (let i = 0; i < n; i++) {
        if (JSON.stringify(x[i]) !== JSON.stringify(y[i])) {
          diffs.push(
            `${key}[${i}] (lengths ${x.length} vs ${y.length}): ${JSON.stringify(x[i])} -> ${JSON.stringify(y[i])}`,
          );
          break;
        }
      }
    } else diffs.push(`${key}: ${JSON.stringify(x)} -> ${JSON.stringify(y)}`);
  }
  return diffs;
}

async function record(list: Source[]) {
  const stream = createWriteStream(out);
  for (const s of list) stream.write(`${JSON.stringify(digest(parsePython(s.text, s.path)))}\n`);
  await new Promise((resolve) => stream.end(resolve));
  process.stdout.write(`recorded ${list.length} files to ${out}\n`);
}

async function compare(list: Source[]) {
  const lines = createInterface({ input: createReadStream(out) });
  let i = 0;
  let same = 0;
  const byField = new Map<string, number>();
  const shown: string[] = [];
  for await (const line of lines) {
    const s = list[i++];
    if (!s) break;
    const golden = JSON.parse(line) as Record<string, unknown>;
    if (distinctIdentifiers) golden.identifiers = [...new Set(golden.identifiers as string[])];
    const now = JSON.parse(JSON.stringify(digest(parsePython(s.text, s.path)))) as Record<string, unknown>;
    const diffs = differences(golden, now);
    if (diffs.length === 0) {
      same++;
      continue;
    }
    for (const d of diffs) {
      const field = d.split(/[[:]/)[0] ?? d;
      byField.set(field, (byField.get(field) ?? 0) + 1);
    }
    if (shown.length < show) shown.push(`${s.path}\n  ${diffs.join('\n  ')}`);
  }
  if (i !== list.length)
    process.stdout.write(`golden has ${i} files, sample has ${list.length}: rerun record\n`);
  process.stdout.write(`${same} of ${i} files identical\n`);
  for (const [field, n] of byField) process.stdout.write(`  ${field}: ${n} files differ\n`);
  if (shown.length > 0) process.stdout.write(`${shown.join('\n')}\n`);
  if (same !== i) process.exitCode = 1;
}

/** CPU seconds of `run` (user + system): steadier than wall time on a shared machine. */
function cpuSeconds(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

/** Bare parse against parsePython over the same in-memory sources, interleaved; the best of each is kept. */
function time(list: Source[]) {
  const chars = list.reduce((n, s) => n + s.text.length, 0) / 1e6;
  for (const s of list.slice(0, 200)) parsePython(s.text, s.path);
  let bare = Number.POSITIVE_INFINITY;
  let full = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    bare = Math.min(
      bare,
      cpuSeconds(() => {
        for (const s of list) bareParse(s.text);
      }),
    );
    full = Math.min(
      full,
      cpuSeconds(() => {
        for (const s of list) parsePython(s.text, s.path);
      }),
    );
  }
  process.stdout.write(
    `${list.length} files, ${chars.toFixed(1)} M chars, best of ${rounds} (CPU time): bare parse ${bare.toFixed(2)} s, ` +
      `parsePython ${full.toFixed(2)} s, ${(full / bare).toFixed(2)}x the bare parse\n`,
  );
}

await initPython();
const list = await sources();
if (mode === 'record') await record(list);
else if (mode === 'compare') await compare(list);
else if (mode === 'time') time(list);
else process.stdout.write(`unknown mode ${mode}: record, compare or time\n`);
