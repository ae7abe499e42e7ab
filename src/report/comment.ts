// The sticky PR comment: found by MARKER and edited in place by the action. Every package-derived string
// goes through escape.ts.
import type { ScanReport } from '../types.js';
import {
  MARKER,
  flagged,
  gapLines,
  lockfileProblems,
  passed,
  releaseUrl,
  scoreText,
  shortSnippet,
  notableSignals,
  topEvidence,
  versionText,
} from './common.js';
import { escapeMarkdown, inlineCode, safeLink } from './escape.js';

/** GitHub rejects issue comments longer than this. */
export const COMMENT_LIMIT = 65_536;

export interface CommentOptions {
  indexUrl: string;
  configFile: string;
  /** Link to the workflow run, for the full details when the comment is shortened. */
  runUrl?: string;
}

const verdictBadge = (v: string): string =>
  v === 'malicious'
    ? ':no_entry: malicious'
    : v === 'suspicious'
      ? ':warning: suspicious'
      : ':grey_question: unscannable';

function header(report: ScanReport): string {
  const f = flagged(report);
  const { counts } = report;
  if (f.length === 0) {
    const errors = counts.errors > 0 ? ` ${counts.errors} lockfile error(s): see below.` : '';
    return `${MARKER}\n### ${counts.errors > 0 ? ':warning:' : ':white_check_mark:'} pypi-malware-gate: ${counts.errors > 0 ? 'lockfile errors' : 'all clear'}\n\nScanned ${counts.scanned} package(s) (${report.mode} mode); nothing malicious, suspicious or unscannable.${errors}\n`;
  }
  const parts = [
    counts.malicious > 0 ? `**${counts.malicious} malicious**` : '',
    counts.unscannable > 0 ? `**${counts.unscannable} unscannable**` : '',
    counts.suspicious > 0 ? `${counts.suspicious} suspicious` : '',
    counts.errors > 0 ? `${counts.errors} lockfile error(s)` : '',
  ].filter(Boolean);
  return `${MARKER}\n### ${counts.malicious > 0 ? ':no_entry:' : ':warning:'} pypi-malware-gate: ${parts.join(', ')}\n\nScanned ${counts.scanned} package(s) (${report.mode} mode).\n`;
}

function table(report: ScanReport, options: CommentOptions, evidencePerPackage: number): string {
  const rows = flagged(report).map((p) => {
    const evidence =
      [
        ...gapLines(p, evidencePerPackage).map((g) => `not analysed: ${escapeMarkdown(shortSnippet(g, 200))}`),
        ...notableSignals(p)
          .slice(0, 2)
          .map((s) => `${escapeMarkdown(s.id)}: ${escapeMarkdown(s.message)}`),
        ...topEvidence(p, evidencePerPackage).map(
          (e) =>
            `${inlineCode(`${e.path}:${e.line}`)} ${escapeMarkdown(e.rule)}${e.message ? ` (${escapeMarkdown(shortSnippet(e.message, 120))})` : ''}: ${inlineCode(shortSnippet(e.snippet))}`,
        ),
      ].join('<br>') || escapeMarkdown(p.reasons[0] ?? '');
    const where = `${escapeMarkdown(p.ref.file)}:${p.ref.line}`;
    return `| ${safeLink(p.ref.name, releaseUrl(p, options.indexUrl))} | ${escapeMarkdown(versionText(p))} | ${verdictBadge(p.verdict)} | ${scoreText(p)} | ${evidence} | ${where} |`;
  });
  if (rows.length === 0) return '';
  return [
    '| package | version | verdict | score | top evidence | lockfile |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function passedSection(report: ScanReport): string {
  const ok = passed(report);
  if (ok.length === 0) return '';
  const lines = ok.map(
    (p) =>
      `- ${escapeMarkdown(p.ref.name)} ${escapeMarkdown(versionText(p))}${p.verdict === 'allowed' ? ` (allowed: ${escapeMarkdown(p.allowedBy ?? '')})` : ''}${gapLines(p)
        .map((g) => `<br>not analysed: ${escapeMarkdown(shortSnippet(g, 200))}`)
        .join('')}`,
  );
  return `<details><summary>${ok.length} package(s) scanned and passed</summary>\n\n${lines.join('\n')}\n\n</details>`;
}

function problemsSection(report: ScanReport): string {
  const problems = lockfileProblems(report);
  if (problems.length === 0) return '';
  const lines = problems.map(
    (p) => `- ${escapeMarkdown(p.file)}${p.line ? `:${p.line}` : ''}: ${escapeMarkdown(p.message)}`,
  );
  return `**Lockfile problems**\n\n${lines.join('\n')}`;
}

function howToAllow(report: ScanReport, options: CommentOptions): string {
  if (flagged(report).length === 0) return '';
  return [
    '<details><summary>False positive, or reviewed by hand? How to allow a package</summary>',
    '',
    `Add an entry to ${inlineCode(options.configFile, false)} with a reason (and optionally a version, sha256 and expiry). It applies to an unscannable package too, and the report keeps saying what was not analysed:`,
    '',
    '```yaml',
    'allow:',
    '  - package: <name>',
    '    version: "<version>"',
    '    reason: reviewed by <who>, <why>',
    '    expires: 2030-01-01',
    '```',
    '',
    '</details>',
  ].join('\n');
}

/**
 * Render the comment; when it would exceed GitHub's limit, fall back to fewer evidence lines, then no
 * passed list, then only counts and a link to the run.
 */
export function renderComment(report: ScanReport, options: CommentOptions): string {
  const tool = `<sub>${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}${report.tool.modelVersion ? `, model ${escapeMarkdown(report.tool.modelVersion)}` : ''}</sub>`;
  const attempts = [
    () => [
      header(report),
      table(report, options, 3),
      problemsSection(report),
      passedSection(report),
      howToAllow(report, options),
      tool,
    ],
    () => [
      header(report),
      table(report, options, 1),
      problemsSection(report),
      howToAllow(report, options),
      tool,
    ],
    () => [
      header(report),
      '_The full table is too long for a comment; see the job summary or the SARIF report' +
        (options.runUrl && /^https?:\/\//.test(options.runUrl) ? ` of [this run](${options.runUrl})` : '') +
        '._',
      tool,
    ],
  ];
  for (const attempt of attempts) {
    const body = attempt().filter(Boolean).join('\n\n');
    if (body.length <= COMMENT_LIMIT) return body;
  }
  return header(report).slice(0, COMMENT_LIMIT);
}
