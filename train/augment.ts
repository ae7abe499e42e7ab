// Training rows that break the size prior (issue 12, item 6). The corpus pairs mature Debian-packaged
// projects (benign) with small uploads (malicious), so a model learns "big is benign": a trojanized release
// of a big project is diluted away and a small honest CLI looks like malware. Two kinds of synthetic rows
// correct that, built deterministically from the corpus in memory (nothing is written but the feature cache,
// nothing is executed):
// - implants (label 1, source 'malicious-implant'): the strongest Python file of a training malware sample
//   put into a real benign project: appended to its package __init__.py or setup.py, or added as a module
//   its __init__.py imports. They train only; every reported figure is on real rows (evaluate.ts).
// - cuts (label 0, source 'benign-small'): a benign project cut down to its metadata, its package
//   __init__.py and one or two modules: a small honest package with its real metadata. Reported apart.
// An implant takes the fold group of its payload, a cut that of its project, so no fold tests a row whose
// parent it trained on; each row also names its host, so the time split can keep held-out hosts unseen.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArchive } from '../src/archive/index.js';
import { extractFeatures, initFeatures } from '../src/features/index.js';
import { featureDigest } from './corpus.js';
import type { Analysis, ArchiveEntry, ArchiveView } from '../src/types.js';
import { fileEntry, type Host, hostOf, implant, type Payload, textOf, withEntries } from './evasion.js';
import { deriveSeed, makeRng, type Rng, shuffle } from './prng.js';
import type { FeatureRow } from './table.js';

export const AUGMENT_VERSION = 2;

export interface AugmentOptions {
  implants: number;
  cuts: number;
  /** Benign projects payloads are implanted into. */
  hosts: number;
  seed: number;
  cacheDir: string;
  log?: (line: string) => void;
}

export const AUGMENT_DEFAULTS = { implants: 600, cuts: 400, hosts: 80 } as const;

const TEST_OR_DOC = /(^|\/)(tests?|testing|docs?|examples?|benchmarks?)\//;
const METADATA_FILE = /^[^/]+\/(PKG-INFO|setup\.py|setup\.cfg|pyproject\.toml|README[^/]*|LICEN[CS]E[^/]*)$/i;

type Implant = (payload: Payload, host: Host) => ArchiveView | undefined;

const replaceEntry = (view: ArchiveView, path: string, text: string, add: ArchiveEntry[] = []) =>
  withEntries(view, new Map([[path, text]]), add);

/** Ways a payload enters a host for training (the evasion table's split-string, builtins and thread rows are not among them). */
const IMPLANTS: Record<string, Implant> = {
  'init-append': (p, h) =>
    h.init
      ? replaceEntry(
          h.view,
          h.init,
          `${textOf(h.view.entries.find((e) => e.path === h.init))}\n\n${implant(p.source)}\n`,
        )
      : undefined,
  'setup-append': (p, h) =>
    h.setup
      ? replaceEntry(
          h.view,
          h.setup,
          `${textOf(h.view.entries.find((e) => e.path === h.setup))}\n\n${implant(p.source)}\n`,
        )
      : undefined,
  'imported-module': (p, h) => {
    if (!h.init) return undefined;
    const dir = h.init.slice(0, h.init.lastIndexOf('/') + 1);
    const init = textOf(h.view.entries.find((e) => e.path === h.init));
    return replaceEntry(h.view, h.init, `from . import _compat_util  # noqa\n${init}`, [
      fileEntry(`${dir}_compat_util.py`, implant(p.source)),
    ]);
  },
};

/** A benign project cut to its metadata, its top __init__.py and up to two other modules. */
function cut(host: Host, rng: Rng): ArchiveView | undefined {
  const modules = host.view.entries.filter(
    (e) =>
      e.data &&
      e.path.startsWith(host.root) &&
      /\.py$/.test(e.path) &&
      e.path !== host.init &&
      !/\/setup\.py$/.test(e.path) &&
      !TEST_OR_DOC.test(e.path.slice(host.root.length)),
  );
  if (modules.length === 0) return undefined;
  shuffle(modules, rng);
  const keep = new Set([...modules.slice(0, 1 + rng.int(2)).map((e) => e.path)]);
  if (host.init) keep.add(host.init);
  const entries = host.view.entries.filter(
    (e) => keep.has(e.path) || METADATA_FILE.test(e.path) || e.type === 'dir',
  );
  return { ...host.view, entries };
}

/** The strongest Python file of a cached malicious row (where its first medium-or-stronger evidence points). */
function payloadOfRow(row: FeatureRow, view: ArchiveView): Payload | undefined {
  const paths = new Set(view.entries.filter((e) => e.data && /\.py$/.test(e.path)).map((e) => e.path));
  const target = (row.evidence ?? []).find((e) => paths.has(e.path) && e.severity !== 'low')?.path;
  if (!target) return undefined;
  const source = textOf(view.entries.find((e) => e.path === target));
  if (source.length === 0 || source.length > 200_000) return undefined;
  return { name: row.name, view, path: target, source };
}

