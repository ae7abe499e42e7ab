// Peak RSS and wall time on each hostile archive of the test suite, each in a fresh process (RSS is
// per process; a test runner's would mix cases): the reader alone (read the file, readArchive), and
// with --cli the whole `inspect --json` command (whatever analysis it runs) under /usr/bin/time.
// The archives are built in memory by test/archive/hostile.ts and written to a temp dir only so a
// child process can be handed a path.
//
//   npx tsx scripts/inspect-bombs.ts [--cli]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { readArchive } from '../src/archive/index.js';
import {
  gzipBomb,
  makeSdist,
  makeTarGz,
  makeWheel,
  manyEntriesTarGz,
  methodZip,
  paxMember,
  rawTarMember,
  tarOfMembers,
  manyEntriesZip,
  overlappingZipBomb,
  pkg,
  toolBomb,
  zipBomb,
} from '../test/archive/hostile.js';

if (process.argv[2] === '--child') {
  // One case: read the file as inspect does, then report this process's peak RSS.
  const t = performance.now();
  const view = await readArchive(readFileSync(process.argv[3]!));
  const ms = performance.now() - t;
  const result = { status: view.status, error: view.error, entries: view.entries.length };
  // VmHWM, not getrusage's maxRSS: Linux carries ru_maxrss over from the parent across exec, so a
  // child of a parent that just built a 200 MB archive would report the parent's peak.
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  console.log(JSON.stringify({ result, ms, maxRssMb: Number(hwm) / 1024 }));
  process.exit(0);
}

const MiB = 1024 * 1024;
const cases: [string, () => Buffer][] = [
  ['baseline: small sdist', () => makeSdist(pkg)],
  ['gzip bomb 10 GiB of zeros', () => gzipBomb(10 * 1024)],
  ['zip bomb 1000 x 10 MiB', () => zipBomb(1000, 10)],
  ['overlapping zip bomb 20000 x 8 MiB', () => overlappingZipBomb(20_000, 8)],
  ['bzip2 bomb 2 GiB', () => toolBomb('bzip2', 2048)],
  ['xz bomb 2 GiB', () => toolBomb('xz', 2048)],
  ['150k entries tar.gz', () => manyEntriesTarGz(150_000)],
  ['150k entries zip64', () => manyEntriesZip(150_000)],
  [
    '20 MB one-line file',
    () => makeSdist({ ...pkg, files: { 'big.py': `x = "${randomBytes(15 * MiB).toString('base64')}"` } }),
  ],
  [
    '40 files of 5 MiB random (wheel)',
    () =>
      makeWheel({
        ...pkg,
        files: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.bin`, randomBytes(5 * MiB)])),
      }),
  ],
  // Bombs through the members the reader now decodes as pip's extractor does (issue 10).
  [
    'zip bzip2 (12) entry of 1 GiB of zeros',
    () =>
      methodZip([{ name: 'b/0.bin', data: '', method: 12, size: 1024 * MiB, body: toolBomb('bzip2', 1024) }]),
  ],
  [
    'zip lzma (14) entry of 64 MiB of zeros',
    () => methodZip([{ name: 'b/0.bin', data: Buffer.alloc(64 * MiB), method: 14 }]),
  ],
  [
    'sparse member claiming 1 TiB',
    () =>
      gzipSync(
        tarOfMembers(
          paxMember([
            ['GNU.sparse.size', String(2 ** 40)],
            ['GNU.sparse.map', '0,1'],
          ]),
          rawTarMember({ name: 'p/big.py', size: 1, type: '0', data: 'x' }),
        ),
      ),
  ],
  [
    '90k hard links to one 5 MiB file',
    () =>
      makeTarGz([
        { path: 'p/big.py', data: randomBytes(5 * MiB) },
        ...Array.from({ length: 90_000 }, (_, i) => ({
          path: `p/${i}.py`,
          type: 'hardlink' as const,
          linkTarget: 'p/big.py',
        })),
      ]),
  ],
  [
    'traversal and links',
    () =>
      makeTarGz([
        { path: '../../x', data: 'x' },
        { path: 'l', type: 'symlink', linkTarget: '/etc' },
      ]),
  ],
];

const cli = process.argv.includes('--cli');
const mainTs = join(import.meta.dirname, '../src/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'pmg-bombs-'));
try {
  console.log(
    `case | input | status | reason | read ms (process ms) | reader peak RSS MB${cli ? ' | inspect --json peak RSS MB, ms' : ''}`,
  );
  for (const [name, build] of cases) {
    const bytes = build();
    const file = join(dir, 'sample');
    writeFileSync(file, bytes);
    const t = performance.now();
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', file], {
      encoding: 'utf8',
      maxBuffer: 16 * MiB,
    });
    const wall = performance.now() - t;
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      const { result, ms, maxRssMb } = JSON.parse(line);
      const reason = (result.error ?? '').slice(0, 60);
      console.log(
        `${name} | ${(bytes.length / MiB).toFixed(1)} MB | ${result.status} | ${reason} | ${ms.toFixed(0)} (${wall.toFixed(0)}) | ${maxRssMb.toFixed(0)}${cli ? ` | ${cliRss(file)}` : ''}`,
      );
    } catch {
      console.log(`${name} | child failed (exit ${child.status}): ${child.stderr.slice(0, 300)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The whole command under GNU time: its maximum resident set (KB) and wall time. */
function cliRss(file: string): string {
  const t = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'maxrss=%M', process.execPath, '--import', 'tsx', mainTs, 'inspect', '--json', file],
    {
      encoding: 'utf8',
      maxBuffer: 64 * MiB,
    },
  );
  const kb = /maxrss=(\d+)/.exec(run.stderr)?.[1];
  return kb
    ? `${(Number(kb) / 1024).toFixed(0)}, ${(performance.now() - t).toFixed(0)}`
    : `failed: ${run.stderr.slice(0, 200)}`;
}
