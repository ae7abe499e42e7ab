// The one scan flow behind both doors (the action and the CLI's `scan`): settings -> trusted config ->
// lockfiles at head and base -> scan with one progress line per package -> report and outcome. The doors
// only read their inputs and publish what this returns; every edge (files, git, GitHub, clock, stages,
// log) comes in through `deps`.
import type { GitHubApi } from '../action/github.js';
import { type Config, ConfigurationError, type RawSettings, resolveConfig } from '../config.js';
import { selectLockfiles } from '../lockfiles/index.js';
import { type Outcome, outcome } from '../policy.js';
import { buildReport, type ScanItem, type ScanOptions, type ScanStages, scan } from '../scan.js';
import type { LockfileResult, PackageRef, PackageVerdict, ScanReport } from '../types.js';
import { type Collected, collect } from './collect.js';
import { loadTrustedConfig } from './config-source.js';
import { type Selection, selectItems } from './select.js';
import type { GitObjects } from './git.js';
import type { Logger } from './logger.js';
import { checkoutTree, commitTree, type SourceTree } from './tree.js';

/** The engine for a config: the real stages (src/action/stages.ts) or fakes in tests. */
export type StageFactory = (
  config: Config,
  workspace: string,
) => Promise<{
  stages: ScanStages<unknown>;
  /**
   * Once per scan, before it: e.g. one OSV batch for every package instead of one request each; the
   * lockfiles, for the index URLs a requirements file gives all its packages.
   */
  prepare?: (refs: PackageRef[], lockfiles?: LockfileResult[]) => Promise<void>;
  /** After the scan: run-level problems that fail the run (an index that served nothing for most pins). */
  problems?: () => string[];
  thresholds: ScanOptions['thresholds'];
  modelVersion?: string;
  cache?: ScanOptions['cache'];
}>;

/** What the GitHub event says, when the action runs; the CLI has none. */
export interface RunEvent {
  name: string;
  /** The pull request's (or merge group's) base commit. */
  baseSha?: string;
  /** The pull request's head commit. */
  headSha?: string;
  prNumber?: number;
}

export interface RunRequest {
  /** Action inputs or CLI flags; empty or undefined means "not set" (then the config file, then defaults). */
  settings: RawSettings;
  event?: RunEvent;
}

export interface RunScanDeps {
  /** The checkout's root on disk. */
  workspace: string;
  git: GitObjects;
  logger: Logger;
  /** Reads a file at a commit the checkout lacks (the contents API); absent in the CLI. */
  github?: Pick<GitHubApi, 'getContent'>;
  clock: () => Date;
  createStages: StageFactory;
  tool: { name: string; version: string };
}

export interface RunResult {
  config: Config;
  report: ScanReport;
  /** Failed or not, why, and the warnings to show (unscannable packages with fail-on-unscannable off). */
  outcome: Outcome;
  /** Set when the pull request changes the config file (the base commit's was used). */
  configChange?: string;
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);
const CONCURRENCY = 8;

export async function runScan(request: RunRequest, deps: RunScanDeps): Promise<RunResult> {
  const startedAt = deps.clock();
  const { logger } = deps;
  const sources = await scanSources(request, deps);
  const trusted = await trustedConfig(request.settings, sources, deps);
  const { config } = trusted;
  const { collected, selected } = await packagesToScan(config, sources, logger);
  const { engine, packages } = await scanPackages(config, collected, selected, deps);
  const report = buildReport({
    tool: { ...deps.tool, modelVersion: engine.modelVersion },
    mode: sources.mode,
    lockfiles: collected.lockfiles,
    packages,
    startedAt,
    now: deps.clock(),
  });
  reportSelection(report, config, selected);
  const { counts } = report;
  logger.info(
    `${counts.scanned} scanned, ${counts.malicious} malicious, ${counts.suspicious} suspicious, ${counts.unscannable} unscannable, ${counts.errors} lockfile error(s) in ${(report.ms / 1000).toFixed(1)} s`,
  );
  const result = outcome(report, config.failOn, {
    failOnUnscannable: config.failOnUnscannable,
    problems: engine.problems?.() ?? [],
  });
  for (const warning of result.warnings) logger.warning(`pypi-malware-gate: ${warning}`);
  return { config, report, outcome: result, configChange: trusted.change };
}

/** What the scan reads, known from the inputs alone: mode, head tree, base (its tree or the contents API). */
interface ScanSources {
  mode: ScanReport['mode'];
  /** The config file the inputs name (or the default), read next by loadTrustedConfig. */
  configFile: string;
  head: SourceTree;
  base?: string;
  baseTree?: SourceTree;
  readBase?: (path: string) => Promise<string | null>;
}

