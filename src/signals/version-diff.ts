// What a version bump adds: evidence in install-time and import-time code (and binaries) present in the
// new version's analysis and absent from the old one's. A hijacked release of a popular package is one
// small payload in setup.py or __init__.py, which a whole-package model score can rate low; the diff
// against the release the project already trusted cannot miss it.
import {
  type Analysis,
  EVIDENCE_CATEGORIES,
  type Evidence,
  type EvidenceCategory,
  SEVERITY_RANK,
  type Severity,
  type Signal,
} from '../types.js';

export interface VersionPair {
  from: string;
  to: string;
}

// Categories that describe behaviour; metadata/signal/integrity evidence says nothing about the code.
const NOT_BEHAVIOUR: readonly EvidenceCategory[] = ['metadata', 'signal', 'integrity'];
const BEHAVIOUR = new Set(EVIDENCE_CATEGORIES.filter((c) => !NOT_BEHAVIOUR.includes(c)));

/** Code that runs when the package is installed or imported, or a binary anywhere in it. */
export function runsOnInstallOrImport(evidence: Evidence): boolean {
  return evidence.context === 'install' || evidence.context === 'import' || evidence.category === 'files';
}

/** Path inside the package without the versioned top folder (pkg-1.2.3/setup.py -> setup.py). */
export function packagePath(path: string, versions: VersionPair): string {
  const parts = path.split('/');
  const top = parts[0] ?? '';
  const versioned = [versions.from, versions.to].some((v) => top.endsWith(`-${v}`) || top.includes(`-${v}.`));
  const rest = versioned && parts.length > 1 ? parts.slice(1) : parts;
  return rest.join('/');
}

function identity(evidence: Evidence, versions: VersionPair): string {
  const neutral = (text: string) =>
    [versions.from, versions.to]
      .filter((v) => v !== '')
      .reduce((out, v) => out.split(v).join('{version}'), text)
      .replace(/\s+/g, ' ')
      .trim();
  return [
    evidence.rule,
    evidence.context ?? '',
    neutral(packagePath(evidence.path, versions)),
    neutral(evidence.snippet),
  ].join('\u0000');
}

/** Install/import-time evidence of `current` that `previous` does not have (compared as multisets). */
export function addedEvidence(previous: Analysis, current: Analysis, versions: VersionPair): Evidence[] {
  const before = new Map<string, number>();
  for (const evidence of previous.evidence) {
    const key = identity(evidence, versions);
    before.set(key, (before.get(key) ?? 0) + 1);
  }
  const added: Evidence[] = [];
  for (const evidence of current.evidence) {
    if (!BEHAVIOUR.has(evidence.category) || !runsOnInstallOrImport(evidence)) continue;
    const key = identity(evidence, versions);
    const left = before.get(key) ?? 0;
    if (left > 0) before.set(key, left - 1);
    else added.push(evidence);
  }
  return added.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/** One 'version-diff' signal describing what `to` adds over `from`, or none when it adds nothing. */
export function versionDiffSignals(previous: Analysis, current: Analysis, versions: VersionPair): Signal[] {
  const added = addedEvidence(previous, current, versions);
  if (added.length === 0) return [];
  const top = added[0]!;
  const worst = top.severity;
  const severity: Severity = SEVERITY_RANK[worst] >= SEVERITY_RANK.high ? 'high' : worst;
  const what = top.message ?? top.rule;
  const where = `${packagePath(top.path, versions)}${top.line > 0 ? `:${top.line}` : ''}`;
  const when =
    top.context === 'install' ? 'install-time' : top.context === 'import' ? 'import-time' : 'shipped';
  const more = added.length > 1 ? ` and ${added.length - 1} more new finding(s)` : '';
  return [
    {
      id: 'version-diff',
      severity,
      message: `${versions.from} -> ${versions.to} adds ${what} (${top.rule}, ${when}) in ${where}${more}`,
      evidence: added,
    },
  ];
}
