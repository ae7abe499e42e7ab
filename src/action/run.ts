// The action's door: runner inputs and event -> runScan() -> reports, comment, issue, outputs, exit status.
// Everything between reading the inputs and publishing is the shared engine (src/engine/run-scan.ts).
import { isAbsolute, relative } from 'node:path';
import * as core from '@actions/core';
import { context, getOctokit } from '@actions/github';
import type { Config } from '../config.js';
import { PACKAGE_VERSION } from '../version.js';
import { gitCli } from '../engine/git.js';
import { type RunEvent, type RunResult, runScan, type StageFactory } from '../engine/run-scan.js';
import { writeNewFile } from '../engine/write-file.js';
import { annotations } from '../report/annotations.js';
import { renderComment } from '../report/comment.js';
import { flagged } from '../report/common.js';
import { escapeAnnotation, escapeJsonInvisible, escapeMarkdown } from '../report/escape.js';
import { renderJson } from '../report/json.js';
import { renderSarif } from '../report/sarif.js';
import { renderSummary } from '../report/summary.js';
import type { ScanReport } from '../types.js';
import { type GitHubApi, octokitApi, upsertAuditIssue, upsertComment } from './github.js';
import { readInputs } from './inputs.js';
import { actionLogger } from './logger.js';

export type { StageFactory } from '../engine/run-scan.js';
export const TOOL = { name: 'pypi-malware-gate', version: PACKAGE_VERSION };
const JSON_REPORT = 'pypi-malware-gate.json';

/** What the event payload says about the pull request or merge group. */
function readEvent(): RunEvent {
  const payload = context.payload as {
    pull_request?: { number: number; base: { sha: string }; head: { sha: string } };
    merge_group?: { base_sha: string; head_sha?: string };
  };
  return {
    name: context.eventName,
    baseSha: payload.pull_request?.base.sha ?? payload.merge_group?.base_sha,
    headSha: payload.pull_request?.head.sha ?? payload.merge_group?.head_sha,
    prNumber: payload.pull_request?.number,
  };
}

export async function run(createStages: StageFactory): Promise<void> {
  const { settings, githubToken } = readInputs();
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const event = readEvent();
  const api: GitHubApi | undefined = githubToken
    ? octokitApi(
        getOctokit(githubToken, { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' }),
        context.repo.owner,
        context.repo.repo,
      )
    : undefined;
  const result = await runScan(
    { settings, event },
    {
      workspace,
      git: gitCli(workspace),
      logger: actionLogger(),
      github: api,
      clock: () => new Date(),
      createStages,
      tool: TOOL,
    },
  );
  await publish(result, { api, workspace, event });
}

async function publish(
  { report, config, outcome, configChange }: RunResult,
  ctx: { api?: GitHubApi; workspace: string; event: RunEvent },
): Promise<void> {
  const strict = { failOnUnscannable: config.failOnUnscannable };
  const jsonPath = writeNewFile(JSON_REPORT, escapeJsonInvisible(renderJson(report)), ctx.workspace);
  // A relative sarif-file stays inside the workspace; an absolute one (e.g. under runner.temp) is the
  // workflow's own choice. Either way the file is created, never written through a symlink.
  const outside = isAbsolute(config.sarifFile);
  const sarifPath = writeNewFile(
    config.sarifFile,
    escapeJsonInvisible(renderSarif(report, undefined, strict)),
    outside ? undefined : ctx.workspace,
  );
  for (const a of annotations(report, strict)) {
    const props = {
      title: escapeAnnotation(a.title),
      file: escapeAnnotation(a.file),
      startLine: a.startLine,
    };
    if (a.level === 'error') core.error(escapeAnnotation(a.message), props);
    else core.warning(escapeAnnotation(a.message), props);
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    // A config change in the PR is named where reviewers look, not only in the log.
    const note = configChange ? `> **Configuration:** ${escapeMarkdown(configChange)}\n\n` : '';
    await core.summary.addRaw(`${note}${renderSummary(report)}`, true).write();
  }
  if (ctx.api) await postComments(report, config, ctx.api, ctx.event);

  core.setOutput('scanned', report.counts.scanned);
  core.setOutput('malicious', report.counts.malicious);
  core.setOutput('suspicious', report.counts.suspicious);
  core.setOutput('unscannable', report.counts.unscannable);
  core.setOutput('report-json', relative(ctx.workspace, jsonPath));
  core.setOutput('sarif-file', outside ? sarifPath : relative(ctx.workspace, sarifPath));
  if (outcome.failed) core.setFailed(`pypi-malware-gate: ${escapeAnnotation(outcome.reason ?? 'failed')}`);
}

/** The pull request's comment, and the audit issue of a scheduled or manual run when asked for one. */
async function postComments(
  report: ScanReport,
  config: Config,
  api: GitHubApi,
  event: RunEvent,
): Promise<void> {
  const hasFindings = flagged(report).length > 0;
  const runUrl = `${process.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`;
  const body = () =>
    renderComment(report, { indexUrl: config.indexUrl, configFile: config.configFile, runUrl });
  if (event.prNumber !== undefined) {
    const r = await upsertComment(api, event.prNumber, body(), config.comment, hasFindings);
    if (r.action === 'failed')
      core.warning(
        r.forbidden
          ? 'Cannot comment on this pull request (read-only token, e.g. from a fork); see the job summary and annotations.'
          : `Could not update the pull request comment: ${escapeAnnotation(r.message)}`,
      );
    else core.info(`PR comment: ${r.action}`);
  }
  if (config.auditIssue && ['schedule', 'workflow_dispatch'].includes(event.name)) {
    const r = await upsertAuditIssue(api, body(), hasFindings);
    if (r.action === 'failed')
      core.warning(`Could not update the audit issue: ${escapeAnnotation(r.message)}`);
    else core.info(`audit issue: ${r.action}`);
  }
}
