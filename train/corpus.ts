// The corpus as training rows: which archives there are (malicious.tsv, hard-benign.tsv, the fetched Debian
// upstream tarballs and repackaged wheels), their labels and groups, and one cached analysis per archive.
// Archives are read only through src/archive (in memory, with limits); nothing in them is run or unpacked.
// @ts-expect-error: a plain .mjs script, without type declarations.
import { computeDigest } from '../scripts/analysis-digest.mjs';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { readArchive } from '../src/archive/index.js';
import type { Analysis, Evidence } from '../src/types.js';
import { extractFeatures, FEATURE_NAMES } from '../src/features/index.js';
import { TOKEN_BUCKETS } from '../src/features/tokens.js';

export type RowSource = 'malicious' | 'benign-sdist' | 'benign-wheel' | 'hard-benign';

export interface CorpusItem {
  path: string;
  label: 0 | 1;
  source: RowSource;
  group: string;
  name: string;
  added?: string;
}

export interface CachedAnalysis {
  id: string;
  status: 'ok' | 'error';
  error?: string;
  features: Record<string, number>;
  tokens: Record<number, number>;
  /** Rule ids with located hits, strongest first (for the model card's blind-spot notes). */
  rules: string[];
  /**
   * Medium-or-stronger evidence (at most EVIDENCE_KEPT items, strongest first), so the gate's verdict —
   * decide() on this evidence — can be measured on the corpus without analysing it again.
   */
  evidence?: Evidence[];
  /** The file of the strongest evidence analysed alone (src/features/unit.ts), a row of its own in training. */
  unit?: Analysis['unit'];
}

/** How many evidence items a cached analysis keeps. */
export const EVIDENCE_KEPT = 40;
// The idioms read snippets up to 200 characters (a whole call, closing parenthesis included): a shorter cut
// here made the corpus verdicts stricter than the gate's (graphql-core's compat shim failed only here).
const SNIPPET_KEPT = 256;

/**
 * Changes whenever the feature list, the extractor's version or the analysing code changes (the digest of
 * src/archive, python, rules and features that keys the action's verdict cache; not judge.ts, which does not
 * shape a training row), so a rule change can never leave training rows extracted by the old rules.
 */
export const EXTRACTOR_VERSION = 8;
let digest: string | undefined;
export function featureDigest(): string {
  digest ??= createHash('sha256')
    .update(
      JSON.stringify({
        v: EXTRACTOR_VERSION,
        names: FEATURE_NAMES,
        buckets: TOKEN_BUCKETS,
        code: computeDigest(undefined, []),
      }),
    )
    .digest('hex')
    .slice(0, 12);
  return digest;
}

export function defaultCorpusDir(env: Record<string, string | undefined> = process.env): string {
  return env.PMG_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus');
}

export function defaultBenignDirs(env: Record<string, string | undefined> = process.env) {
  const base = env.PMG_BENIGN_DIR ?? join(homedir(), '.cache', 'pypi-corpus');
  return { sdists: join(base, 'benign'), wheels: join(base, 'benign-wheels') };
}

