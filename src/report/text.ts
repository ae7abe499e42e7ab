// Plain text for the CLI's terminal output. Package-derived text goes through escapeTerminalLine, so a
// hostile name cannot move the cursor, rewrite earlier lines or start a line of its own.
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
import { escapeTerminalLine } from './escape.js';

export function renderText(report: ScanReport): string {
  const lines: string[] = [];
  for (const p of flagged(report)) {
    lines.push(
      `${p.verdict.toUpperCase()} ${escapeTerminalLine(p.ref.name)} ${escapeTerminalLine(versionText(p))} (score ${scoreText(p)}) at ${escapeTerminalLine(p.ref.file)}:${p.ref.line}`,
    );
    lines.push(`  why: ${escapeTerminalLine(whyText(p))}`);
    for (const g of gapLines(p, 5)) lines.push(`  not analysed: ${escapeTerminalLine(g)}`);
    for (const e of topEvidence(p, 3))
      lines.push(
        `  ${escapeTerminalLine(e.path)}:${e.line} ${escapeTerminalLine(e.rule)}: ${escapeTerminalLine(e.snippet)}`,
      );
    for (const s of notableSignals(p).slice(0, 3))
      lines.push(`  signal ${escapeTerminalLine(s.id)}: ${escapeTerminalLine(s.message)}`);
  }
  for (const p of passed(report)) {
    lines.push(
      `${p.verdict === 'allowed' ? `allowed (${escapeTerminalLine(p.allowedBy ?? '')})` : 'ok'} ${escapeTerminalLine(p.ref.name)} ${escapeTerminalLine(versionText(p))}`,
    );
    for (const g of gapLines(p, 5)) lines.push(`  not analysed: ${escapeTerminalLine(g)}`);
  }
  for (const l of lockfileProblems(report))
    lines.push(
      `lockfile ${escapeTerminalLine(l.file)}${l.line ? `:${l.line}` : ''}: ${escapeTerminalLine(l.message)}`,
    );
  const { counts } = report;
  lines.push(
    `${counts.scanned} scanned, ${counts.malicious} malicious, ${counts.suspicious} suspicious, ${counts.unscannable} unscannable, ${counts.errors} lockfile error(s) in ${(report.ms / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
