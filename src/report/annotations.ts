// Check annotations on the lockfile line of each flagged package. Pure: the action passes each one to
// core.error / core.warning, which percent-encodes the message and properties for the command protocol.
import type { ScanReport } from '../types.js';
import {
  flagged,
  gapLines,
  lockfileProblems,
  notableSignals,
  scoreText,
  topEvidence,
  versionText,
  whyText,
} from './common.js';
import { PROJECT_URL } from './rule-catalog.js';

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

const ADVICE = {
  malicious:
    'What to do: do not install it; remove it from the lockfile (or pin a release that is not flagged).',
  suspicious: `What to do: review the lines above before merging; if it is the project doing what it says, add an allow entry (${PROJECT_URL}/blob/main/docs/rules.md).`,
  unscannable:
    'What to do: fix the cause (index, network, a direct reference) and re-run, or review the package and add an allow entry with its sha256.',
} as const;

/**
 * Plain-text annotation messages (annotations render as text, not Markdown), in plain words: what was
 * found, where in the package, every notable signal's reason (typosquat, missing release, OSV), what to do.
 */
export function annotations(report: ScanReport, options: AnnotationOptions = {}): Annotation[] {
  const fromPackages = flagged(report).map((p): Annotation => {
    const evidence = topEvidence(p, 3).map((e) => `${e.path}:${e.line} ${e.rule}: ${e.snippet}`);
    const signals = [
      ...notableSignals(p).map((s) => `${s.id}: ${s.message}`),
      ...p.reasons.filter((r) => /^allowlist entry .* expired on /.test(r)),
    ];
    const model =
      p.score !== undefined && evidence.length === 0 && signals.length === 0
        ? [`The bundled model scores it ${scoreText(p)} (1.00 = like known malware).`]
        : [];
    const detail =
      p.verdict === 'unscannable'
        ? [
            'not analysed completely, so it cannot be called benign:',
            ...gapLines(p, 5),
            ...evidence,
            ...signals,
            ADVICE.unscannable,
          ]
        : [
            `Found: ${whyText(p)}`,
            ...(evidence.length > 0 ? ['Where in the package:', ...evidence] : []),
            ...(signals.length > 0 ? ['Signals:', ...signals] : []),
            ...model,
            ADVICE[p.verdict as 'malicious' | 'suspicious'] ?? '',
          ].filter((l) => l !== '');
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
