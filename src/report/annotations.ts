// Check annotations on the lockfile line of each flagged package. Pure: the action passes each one to
// core.error / core.warning, which percent-encodes the message and properties for the command protocol.
import type { ScanReport } from '../types.js';
import { flagged, lockfileProblems, scoreText, topEvidence, versionText } from './common.js';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
  file: string;
  startLine: number;
}

/** Plain-text annotation messages (annotations render as text, not Markdown). */
export function annotations(report: ScanReport): Annotation[] {
  const fromPackages = flagged(report).map((p): Annotation => {
    const evidence = topEvidence(p, 3).map((e) => `${e.path}:${e.line} ${e.rule}: ${e.snippet}`);
    const detail =
      p.verdict === 'error'
        ? [p.error ?? 'could not be scanned']
        : [`score ${scoreText(p)}`, ...evidence, ...p.reasons.slice(0, 3)];
    return {
      level: p.verdict === 'malicious' ? 'error' : 'warning',
      title: `pypi-malware-gate: ${p.ref.name} ${versionText(p)} is ${p.verdict === 'error' ? 'unscannable' : p.verdict}`,
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
