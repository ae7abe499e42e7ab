// Per rule: how many malicious and how many benign archives fire it, in which context (install/import/runtime/
// test), plus parse success and speed. Used to tune severities. Archives are read in memory only; nothing in
// them is executed or written to disk.
//
//   npx tsx scripts/rules-survey.ts [--malicious N] [--benign N]
//
// Until src/archive's readArchive is committed this reads .tar.gz and .zip itself (tar's Parser, yauzl),
// in memory, the same way; switch to readArchive when it lands.
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Parser as TarParser } from 'tar';
import yauzl from 'yauzl';
import { bareParse, initPython, parsePython } from '../src/python/index.js';
import { RULES, runRules, runTextRules, TEXT_RULES } from '../src/rules/index.js';
import type { Evidence } from '../src/types.js';

const MALICIOUS_DIR = '/work/shared/corpus/malicious';
const BENIGN_DIR = join(homedir(), '.cache/pypi-corpus/benign');
const MAX_FILE = 8_000_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Every n-th file of a sorted listing: a spread sample that is the same on every run. */
function sample(dir: string, count: number): string[] {
  const names = readdirSync(dir).sort();
  const step = Math.max(1, Math.floor(names.length / Math.max(count, 1)));
  return names
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((n) => join(dir, n));
}

interface Entry {
  path: string;
  data: Buffer;
}

function readTar(bytes: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    const parser = new TarParser({ strict: false });
    parser.on('entry', (entry) => {
      const chunks: Buffer[] = [];
      let size = 0;
      entry.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_FILE) chunks.push(c);
      });
      entry.on('end', () => {
        if (entry.type === 'File' && size <= MAX_FILE)
          entries.push({ path: entry.path, data: Buffer.concat(chunks) });
      });
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(entries));
    parser.end(gunzipSync(bytes));
  });
}

function readZip(bytes: Buffer): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/') || entry.uncompressedSize > MAX_FILE) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({ path: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const read = (bytes: Buffer) => (bytes[0] === 0x50 && bytes[1] === 0x4b ? readZip(bytes) : readTar(bytes));
const decoder = new TextDecoder('utf-8');
// --show RULE prints that rule's hits in benign archives (to see what benign code trips it).
const SHOW = process.argv.includes('--show') ? process.argv[process.argv.indexOf('--show') + 1] : undefined;
const CONTEXTS = ['install', 'import', 'runtime', 'test'] as const;

interface Tally {
  archives: number;
  failed: string[];
  perRule: Map<
    string,
    { any: number; byContext: Record<string, number>; bySeverity: Record<string, number> }
  >;
  pyFiles: number;
  pyBytes: number;
  cleanParses: number;
  unparsed: number;
  parseMs: number;
  bareMs: number;
  rulesMs: number;
}

async function survey(paths: string[]): Promise<Tally> {
  const tally: Tally = {
    archives: 0,
    failed: [],
    perRule: new Map(),
    pyFiles: 0,
    pyBytes: 0,
    cleanParses: 0,
    unparsed: 0,
    parseMs: 0,
    bareMs: 0,
    rulesMs: 0,
  };
  for (const path of paths) {
    let entries: Entry[];
    try {
      entries = await read(readFileSync(path));
    } catch (error) {
      tally.failed.push(`${path}: ${(error as Error).message}`);
      continue;
    }
    tally.archives++;
    const evidence: Evidence[] = [];
    for (const entry of entries) {
      const isPython = /\.(py|pyw|pth)$/i.test(entry.path);
      const text = decoder.decode(entry.data);
      if (isPython) {
        let t = performance.now();
        bareParse(text);
        tally.bareMs += performance.now() - t;
        t = performance.now();
        const file = parsePython(text, entry.path);
        tally.parseMs += performance.now() - t;
        tally.pyFiles++;
        tally.pyBytes += entry.data.length;
        if (!file.parsed) tally.unparsed++;
        else if (file.errorNodes === 0) tally.cleanParses++;
        t = performance.now();
        evidence.push(...runRules(file));
        tally.rulesMs += performance.now() - t;
      } else if (entry.data.length < 1_000_000) {
        evidence.push(...runTextRules(entry.path, text));
      }
    }
    if (SHOW && path.startsWith(BENIGN_DIR)) {
      for (const e of evidence.filter((x) => x.rule === SHOW))
        console.log(
          `  ${e.severity} ${e.context} ${e.path}:${e.line} [${e.message}] ${e.snippet.slice(0, 100)}`,
        );
    }
    const seen = new Map<string, Set<string>>();
    for (const e of evidence) {
      const contexts = seen.get(e.rule) ?? new Set<string>();
      contexts.add(e.context ?? 'text');
      contexts.add(`severity:${e.severity}`);
      seen.set(e.rule, contexts);
    }
    for (const [rule, contexts] of seen) {
      const row = tally.perRule.get(rule) ?? { any: 0, byContext: {}, bySeverity: {} };
      row.any++;
      for (const c of contexts) {
        if (c.startsWith('severity:')) row.bySeverity[c.slice(9)] = (row.bySeverity[c.slice(9)] ?? 0) + 1;
        else row.byContext[c] = (row.byContext[c] ?? 0) + 1;
      }
      tally.perRule.set(rule, row);
    }
  }
  return tally;
}

await initPython();
const malicious = await survey(sample(MALICIOUS_DIR, flag('malicious', 200)));
const benign = await survey(sample(BENIGN_DIR, flag('benign', 200)));

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
const cell = (t: Tally, rule: string) => {
  const row = t.perRule.get(rule);
  if (!row) return '0';
  const contexts = [...CONTEXTS, 'text']
    .filter((c) => row.byContext[c])
    .map((c) => `${c.slice(0, 2)}${row.byContext[c]}`)
    .join(' ');
  const top = ['critical', 'high', 'medium', 'low']
    .filter((s) => row.bySeverity[s])
    .map((s) => `${s[0]}${row.bySeverity[s]}`)
    .join(' ');
  return `${row.any} (${pct(row.any, t.archives)}) [${contexts}] {${top}}`;
};

console.log(
  `archives: malicious ${malicious.archives} (${malicious.failed.length} unreadable), benign ${benign.archives} (${benign.failed.length} unreadable)`,
);
for (const [label, t] of [
  ['malicious', malicious],
  ['benign', benign],
] as const) {
  const mb = t.pyBytes / 1e6;
  console.log(
    `${label}: ${t.pyFiles} Python files, ${mb.toFixed(1)} MB; parsed with zero error nodes ${pct(t.cleanParses, t.pyFiles)}, not parsed ${t.unparsed}; bare parse ${(mb / (t.bareMs / 1000)).toFixed(2)} MB/s, parse+walk ${(mb / (t.parseMs / 1000)).toFixed(2)} MB/s, rules ${(mb / (t.rulesMs / 1000)).toFixed(2)} MB/s`,
  );
}
console.log('\nrule | malicious archives [in/im/ru/te/tx context] {c/h/m/l severity} | benign archives');
for (const rule of [...RULES, ...TEXT_RULES]) {
  console.log(`${rule.id} | ${cell(malicious, rule.id)} | ${cell(benign, rule.id)}`);
}
for (const f of [...malicious.failed, ...benign.failed].slice(0, 10)) console.log(`unreadable: ${f}`);