async function scanSources(request: RunRequest, deps: RunScanDeps): Promise<ScanSources> {
  const { event } = request;
  // Inputs alone first: a bad input is reported before any file is read.
  const early = resolveConfig(request.settings);
  const base = early.baseRef ?? event?.baseSha;
  // auto: what a pull request (or merge group) changes, or what changed since an explicit base-ref.
  const changesOnly = (event !== undefined && PR_EVENTS.has(event.name)) || early.baseRef !== undefined;
  const mode = early.mode === 'auto' ? (changesOnly ? 'diff' : 'full') : early.mode;
  if (mode === 'diff' && !base)
    throw new ConfigurationError('diff mode needs a base: run on pull_request, or set base-ref (--base)');
  const head = await headTree(early, event, deps);
  // The action fetches a base its shallow checkout lacks (one commit, with the checkout's credentials);
  // the CLI does not touch the network for a ref it was given.
  const baseTree = base ? await commitIfPresent(base, deps, event !== undefined) : undefined;
  if (base && !baseTree && !deps.github)
    throw new ConfigurationError(
      `the base ${base} is not a commit in ${event ? 'the checkout (check out with fetch-depth: 0, or give a github-token for the contents API)' : deps.workspace}`,
    );
  const readBase = base ? baseReader(base, baseTree, deps) : undefined;
  return { mode, configFile: early.configFile, head, base, baseTree, readBase };
}

/** The settings over the config file the run trusts (config-source.ts); a change to it is a warning. */
async function trustedConfig(
  settings: RawSettings,
  sources: ScanSources,
  deps: RunScanDeps,
): Promise<{ config: Config; change?: string }> {
  const trusted = await loadTrustedConfig(settings, sources.configFile, {
    head: sources.head,
    readBase: sources.readBase,
    baseLabel: sources.base ? `the base commit ${sources.base.slice(0, 12)}` : undefined,
    readExternal: deps.github
      ? (repository, path, ref) => deps.github!.getContent(path, ref, repository)
      : undefined,
  });
  if (trusted.change)
    deps.logger.warning(trusted.change, {
      title: 'pypi-malware-gate: configuration',
      file: trusted.config.configFile,
    });
  return trusted;
}

/** The lockfiles at head (and base, in diff mode), their packages and those this run scans, logged. */
async function packagesToScan(
  config: Config,
  { mode, head, baseTree, readBase }: ScanSources,
  logger: Logger,
): Promise<{ collected: Collected; selected: Selection }> {
  const files = await lockfilePaths(config, head);
  const collected = await collect({
    files,
    mode,
    readHead: (p) => head.read(p),
    readBase: mode === 'diff' ? readBase : undefined,
    readBaseInclude: baseTree ? (p) => baseTree.read(p) : undefined,
  });
  for (const note of collected.notes) logger.warning(note);
  const selected = selectItems(collected.items, collected.byLockfile, config);
  if (selected.excluded.length > 0)
    logger.warning(
      `${selected.excluded.length} package(s) not scanned because exclude names them: ${selected.excluded
        .slice(0, 10)
        .map((e) => `${e.ref.name} (${e.pattern})`)
        .join(', ')}${selected.excluded.length > 10 ? ', ...' : ''}`,
    );
  const from = head.sha ? ` (head ${head.label}, read from git objects)` : '';
  const part = config.shard
    ? ` (shard ${config.shard.index}/${config.shard.count}; ${selected.otherShards} in other shards)`
    : '';
  logger.info(
    `${mode} mode: ${files.length} lockfile(s), ${selected.items.length} package(s) to scan${part}${from}`,
  );
  return { collected, selected };
}

/** The stages for the config, then one scan over every package (the concurrency limit is shared). */
async function scanPackages(
  config: Config,
  collected: Collected,
  selected: Selection,
  deps: RunScanDeps,
): Promise<{ engine: Awaited<ReturnType<StageFactory>>; packages: PackageVerdict[] }> {
  const engine = await deps.createStages(config, deps.workspace);
  await engine.prepare?.(
    selected.items.map((i) => i.ref),
    collected.lockfiles,
  );
  const options: ScanOptions = {
    concurrency: CONCURRENCY,
    thresholds: engine.thresholds,
    allow: config.allow,
    rules: config.rules,
    now: deps.clock,
    modelVersion: engine.modelVersion,
    cache: config.cache ? engine.cache : undefined,
  };
  // Printed as one log group per lockfile.
  const progress = groupedProgress(collected.lockfiles, selected.byLockfile, deps.logger);
  const packages = await scan(selected.items, engine.stages, { ...options, onPackage: progress.finished });
  progress.close();
  return { engine, packages };
}

/** The packages this run left out: those exclude names, and how many other shards scan. */
function reportSelection(report: ScanReport, config: Config, selected: Selection): void {
  if (selected.excluded.length > 0)
    report.excluded = selected.excluded.map(({ ref, pattern }) => ({
      name: ref.name,
      version: ref.version ?? ref.specifier ?? '',
      file: ref.file,
      line: ref.line,
      pattern,
    }));
  if (config.shard) report.shard = { ...config.shard, otherShards: selected.otherShards };
}

const refKey = (ref: PackageRef): string =>
  `${ref.file}\u0000${ref.line}\u0000${ref.name}\u0000${ref.version ?? ref.specifier ?? ''}`;

