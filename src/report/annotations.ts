// Check annotations on the lockfile line of each flagged package. Pure: the action passes each one to
// core.error / core.warning, which percent-encodes the message and properties for the command protocol.
import type { ScanReport } from '../types.js';
import { flagged, gapLines, lockfileProblems, scoreText, topEvidence, versionText } from './common.js';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  file: string;
  startLine: number;
}

export interface AnnotationOptions {
  /** Whether unscannable packages fail the check (default true): an error annotation, else a warning. */
  failOnUnscannable?: boolean;
}

/** Plain-text annotation messages (annotations render as text, not Markdown). */
export function annotations(report: ScanReport, options: AnnotationOptions = {}): Annotation[] {
  const fromPackages = flagged(report).map((p): Annotation => {
    const evidence = topEvidence(p, 3).map((e) => `${e.path}:${e.line} ${e.rule}: ${e.snippet}`);
    const detail =
      p.verdict === 'unscannable'
        ? ['not analysed completely, so it cannot be called benign:', ...gapLines(p, 5), ...evidence]
        : [`score ${scoreText(p)}`, ...evidence, ...p.reasons.slice(0, 3)];
    const fails =
      p.verdict === 'malicious' || (p.verdict === 'unscannable' && (options.failOnUnscannable ?? true));
    return {
      level: fails ? 'error' : 'warning',
      title: `pypi-malware-gate: ${p.ref.name} ${versionText(p)} is ${p.verdict}`,
      message: detail.join('\n'),
      file: p.ref.file,
      startLine: Math.max(1, p.ref.line),
    };
  });
  const fromLockfiles = lockfileProblems(report).map(
    (l): Annotation => ({
      level: 'warning',
      title: 'pypi-malware-gate: lockfile problem',
      message: l.message,
      file: l.file,
      startLine: Math.max(1, l.line ?? 1),
    }),
  );
  return [...fromPackages, ...fromLockfiles];
}
