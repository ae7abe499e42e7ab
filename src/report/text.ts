// Plain text for the CLI's terminal output. Control characters in package-derived text are replaced so
// a hostile name cannot move the cursor or rewrite earlier lines.
import type { ScanReport } from '../types.js';
import {
  flagged,
  gapLines,
  lockfileProblems,
  notableSignals,
  passed,
  scoreText,
  topEvidence,
  versionText,
  whyText,
} from './common.js';

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** Newlines and tabs shown as \n, \r, \t (a snippet stays one line); other control characters as \uXXXX. */
const clean = (s: string): string =>
  s.replace(
    /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

export function renderText(report: ScanReport): string {
  const lines: string[] = [];
  for (const p of flagged(report)) {
    lines.push(
      `${p.verdict.toUpperCase()} ${clean(p.ref.name)} ${clean(versionText(p))} (score ${scoreText(p)}) at ${clean(p.ref.file)}:${p.ref.line}`,
    );
    lines.push(`  why: ${clean(whyText(p))}`);
    for (const g of gapLines(p, 5)) lines.push(`  not analysed: ${clean(g)}`);
    for (const e of topEvidence(p, 3))
      lines.push(`  ${clean(e.path)}:${e.line} ${clean(e.rule)}: ${clean(e.snippet)}`);
    for (const s of notableSignals(p).slice(0, 3)) lines.push(`  signal ${clean(s.id)}: ${clean(s.message)}`);
  }
  for (const p of passed(report)) {
    lines.push(
      `${p.verdict === 'allowed' ? `allowed (${clean(p.allowedBy ?? '')})` : 'ok'} ${clean(p.ref.name)} ${clean(versionText(p))}`,
    );
    for (const g of gapLines(p, 5)) lines.push(`  not analysed: ${clean(g)}`);
  }
  for (const l of lockfileProblems(report))
    lines.push(`lockfile ${clean(l.file)}${l.line ? `:${l.line}` : ''}: ${clean(l.message)}`);
  const { counts } = report;
  lines.push(
    `${counts.scanned} scanned, ${counts.malicious} malicious, ${counts.suspicious} suspicious, ${counts.unscannable} unscannable, ${counts.errors} lockfile error(s) in ${(report.ms / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