function tsv(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const columns = (head ?? '').split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

/**
 * One group per upstream project, so a project's tarball and its wheel land in the same fold
 * (Debian names the source "python-foo", the wheel's distribution is "foo").
 */
export function projectGroup(name: string): string {
  return name
    .toLowerCase()
    .replace(/[-_.]+/g, '-')
    .replace(/^(python3?|py)-/, '')
    .replace(/-(python3?|py)$/, '');
}

/**
 * The samples of malicious.tsv or hard-benign.tsv (a sha256 column; archives in the folder named after the
 * file), labelled by which list they are on; group = family, or the project for hard-benign. Rows whose
 * archive is absent are kept: the caller decides whether that is an error.
 */
export function labelledSamples(tsvPath: string): CorpusItem[] {
  const malicious = basename(tsvPath).startsWith('malicious');
  const folder = join(dirname(tsvPath), basename(tsvPath).replace(/\.tsv$/, ''));
  const items: CorpusItem[] = [];
  for (const r of tsv(tsvPath)) {
    const path = join(folder, r.sha256 ?? '');
    if (!r.sha256) continue;
    items.push({
      path,
      label: malicious ? 1 : 0,
      source: malicious ? 'malicious' : 'hard-benign',
      group: malicious ? `mal:${r.family}` : `hard:${projectGroup(r.name ?? '')}`,
      name: r.name ?? '',
      ...(r.added ? { added: r.added } : {}),
    });
  }
  return items;
}

/** Every archive of the corpus that is present on this machine, with its label and group. */
export function listCorpus(corpusDir = defaultCorpusDir(), benign = defaultBenignDirs()): CorpusItem[] {
  const items: CorpusItem[] = [];
  for (const name of ['malicious.tsv', 'hard-benign.tsv']) {
    const path = join(corpusDir, name);
    if (existsSync(path)) items.push(...labelledSamples(path).filter((i) => existsSync(i.path)));
  }
  const sdists = join(corpusDir, 'benign-debian.tsv');
  if (existsSync(sdists) && existsSync(benign.sdists)) {
    for (const r of tsv(sdists)) {
      const file = (r.file ?? '').replace(/\.tar\.(xz|bz2)$/, '.tar.gz');
      const path = join(benign.sdists, file);
      if (file && existsSync(path))
        items.push({
          path,
          label: 0,
          source: 'benign-sdist',
          group: `ben:${projectGroup(r.source ?? file)}`,
          name: r.source ?? '',
        });
    }
  }
  if (existsSync(benign.wheels)) {
    // A wheel is grouped with the Debian source it was built from (python3-foo from source bar), so a
    // project's sdist and wheels never land on both sides of a split.
    const sourceOf = new Map<string, string>();
    const wheelsTsv = join(corpusDir, 'benign-wheels-debian.tsv');
    if (existsSync(wheelsTsv))
      for (const r of tsv(wheelsTsv))
        if (r.package && r.source) sourceOf.set(projectGroup(r.package), projectGroup(r.source));
    for (const file of readdirSync(benign.wheels).sort()) {
      if (!file.endsWith('.whl')) continue;
      const dist = file.split('-')[0] ?? file;
      const project = projectGroup(dist);
      items.push({
        path: join(benign.wheels, file),
        label: 0,
        source: 'benign-wheel',
        group: `ben:${sourceOf.get(project) ?? project}`,
        name: dist,
      });
    }
  }
  return items;
}

/** Reads and analyses one archive file; a failure is a row with status 'error', never a throw. */
export async function analyseFile(bytes: Uint8Array, id: string): Promise<CachedAnalysis> {
  try {
    const view = await readArchive(bytes);
    if (view.status === 'error' && view.entries.length === 0)
      return {
        id,
        status: 'error',
        error: view.error ?? 'unreadable archive',
        features: {},
        tokens: {},
        rules: [],
      };
    // An archive cut short by a limit still yields the features of what was read; the reason is kept.
    const analysis = extractFeatures(view);
    const rules = [...new Set(analysis.evidence.map((e) => e.rule))];
    const evidence = analysis.evidence
      .filter((e) => e.severity !== 'low')
      .slice(0, EVIDENCE_KEPT)
      .map((e) => ({
        ...e,
        snippet: e.snippet.slice(0, SNIPPET_KEPT),
        message: e.message?.slice(0, SNIPPET_KEPT),
      }));
    return {
      id,
      status: 'ok',
      ...(view.status === 'error' ? { error: `partial: ${view.error}` } : {}),
      features: analysis.features,
      tokens: analysis.tokens,
      rules,
      evidence,
      ...(analysis.unit ? { unit: analysis.unit } : {}),
    };
  } catch (error) {
    return { id, status: 'error', error: (error as Error).message, features: {}, tokens: {}, rules: [] };
  }
}

/** Analysis of a file, from the cache (by sha256 and feature digest) or computed and cached. */
export async function cachedAnalysis(
  path: string,
  cacheDir: string | undefined,
  onlyCached = false,
): Promise<CachedAnalysis> {
  const bytes = readFileSync(path);
  const id = createHash('sha256').update(bytes).digest('hex');
  const dir = cacheDir ? join(cacheDir, featureDigest()) : undefined;
  const file = dir ? join(dir, `${id}.json`) : undefined;
  if (file && existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as CachedAnalysis;
    } catch {
      // A torn cache file is recomputed.
    }
  }
  if (onlyCached)
    return { id, status: 'error', error: 'not in the feature cache', features: {}, tokens: {}, rules: [] };
  const result = await analyseFile(bytes, id);
  if (dir && file) {
    mkdirSync(dir, { recursive: true });
    // Worker threads share a pid: the thread id keeps two workers on one archive apart.
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, JSON.stringify(result));
    renameSync(tmp, file);
  }
  return result;
}
