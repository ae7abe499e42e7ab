// The archive stage: bytes -> ArchiveView, in memory only, with limits. The format comes from the
// magic bytes, never from the file name; entry names are recorded as data and never followed; a hit
// limit or a broken stream is a status with what was read so far, never an exception.
import type { ArchiveFormat, ArchiveView } from '../types.js';
import { Collector } from './collector.js';
import { bunzip2, type Decompressor, gunzip, plain, unxz } from './decompress.js';
import { type Container, sniff, zipPrefix } from './detect.js';
import { type ArchiveLimits, resolveLimits } from './limits.js';
import { resolveLinks } from './links.js';
import { inTestOrDocFolder } from './names.js';
import { readTar } from './tar.js';
import { sourceProblem } from './text.js';
import { readZip } from './zip.js';

export { DEFAULT_LIMITS, resolveLimits, type ArchiveLimits, type LimitName } from './limits.js';
export { type NameFlag, nameFlags } from './names.js';
export { type DecodedText, decodeSource, decodeText } from './text.js';
export { sniff, type Container } from './detect.js';

const TAR_FORMATS: Partial<Record<Container, [ArchiveFormat, Decompressor]>> = {
  tar: ['tar', plain],
  gzip: ['tar.gz', gunzip],
  bzip2: ['tar.bz2', bunzip2],
  xz: ['tar.xz', unxz],
};

export async function readArchive(bytes: Uint8Array, limits?: Partial<ArchiveLimits>): Promise<ArchiveView> {
  const collector = new Collector(resolveLimits(limits), bytes.length);
  if (bytes.length === 0) return view('unknown', collector, 'empty input');
  let container = sniff(bytes);
  let zipAt = 0;
  if (container === 'unknown') {
    const prefix = zipPrefix(bytes);
    if (prefix !== undefined) {
      collector.note(`zip with ${prefix} bytes of leading data`);
      container = 'zip';
      zipAt = prefix;
    }
  }
  let format: ArchiveFormat = 'unknown';
  try {
    if (container === 'zip') {
      format = 'zip';
      await readZip(bytes.subarray(zipAt), collector);
    } else {
      const tar = TAR_FORMATS[container];
      if (!tar) {
        const what =
          container === 'unknown'
            ? 'not an archive (unrecognised content)'
            : `unsupported format: ${container}`;
        return view('unknown', collector, what);
      }
      format = tar[0];
      await readTar(bytes, tar[1], collector);
      resolveLinks(collector);
    }
    undecodableSources(collector);
  } catch (err) {
    // The readers turn every expected failure into a value; this is the backstop for library bugs.
    collector.fail(`reader failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!collector.error && collector.entries.length === 0) collector.fail('archive holds no entries');
  return view(format, collector);
}

function view(format: ArchiveFormat, c: Collector, error?: string): ArchiveView {
  if (error) c.fail(error);
  const result: ArchiveView = {
    format,
    kind: format === 'unknown' ? 'unknown' : packageKind(c),
    entries: c.entries,
    status: c.error ? 'error' : 'ok',
    limitsHit: c.limitsHit,
    bytesRead: c.bytesRead,
  };
  if (c.error) result.error = c.error;
  if (c.notes.length > 0) result.notes = c.notes;
  const gaps = c.allGaps();
  if (gaps.length > 0) result.gaps = gaps;
  return result;
}

const PYTHON_SOURCE = /\.pyw?$/i;

/** Python sources whose declared encoding the gate cannot decode as CPython would (see decodeSource). */
function undecodableSources(c: Collector): void {
  for (const e of c.entries) {
    if (!e.data || !PYTHON_SOURCE.test(e.path)) continue;
    const problem = sourceProblem(e.data);
    if (!problem) continue;
    // Test data in tests/ and docs/ declares codecs Python itself does not know (4 of 2,913 Debian
    // sdists: 'lala', 'utf-9', a test runner's own codec); nothing imports it at install or import time.
    if (inTestOrDocFolder(e.path)) c.note(`${e.path}: ${problem} (test or docs file: not a gap)`);
    else c.gap(e.path, problem, 'decode');
  }
}

/** A wheel has a top-level *.dist-info/WHEEL; an egg an EGG-INFO/ folder at the top; else an sdist. */
function packageKind(c: Collector): ArchiveView['kind'] {
  let egg = false;
  for (const e of c.entries) {
    if (/^[^/]+\.dist-info\/WHEEL$/.test(e.path) && e.type === 'file') return 'wheel';
    if (e.path.startsWith('EGG-INFO/')) egg = true;
  }
  return egg ? 'egg' : 'sdist';
}
