// The sticky PR comment: found by MARKER and edited in place by the action. Every package-derived string
// goes through escape.ts: names, versions and paths as code spans (no auto-links or mentions there, and
// they copy exactly), free text through markdownProse (code spans for what would link). Summary first: one row per flagged package with
// why, then the details, then how to allow; a large pull request keeps as many rows as fit under GitHub's
// limit and says where the rest is (the job summary, the JSON report).
import type { PackageVerdict, ScanReport } from '../types.js';
import {
  flagged,
  gapLines,
  lockfileProblems,
  MARKER,
  notableSignals,
  passed,
  releaseUrl,
  scoreText,
  shortSnippet,
  topEvidence,
  versionText,
  whyText,
} from './common.js';
import { inlineCode, markdownProse } from './escape.js';

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

/** A link the gate builds itself (never a URL from the index or a package), else nothing. */
const link = (label: string, url: string | undefined): string =>
  url && /^https:\/\/[^\s<>()"'`]+$/.test(url) ? `[${label}](${url})` : '';

/** OSV advisories named by a known-malware signal ("... OSV advisory MAL-2024-1234 ..."). */
function advisories(p: PackageVerdict): string[] {
  return p.signals
    .filter((s) => s.id === 'known-malware')
    .flatMap((s) =>
      [...s.message.matchAll(/\bOSV advisory ([A-Z]{2,10}-[A-Za-z0-9-]{1,40})\b/g)].map((m) => m[1]!),
    );
}

/** The package cell: its name as code, the project page on PyPI and any OSV advisory (never a download). */
function packageCell(p: PackageVerdict, options: CommentOptions): string {
  const links = [
    link('project', releaseUrl(p, options.indexUrl)),
    ...advisories(p).map((id) => link(id, `https://osv.dev/vulnerability/${id}`)),
  ].filter(Boolean);
  return `${inlineCode(p.ref.name)}${links.length > 0 ? ` (${links.join(', ')})` : ''}`;
}

const expiredAllow = (p: PackageVerdict): string | undefined =>
  p.reasons.find((r) => /^allowlist entry .* expired on /.test(r));

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

/** One summary row: package, version, verdict, score, why (one line), lockfile line. */
function row(p: PackageVerdict, options: CommentOptions): string {
  const expired = expiredAllow(p);
  const why = `${markdownProse(shortSnippet(whyText(p), 160))}${expired ? `<br>:hourglass: ${markdownProse(expired)}` : ''}`;
  const where = inlineCode(`${p.ref.file}:${p.ref.line}`);
  return `| ${packageCell(p, options)} | ${inlineCode(versionText(p))} | ${verdictBadge(p.verdict)} | ${scoreText(p)} | ${why} | ${where} |`;
}

const TABLE_HEAD = ['| package | version | verdict | score | why | lockfile |', '|---|---|---|---|---|---|'];

/** What was found in one package: gaps, signals, evidence lines (evidence only for flagged packages). */
function details(p: PackageVerdict, perPackage: number): string {
  const lines = [
    ...gapLines(p, perPackage).map((g) => `not analysed: ${markdownProse(shortSnippet(g, 200))}`),
    ...notableSignals(p)
      .slice(0, 3)
      .map((s) => `${inlineCode(s.id, false)}: ${markdownProse(shortSnippet(s.message, 300))}`),
    ...topEvidence(p, perPackage).map(
      (e) =>
        `${inlineCode(`${e.path}:${e.line}`, false)} ${inlineCode(e.rule, false)}${e.message ? ` (${markdownProse(shortSnippet(e.message, 120))})` : ''}: ${inlineCode(shortSnippet(e.snippet), false)}`,
    ),
  ];
  if (lines.length === 0) return '';
  return `**${inlineCode(p.ref.name, false)} ${inlineCode(versionText(p), false)}**\n${lines.map((l) => `- ${l}`).join('\n')}`;
}

function detailsSection(packages: PackageVerdict[], perPackage: number): string {
  const blocks = packages.map((p) => details(p, perPackage)).filter(Boolean);
  if (blocks.length === 0) return '';
  return `<details><summary>What was found</summary>\n\n${blocks.join('\n\n')}\n\n</details>`;
}

function passedSection(report: ScanReport): string {
  const ok = passed(report);
  if (ok.length === 0) return '';
  const lines = ok.map(
    (p) =>
      `- ${inlineCode(p.ref.name, false)} ${inlineCode(versionText(p), false)}${p.verdict === 'allowed' ? ` (allowed: ${markdownProse(p.allowedBy ?? '')})` : ''}${gapLines(
        p,
      )
        .map((g) => `<br>not analysed: ${markdownProse(shortSnippet(g, 200))}`)
        .join('')}`,
  );
  return `<details><summary>${ok.length} package(s) scanned and passed</summary>\n\n${lines.join('\n')}\n\n</details>`;
}

function problemsSection(report: ScanReport): string {
  const problems = lockfileProblems(report);
  if (problems.length === 0) return '';
  const lines = problems.map(
    (p) => `- ${inlineCode(`${p.file}${p.line ? `:${p.line}` : ''}`, false)}: ${markdownProse(p.message)}`,
  );
  return `**Lockfile problems**\n\n${lines.join('\n')}`;
}

/** YAML scalars from package data: double-quoted JSON strings are valid YAML and cannot break out. */
const yamlString = (s: string): string => JSON.stringify(s);

/**
 * How to allow: prefilled for the malicious and suspicious packages (name, version and the sha256 of the
 * file that scored highest). Not shown when only unscannable packages are flagged: the fix there is to
 * make them scannable, and their reasons say how.
 */
function howToAllow(report: ScanReport, options: CommentOptions): string {
  const judged = flagged(report).filter((p) => p.verdict === 'malicious' || p.verdict === 'suspicious');
  if (judged.length === 0) return '';
  // Lockfile names are PEP 503 normalised; anything else (a hostile report) gets a placeholder, not a copy.
  const plainName = (name: string) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/.test(name) ? name : '<name>');
  const plainVersion = (v: string) => (/^[A-Za-z0-9.+!_-]{1,60}$/.test(v) ? v : '<version>');
  const entries = judged.slice(0, 3).flatMap((p) => {
    const top = [...p.artifacts].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
    const version = p.ref.version ?? p.resolvedVersion;
    return [
      `  - package: ${yamlString(plainName(p.ref.name))}`,
      ...(version ? [`    version: ${yamlString(plainVersion(version))}`] : []),
      ...(top && /^[0-9a-f]{64}$/.test(top.sha256)
        ? [`    sha256: "${top.sha256}"  # ${top.filename.replace(/[^\w.+-]/g, '_').slice(0, 120)}`]
        : []),
      '    reason: reviewed by <who>, <why>',
      '    expires: 2030-01-01',
    ];
  });
  // A fence longer than any backtick run in the entries (names cannot hold backticks, but be sure).
  const body = ['allow:', ...entries].join('\n');
  const fence = '`'.repeat(Math.max(3, ...(body.match(/`+/g) ?? []).map((r) => r.length + 1)));
  return [
    '<details><summary>False positive, or reviewed by hand? How to allow a package</summary>',
    '',
    `Add an entry to ${inlineCode(options.configFile, false)} on the base branch (the pull request's own copy is not used), with a reason. The sha256 pins the entry to the file reviewed; an expired entry stops applying and the comment says so.`,
    '',
    `${fence}yaml`,
    body,
    fence,
    '',
    '</details>',
  ].join('\n');
}

function whereTheRestIs(options: CommentOptions, shown: number, total: number): string {
  const run = options.runUrl && /^https:\/\//.test(options.runUrl) ? ` of [this run](${options.runUrl})` : '';
  const what =
    shown < total
      ? `${total - shown} more flagged package(s) are not shown here`
      : 'The details are not shown here';
  return `_${what} (the comment would pass GitHub's size limit): every package is in the job summary${run} and in the JSON report (\`pypi-malware-gate.json\`)._`;
}

/**
 * Render the comment, summary first. When it would exceed GitHub's limit: fewer evidence lines, then no
 * passed list, then no details, then only the rows that fit, always saying where the rest is.
 */
export function renderComment(report: ScanReport, options: CommentOptions): string {
  const tool = `<sub>${markdownProse(report.tool.name)} ${markdownProse(report.tool.version)}${report.tool.modelVersion ? `, model ${markdownProse(report.tool.modelVersion)}` : ''}</sub>`;
  const f = flagged(report);
  const rows = f.map((p) => row(p, options));
  const table = rows.length > 0 ? [...TABLE_HEAD, ...rows].join('\n') : '';
  const allow = howToAllow(report, options);
  const problems = problemsSection(report);
  const attempts = [
    () => [header(report), table, detailsSection(f, 3), problems, passedSection(report), allow, tool],
    () => [header(report), table, detailsSection(f, 1), problems, allow, tool],
    () => [header(report), table, whereTheRestIs(options, f.length, f.length), problems, allow, tool],
  ];
  for (const attempt of attempts) {
    const body = attempt().filter(Boolean).join('\n\n');
    if (body.length <= COMMENT_LIMIT) return body;
  }
  // Only the rows that fit (worst first), with a note saying how many are elsewhere.
  const fixed = [header(report), '', whereTheRestIs(options, 0, f.length), allow, tool].join('\n\n');
  let budget = COMMENT_LIMIT - fixed.length - TABLE_HEAD.join('\n').length - 200;
  const kept: string[] = [];
  for (const r of rows) {
    if (r.length + 1 > budget) break;
    kept.push(r);
    budget -= r.length + 1;
  }
  const body = [
    header(report),
    kept.length > 0 ? [...TABLE_HEAD, ...kept].join('\n') : '',
    whereTheRestIs(options, kept.length, f.length),
    allow.length < budget ? allow : '',
    tool,
  ]
    .filter(Boolean)
    .join('\n\n');
  return body.length <= COMMENT_LIMIT ? body : header(report).slice(0, COMMENT_LIMIT);
}