/**
 * Progress as log groups, one per lockfile, while every package is scanned at once: a line is printed as
 * its package finishes when its lockfile's group is the open one; a later lockfile's lines wait only until
 * the groups before it are done (the runner's log has no interleaved groups). The count runs in log order.
 */
export function groupedProgress(
  lockfiles: LockfileResult[],
  byLockfile: Map<string, ScanItem[]>,
  logger: Logger,
): { finished: (v: PackageVerdict) => void; close: () => void } {
  const total = [...byLockfile.values()].reduce((n, items) => n + items.length, 0);
  const groups = lockfiles.map((lockfile) => {
    const size = (byLockfile.get(lockfile.file) ?? []).length;
    return { lockfile, size, pending: size, held: [] as PackageVerdict[] };
  });
  const groupOf = new Map<string, (typeof groups)[number]>();
  for (const g of groups)
    for (const item of byLockfile.get(g.lockfile.file) ?? []) groupOf.set(refKey(item.ref), g);
  let printed = 0;
  let open = -1;
  const print = (v: PackageVerdict) => logger.info(progressLine(++printed, total, v));
  const advance = () => {
    while (open < groups.length && (open < 0 || groups[open]!.pending === 0)) {
      if (open >= 0) logger.endGroup();
      open++;
      const g = groups[open];
      if (!g) break;
      const { lockfile } = g;
      logger.startGroup(`${lockfile.file} (${lockfile.format}, ${lockfile.status}, ${g.size} to scan)`);
      if (lockfile.error) logger.info(`error: ${lockfile.error}`);
      for (const issue of lockfile.issues)
        logger.info(`${issue.kind}: ${issue.file}:${issue.line ?? '?'}: ${issue.message}`);
      for (const v of g.held.splice(0)) print(v);
    }
  };
  advance();
  return {
    finished(v) {
      const g = groupOf.get(refKey(v.ref));
      if (!g) return print(v);
      if (g === groups[open]) print(v);
      else g.held.push(v);
      g.pending--;
      advance();
    },
    close() {
      for (const g of groups) g.pending = 0;
      advance();
    },
  };
}

/** `[37/153] benign     requests 2.32.3 (1.2 s)`, and the error when there is one. */
export function progressLine(done: number, total: number, v: PackageVerdict): string {
  const version = v.ref.version ?? v.resolvedVersion ?? v.ref.specifier ?? '';
  const seconds = ((v.ms ?? 0) / 1000).toFixed(1);
  return `[${done}/${total}] ${v.verdict.padEnd(11)} ${v.ref.name} ${version} (${seconds} s)${v.error ? `: ${v.error}` : ''}`;
}

/**
 * Where the head's lockfiles are read: the checkout, or (head-ref given, or a pull_request_target event,
 * whose checkout is the base) the head commit's git objects, fetched when missing and never checked out.
 */
async function headTree(config: Config, event: RunEvent | undefined, deps: RunScanDeps): Promise<SourceTree> {
  const rev = config.headRef ?? (event?.name === 'pull_request_target' ? event.headSha : undefined);
  if (!rev) return checkoutTree(deps.workspace);
  const tree = await commitIfPresent(rev, deps, true, event?.prNumber);
  if (!tree)
    throw new ConfigurationError(
      `the head commit ${rev} is not in the checkout and could not be fetched from origin (check out with fetch-depth: 0, or keep persist-credentials so it can be fetched)`,
    );
  return tree;
}

/** A commit's tree from git objects, fetching it (or the pull request's head ref) when asked to. */
async function commitIfPresent(
  rev: string,
  deps: RunScanDeps,
  fetch: boolean,
  prNumber?: number,
): Promise<SourceTree | undefined> {
  let sha = deps.git.commit(rev);
  if (!sha && fetch) {
    if (deps.git.fetch(rev)) sha = deps.git.commit(rev);
    if (
      !sha &&
      prNumber !== undefined &&
      deps.git.fetch(`+refs/pull/${prNumber}/head:refs/remotes/pull/${prNumber}/head`)
    )
      sha = deps.git.commit(rev);
  }
  return sha ? commitTree(deps.git, sha) : undefined;
}

/** The base's content of a path: git objects when the checkout has the commit, else the contents API. */
function baseReader(
  base: string,
  tree: SourceTree | undefined,
  deps: RunScanDeps,
): (path: string) => Promise<string | null> {
  return async (path) => {
    if (tree) return tree.read(path) ?? null;
    if (!deps.github)
      throw new Error(
        'the base commit is not in the checkout and there is no github-token for the contents API',
      );
    return deps.github.getContent(path, base);
  };
}

async function lockfilePaths(config: Config, tree: SourceTree): Promise<string[]> {
  if (config.lockfiles.length === 0) return selectLockfiles(await tree.glob(['**/*']));
  const found = await tree.glob(config.lockfiles);
  // A literal path that matches nothing is still listed, so it is reported as missing, not dropped.
  const literal = config.lockfiles.filter((p) => !/[*?[\]{}]/.test(p) && !found.includes(p));
  return [...new Set([...found, ...literal])].sort();
}