// The corpus cache's digest (features, extractor version, analysing code) plus this generator's version.
const augmentDigest = () => `${featureDigest()}-a${AUGMENT_VERSION}`;

async function cached(
  cacheDir: string,
  key: string,
  build: () => Promise<Analysis | undefined>,
): Promise<Analysis | undefined> {
  const id = createHash('sha256').update(key).digest('hex');
  const path = join(cacheDir, augmentDigest(), `${id}.json`);
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    return text === 'null' ? undefined : (JSON.parse(text) as Analysis);
  }
  const analysis = await build();
  mkdirSync(join(cacheDir, augmentDigest()), { recursive: true });
  writeFileSync(path, analysis ? JSON.stringify(analysis) : 'null');
  return analysis;
}

function toRow(
  analysis: Analysis,
  base: Pick<FeatureRow, 'label' | 'source' | 'group' | 'name'>,
  id: string,
  extra: Partial<FeatureRow>,
): FeatureRow {
  return {
    ...base,
    id,
    status: 'ok',
    features: analysis.features,
    tokens: analysis.tokens,
    rules: [...new Set(analysis.evidence.filter((e) => e.severity !== 'low').map((e) => e.rule))],
    evidence: analysis.evidence.filter((e) => e.severity !== 'low').slice(0, 40),
    ...(analysis.unit ? { unit: analysis.unit } : {}),
    ...extra,
  };
}

/**
 * Implants and cuts for the table's rows (which must carry `path`, as corpus rows do). Deterministic for a
 * seed; every synthetic analysis is cached by its recipe, so a second run costs only the reads.
 */
export async function augmentRows(
  rows: readonly FeatureRow[],
  options: AugmentOptions,
): Promise<FeatureRow[]> {
  // Synthetic archives are analysed in this thread: without the parser every file reads as unparsed.
  await initFeatures();
  const rng = makeRng(deriveSeed(options.seed, 'augment'));
  const ok = rows.filter((r) => r.status === 'ok' && r.path);
  const hostRows = ok.filter((r) => r.source === 'benign-sdist').sort((a, b) => (a.id < b.id ? -1 : 1));
  shuffle(hostRows, rng);
  const hosts: { row: FeatureRow; host: Host }[] = [];
  let k = 0;
  // Implant hosts: real projects of a few dozen to a few hundred files, with a package to implant into.
  for (; k < hostRows.length && hosts.length < options.hosts; k++) {
    const row = hostRows[k]!;
    const view = await readArchive(readFileSync(row.path!));
    if (view.status !== 'ok') continue;
    const host = hostOf(row.name, view);
    const files = view.entries.filter((e) => e.data).length;
    if (host.init && host.pkg && files >= 20 && files <= 600) hosts.push({ row, host });
  }
  const out: FeatureRow[] = [];
  // Cuts: from the projects after them in the same order, so no project is both a host and a cut.
  let cuts = 0;
  for (; k < hostRows.length && cuts < options.cuts; k++) {
    const row = hostRows[k]!;
    const analysis = await cached(options.cacheDir, `cut/${row.id}`, async () => {
      const view = await readArchive(readFileSync(row.path!));
      if (view.status !== 'ok') return undefined;
      const small = cut(hostOf(row.name, view), makeRng(deriveSeed(options.seed, 'cut', row.id)));
      return small ? extractFeatures(small) : undefined;
    });
    if (!analysis) continue;
    cuts++;
    out.push(
      toRow(
        analysis,
        { label: 0, source: 'benign-small', group: row.group, name: row.name },
        `cut:${row.id}`,
        { parent: row.id, host: row.id },
      ),
    );
    if (cuts % 100 === 0) options.log?.(`  augment: ${cuts}/${options.cuts} cuts`);
  }

  const payloadRows = ok
    .filter((r) => r.label === 1 && r.source === 'malicious')
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  shuffle(payloadRows, rng);
  const kinds = Object.keys(IMPLANTS);
  let made = 0;
  let attempt = 0;
  for (const row of payloadRows) {
    if (made >= options.implants || hosts.length === 0) break;
    // Host and way by attempt, so a host without setup.py or a payload without a file to take cannot stall them.
    const { row: hostRow, host } = hosts[attempt % hosts.length]!;
    const kind = kinds[attempt % kinds.length]!;
    attempt++;
    const analysis = await cached(options.cacheDir, `implant/${kind}/${row.id}/${hostRow.id}`, async () => {
      const view = await readArchive(readFileSync(row.path!));
      const payload = view.status === 'ok' ? payloadOfRow(row, view) : undefined;
      const mutated = payload && IMPLANTS[kind]!(payload, host);
      return mutated ? extractFeatures(mutated) : undefined;
    });
    if (!analysis) continue;
    made++;
    out.push(
      toRow(
        analysis,
        { label: 1, source: 'malicious-implant', group: row.group, name: row.name },
        `implant:${kind}:${row.id}:${hostRow.id}`,
        { parent: row.id, host: hostRow.id, ...(row.added ? { added: row.added } : {}) },
      ),
    );
    if (made % 100 === 0) options.log?.(`  augment: ${made}/${options.implants} implants`);
  }
  return out;
}
