// Shared, format-neutral helpers for reporters (no escaping here: that is escape.ts's job).
import { gapText } from '../policy.js';
import {
  type Evidence,
  type PackageVerdict,
  type ScanReport,
  SEVERITY_RANK as severityRank,
} from '../types.js';

export const MARKER = '<!-- pypi-malware-gate -->';
export const AUDIT_MARKER = '<!-- pypi-malware-gate:audit -->';

/** The evidence to show first: highest severity, then install-time before import-time before the rest. */
export function topEvidence(p: PackageVerdict, n = 1): Evidence[] {
  const contextRank = (e: Evidence) => (e.context === 'install' ? 0 : e.context === 'import' ? 1 : 2);
  const fromSignals = p.signals.flatMap((s) => s.evidence ?? []);
  // The sdist and the wheel often carry the same file: one line per rule, snippet and message.
  const seen = new Set<string>();
  const unique = [...p.evidence, ...fromSignals].filter((e) => {
    const key = `${e.rule}\u0000${e.snippet}\u0000${e.message ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || contextRank(a) - contextRank(b))
    .slice(0, n);
}

/** Signals worth a line next to the evidence (the index's and OSV's word), strongest first. */
export function notableSignals(p: PackageVerdict): PackageVerdict['signals'] {
  return p.signals
    .filter((s) => s.decisive || severityRank[s.severity] >= severityRank.medium)
    .sort(
      (a, b) =>
        Number(Boolean(b.decisive)) - Number(Boolean(a.decisive)) ||
        severityRank[b.severity] - severityRank[a.severity],
    );
}

/**
 * One line that says why a package is flagged, in words a reviewer acts on: what was not analysed, the
 * decisive signal (known malware, hash mismatch), the strongest evidence with its file:line, another
 * signal (typosquat, missing release), else policy's first reason.
 */
export function whyText(p: PackageVerdict): string {
  if (p.verdict === 'unscannable' && p.gaps?.[0]) return `not analysed completely: ${gapText(p.gaps[0])}`;
  const decisive = p.signals.find((s) => s.decisive);
  if (decisive) return `${decisive.id}: ${decisive.message}`;
  const top = topEvidence(p)[0];
  if (top) return `${top.rule} at ${top.path}:${top.line}${top.message ? `: ${top.message}` : ''}`;
  const signal = notableSignals(p)[0];
  if (signal) return `${signal.id}: ${signal.message}`;
  return p.reasons[0] ?? p.error ?? 'the model score';
}

/** A snippet short enough for a table cell. */
export const shortSnippet = (text: string, max = 90): string =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** Packages a maintainer must look at, worst first. */
export function flagged(report: ScanReport): PackageVerdict[] {
  const rank = { malicious: 0, unscannable: 1, suspicious: 2, allowed: 3, benign: 4 } as const;
  return report.packages
    .filter((p) => p.verdict === 'malicious' || p.verdict === 'suspicious' || p.verdict === 'unscannable')
    .sort((a, b) => rank[a.verdict] - rank[b.verdict] || (b.score ?? 0) - (a.score ?? 0));
}

/**
 * What was not analysed for a package, one line per gap (artifact: path: stage: reason), at most n and a
 * count of the rest. Shown for unscannable packages, and for allowed ones as the trace of the allow entry.
 */
export function gapLines(p: PackageVerdict, n = 3): string[] {
  const gaps = p.gaps ?? [];
  const lines = gaps.slice(0, n).map(gapText);
  if (gaps.length > n) lines.push(`and ${gaps.length - n} more`);
  return lines;
}

export function passed(report: ScanReport): PackageVerdict[] {
  return report.packages.filter((p) => p.verdict === 'benign' || p.verdict === 'allowed');
}

export const versionText = (p: PackageVerdict): string =>
  p.previousVersion && p.previousVersion !== p.ref.version
    ? `${p.previousVersion} -> ${p.ref.version ?? '?'}`
    : (p.ref.version ??
      (p.resolvedVersion
        ? `${p.resolvedVersion} (newest${p.ref.specifier ? ` ${p.ref.specifier}` : ''})`
        : undefined) ??
      p.ref.specifier ??
      '?');

export const scoreText = (p: PackageVerdict): string => (p.score === undefined ? '-' : p.score.toFixed(2));

/**
 * The release's project page on PyPI when the index is PyPI; nothing otherwise. Never an artifact's URL:
 * a link in a report must not be a one-click download of a malicious file.
 */
export function releaseUrl(p: PackageVerdict, indexUrl: string): string | undefined {
  const version = p.ref.version ?? p.resolvedVersion;
  try {
    if (new URL(indexUrl).host === 'pypi.org' && version)
      return `https://pypi.org/project/${encodeURIComponent(p.ref.name)}/${encodeURIComponent(version)}/`;
  } catch {
    // not a URL: no link
  }
  return undefined;
}

/** Lockfile-level problems (whole-file errors and entries that could not be scanned). */
export function lockfileProblems(report: ScanReport): { file: string; line?: number; message: string }[] {
  return report.lockfiles.flatMap((l) => [
    ...(l.status === 'error' ? [{ file: l.file, message: l.error ?? 'could not be parsed' }] : []),
    ...l.issues.map((i) => ({ file: i.file, line: i.line, message: `${i.kind}: ${i.message}` })),
  ]);
}
