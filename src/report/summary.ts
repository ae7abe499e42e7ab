// The job summary: every package in one table, with timings (Markdown; written via GITHUB_STEP_SUMMARY).
import type { ScanReport } from '../types.js';
import {
  flagged,
  gapLines,
  lockfileProblems,
  passed,
  scoreText,
  topEvidence,
  versionText,
} from './common.js';
import { escapeMarkdown, inlineCode } from './escape.js';

export function renderSummary(report: ScanReport): string {
  const { counts } = report;
  const rows = [...flagged(report), ...passed(report)].map((p) => {
    const e = topEvidence(p)[0];
    const main = e
      ? `${inlineCode(`${e.path}:${e.line}`)} ${escapeMarkdown(e.rule)}`
      : p.verdict === 'allowed'
        ? `allowed: ${escapeMarkdown(p.allowedBy ?? '')}`
        : '';
    // What was not analysed: the reason an unscannable package fails, the trace of an allow entry.
    const evidence = [...gapLines(p).map((g) => `not analysed: ${escapeMarkdown(g)}`), main]
      .filter(Boolean)
      .join('<br>');
    return `| ${escapeMarkdown(p.ref.name)} | ${escapeMarkdown(versionText(p))} | ${p.verdict} | ${scoreText(p)} | ${evidence} | ${escapeMarkdown(p.ref.file)}:${p.ref.line} | ${p.ms ?? '-'} |`;
  });
  const problems = lockfileProblems(report).map(
    (l) => `- ${escapeMarkdown(l.file)}${l.line ? `:${l.line}` : ''}: ${escapeMarkdown(l.message)}`,
  );
  return [
    '## pypi-malware-gate',
    '',
    `${counts.scanned} scanned, ${counts.malicious} malicious, ${counts.suspicious} suspicious, ${counts.unscannable} unscannable, ${counts.errors} lockfile error(s); ${report.mode} mode; ${(report.ms / 1000).toFixed(1)} s.`,
    '',
    ...(rows.length > 0
      ? [
          '| package | version | verdict | score | top evidence | lockfile | ms |',
          '|---|---|---|---|---|---|---|',
          ...rows,
          '',
        ]
      : ['No packages to scan.', '']),
    ...(problems.length > 0 ? ['### Lockfile problems', '', ...problems, ''] : []),
  ].join('\n');
}
