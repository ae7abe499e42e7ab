// The action's run: inputs -> config -> lockfiles at head/base -> scan -> reports -> outputs and exit.
// Every edge (GitHub API, git, files, core) is reached through `deps`, so this runs in tests as-is.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as core from '@actions/core';
import { context, getOctokit } from '@actions/github';
import { glob } from 'tinyglobby';
import {
  type Config,
  ConfigurationError,
  type FileConfig,
  parseConfigFile,
  resolveConfig,
} from '../config.js';
import { discoverLockfiles } from '../lockfiles/index.js';
import { annotations } from '../report/annotations.js';
import { renderComment } from '../report/comment.js';
import { flagged } from '../report/common.js';
import { escapeLog } from '../report/escape.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderSummary } from '../report/summary.js';
import { buildReport, outcome, type ScanOptions, type ScanStages, scan } from '../scan.js';
import type { PackageRef, ScanReport } from '../types.js';
import { collect } from './collect.js';
import { type GitHubApi, octokitApi, upsertAuditIssue, upsertComment } from './github.js';
import { readInputs } from './inputs.js';

export const TOOL = { name: 'pypi-malware-gate', version: '0.1.0' };
const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);

/** The engine for a config: the real stages (src/action/stages.ts) or fakes in tests. */
export type StageFactory = (
  config: Config,
  workspace: string,
) => Promise<{
  stages: ScanStages<unknown>;
  /** Once per scan, before it: e.g. one OSV batch for every package instead of one request each. */
  prepare?: (refs: PackageRef[]) => Promise<void>;
  thresholds: ScanOptions['thresholds'];
  modelVersion?: string;
  cache?: ScanOptions['cache'];
}>;

async function lockfilePaths(config: Config, workspace: string): Promise<string[]> {
  if (config.lockfiles.length === 0) return discoverLockfiles(workspace);
  const found = await glob(config.lockfiles, {
    cwd: workspace,
    dot: true,
    onlyFiles: true,
    expandDirectories: false,
  });
  // A literal path that matches nothing is still listed, so it is reported as missing, not dropped.
  const literal = config.lockfiles.filter((p) => !/[*?[\]{}]/.test(p) && !found.includes(p));
  return [...new Set([...found, ...literal])].sort();
}

