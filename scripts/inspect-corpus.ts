// Reads every archive of the corpus through readArchive and reports how many read ok, the errors by
// reason, the members that are gaps by reason, the kinds and formats seen, time, throughput and peak
// RSS. Archives are read in memory only; nothing in them is executed or written to disk.
//
//   npx tsx scripts/inspect-corpus.ts [--max N] [--show-failures] [DIR ...]
//
// Without DIRs it reads ../shared/corpus/{malicious,hard-benign} and ~/.cache/pypi-corpus/{benign,benign-wheels}.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readArchive } from '../src/archive/index.js';

const root = resolve(import.meta.dirname, '..');
const DEFAULT_DIRS = [
  join(root, '../shared/corpus/malicious'),
  join(root, '../shared/corpus/hard-benign'),
  join(homedir(), '.cache/pypi-corpus/benign'),
  join(homedir(), '.cache/pypi-corpus/benign-wheels'),
];

const args = process.argv.slice(2);
const max = args.includes('--max') ? Number(args[args.indexOf('--max') + 1]) : Number.POSITIVE_INFINITY;
const showFailures = args.includes('--show-failures');
const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--max');

/** Regular files directly in dir; skips sub-folders (the wheel fetcher keeps its .deb files there) and its empty markers. */
function archivesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names
    .map((n) => join(dir, n))
    .filter((p) => {
      const s = statSync(p);
      return s.isFile() && !(s.size === 0 && p.endsWith('.done')) && !p.endsWith('.part');
    })
    .slice(0, max);
}

/** An error message without the entry names and numbers in it, so that reasons group. */
const reasonOf = (error: string) =>
  error
    .replace(/: .*$/s, (m) => (m.length > 60 ? ': …' : m))
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 120);

const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sampleRss, 50);

const totals = { files: 0, ok: 0, inBytes: 0, outBytes: 0, ms: 0 };
for (const dir of dirs.length > 0 ? dirs : DEFAULT_DIRS) {
  const files = archivesIn(dir);
  const reasons = new Map<string, number>();
  const kinds = new Map<string, number>();
  const limits = new Map<string, number>();
  const failures: string[] = [];
  const gapReasons = new Map<string, number>();
  let withGaps = 0;
  let ok = 0;
  let inBytes = 0;
  let outBytes = 0;
  let ms = 0;
  let slowest = { ms: 0, file: '' };
  for (const file of files) {
    const bytes = readFileSync(file);
    const t = performance.now();
    const view = await readArchive(bytes);
    const took = performance.now() - t;
    ms += took;
    if (took > slowest.ms) slowest = { ms: took, file };
    inBytes += bytes.length;
    outBytes += view.bytesRead;
    inc(kinds, `${view.kind}/${view.format}`);
    for (const l of view.limitsHit) inc(limits, l);
    if (view.gaps && view.gaps.length > 0) {
      withGaps++;
      for (const g of view.gaps) inc(gapReasons, `${g.stage}: ${reasonOf(g.reason)}`);
      failures.push(`${file}: gaps ${JSON.stringify(view.gaps.slice(0, 3))}`);
    }
    if (view.status === 'ok') ok++;
    else {
      inc(reasons, reasonOf(view.error ?? '?'));
      failures.push(`${file}: ${view.error}`);
    }
    sampleRss();
  }
  totals.files += files.length;
  totals.ok += ok;
  totals.inBytes += inBytes;
  totals.outBytes += outBytes;
  totals.ms += ms;
  console.log(
    `\n${dir}: ${files.length} files, ok ${ok} (${pct(ok, files.length)}), ${(ms / 1000).toFixed(1)} s`,
  );
  console.log(`  read ${mb(inBytes)} MB in, ${mb(outBytes)} MB out: ${rate(outBytes, ms)} MB/s uncompressed`);
  console.log(`  slowest ${slowest.ms.toFixed(0)} ms ${slowest.file}`);
  console.log(`  kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (limits.size > 0) console.log(`  limits hit: ${[...limits].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  error ${n}: ${r}`);
  if (withGaps > 0)
    console.log(`  archives with gaps (members pip would write that were not read): ${withGaps}`);
  for (const [r, n] of [...gapReasons].sort((a, b) => b[1] - a[1])) console.log(`  gap ${n}: ${r}`);
  if (showFailures) for (const f of failures) console.log(`    ${f}`);
}
clearInterval(timer);
sampleRss();
console.log(
  `\ntotal: ${totals.files} files, ok ${totals.ok} (${pct(totals.ok, totals.files)}), ${(totals.ms / 1000).toFixed(1)} s reading, ` +
    `${rate(totals.inBytes, totals.ms)} MB/s compressed, ${rate(totals.outBytes, totals.ms)} MB/s uncompressed, ` +
    `peak RSS ${mb(Math.max(peakRss, process.resourceUsage().maxRSS * 1024))} MB`,
);

function pct(a: number, b: number) {
  return b === 0 ? '-' : `${((100 * a) / b).toFixed(2)}%`;
}
function mb(n: number) {
  return (n / 1e6).toFixed(0);
}
function rate(bytes: number, ms: number) {
  return ms === 0 ? '-' : (bytes / 1e3 / ms).toFixed(0);
}