function gitShow(workspace: string, sha: string, path: string): string | null | undefined {
  try {
    execFileSync('git', ['cat-file', '-e', `${sha}^{commit}`], { cwd: workspace, stdio: 'ignore' });
  } catch {
    return undefined; // the checkout does not have the base commit (shallow clone)
  }
  try {
    return execFileSync('git', ['show', `${sha}:${path}`], {
      cwd: workspace,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return null; // commit present, file absent: a new lockfile
  }
}

export async function run(createStages: StageFactory): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs();
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  let file: FileConfig = {};
  const configPath = join(workspace, inputs.configFile);
  if (existsSync(configPath)) file = parseConfigFile(readFileSync(configPath, 'utf8'), inputs.configFile);
  const config = resolveConfig(inputs, file);

  const eventName = context.eventName;
  const payload = context.payload as {
    pull_request?: {
      number: number;
      base: { sha: string };
      head: { sha: string; repo?: { full_name?: string } };
    };
    merge_group?: { base_sha: string };
  };
  const mode = config.mode === 'auto' ? (PR_EVENTS.has(eventName) ? 'diff' : 'full') : config.mode;
  const baseSha = config.baseRef ?? payload.pull_request?.base.sha ?? payload.merge_group?.base_sha;
  if (mode === 'diff' && !baseSha) {
    throw new ConfigurationError('diff mode needs a base: run on pull_request, or set base-ref');
  }
  const api: GitHubApi | undefined = inputs.githubToken
    ? octokitApi(
        getOctokit(inputs.githubToken, { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' }),
        context.repo.owner,
        context.repo.repo,
      )
    : undefined;

  const files = await lockfilePaths(config, workspace);
  const readHead = (p: string) => {
    try {
      return readFileSync(join(workspace, p), 'utf8');
    } catch {
      return undefined;
    }
  };
  const readBase = async (p: string): Promise<string | null> => {
    const fromGit = gitShow(workspace, baseSha!, p);
    if (fromGit !== undefined) return fromGit;
    if (!api)
      throw new Error(
        'the base commit is not in the checkout and there is no github-token for the contents API',
      );
    return api.getContent(p, baseSha!);
  };
  const collected = await collect({
    files,
    mode,
    readHead,
    readBase: mode === 'diff' ? readBase : undefined,
  });
  for (const note of collected.notes) core.warning(escapeLog(note));
  core.info(`${mode} mode: ${files.length} lockfile(s), ${collected.items.length} package(s) to scan`);

  const engine = await createStages(config, workspace);
  await engine.prepare?.(collected.items.map((i) => i.ref));
  const byFile = new Map<string, string[]>();
  const packages = await scan(collected.items, engine.stages, {
    concurrency: 8,
    thresholds: engine.thresholds,
    allow: config.allow,
    rules: config.rules,
    now: () => new Date(),
    modelVersion: engine.modelVersion,
    cache: config.cache ? engine.cache : undefined,
    onPackage: (v) => {
      const line = `${v.verdict.padEnd(10)} ${v.ref.name} ${v.ref.version ?? ''} (${v.ms ?? 0} ms)${v.error ? `: ${v.error}` : ''}`;
      byFile.set(v.ref.file, [...(byFile.get(v.ref.file) ?? []), line]);
    },
  });
  // One log group per lockfile, one line per package; escaped so a name cannot inject a command.
  for (const lf of collected.lockfiles) {
    core.startGroup(escapeLog(`${lf.file} (${lf.format}, ${lf.status})`));
    if (lf.error) core.info(escapeLog(`error: ${lf.error}`));
    for (const issue of lf.issues)
      core.info(escapeLog(`${issue.kind}: ${issue.file}:${issue.line ?? '?'}: ${issue.message}`));
    for (const line of byFile.get(lf.file) ?? []) core.info(escapeLog(line));
    core.endGroup();
  }

  const report: ScanReport = buildReport({
    tool: { ...TOOL, modelVersion: engine.modelVersion },
    mode,
    lockfiles: collected.lockfiles,
    packages,
    startedAt,
    now: new Date(),
  });
  await publish(report, config, {
    api,
    workspace,
    eventName,
    prNumber: payload.pull_request?.number,
    configFile: inputs.configFile,
  });
}

async function publish(
  report: ScanReport,
  config: Config,
  ctx: { api?: GitHubApi; workspace: string; eventName: string; prNumber?: number; configFile: string },
): Promise<void> {
  const jsonPath = join(ctx.workspace, 'pypi-malware-gate.json');
  writeFileSync(jsonPath, renderJson(report));
  const sarifPath = join(ctx.workspace, config.sarifFile);
  writeFileSync(sarifPath, renderSarif(report));

  for (const a of annotations(report)) {
    const props = { title: a.title, file: a.file, startLine: a.startLine };
    if (a.level === 'error') core.error(a.message, props);
    else core.warning(a.message, props);
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(renderSummary(report), true).write();
  }
  const hasFindings = flagged(report).length > 0;
  const runUrl = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
  if (ctx.prNumber !== undefined && ctx.api) {
    const body = renderComment(report, { indexUrl: config.indexUrl, configFile: ctx.configFile, runUrl });
    const result = await upsertComment(ctx.api, ctx.prNumber, body, config.comment, hasFindings);
    if (result.action === 'failed') {
      core.warning(
        result.forbidden
          ? 'Cannot comment on this pull request (read-only token, e.g. from a fork); see the job summary and annotations.'
          : `Could not update the pull request comment: ${escapeLog(result.message)}`,
      );
    } else core.info(`PR comment: ${result.action}`);
  }
  if (
    config.auditIssue &&
    (ctx.eventName === 'schedule' || ctx.eventName === 'workflow_dispatch') &&
    ctx.api
  ) {
    const body = renderComment(report, { indexUrl: config.indexUrl, configFile: ctx.configFile, runUrl });
    const result = await upsertAuditIssue(ctx.api, body, hasFindings);
    if (result.action === 'failed')
      core.warning(`Could not update the audit issue: ${escapeLog(result.message)}`);
    else core.info(`audit issue: ${result.action}`);
  }

  core.setOutput('scanned', report.counts.scanned);
  core.setOutput('malicious', report.counts.malicious);
  core.setOutput('suspicious', report.counts.suspicious);
  core.setOutput('report-json', relative(ctx.workspace, jsonPath));
  core.setOutput('sarif-file', relative(ctx.workspace, sarifPath));
  const { counts } = report;
  core.info(
    `${counts.scanned} scanned, ${counts.malicious} malicious, ${counts.suspicious} suspicious, ${counts.errors} error(s) in ${(report.ms / 1000).toFixed(1)} s`,
  );
  const result = outcome(report, config.failOn);
  if (result.failed) core.setFailed(`pypi-malware-gate: ${result.reason}`);
}
