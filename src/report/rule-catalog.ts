// Every id a finding can carry (SARIF ruleId, evidence rule, signal id) with what it means, why it matters
// and what to do: the code rules' own metadata (src/rules), and here the ids that come from elsewhere
// (signals, the model, the fail-closed rule). docs/rules.md is generated from it (npx tsx scripts/rules-doc.ts)
// and SARIF rules link to their section there.
import { RULES, TEXT_RULES } from '../rules/index.js';
import type { Severity } from '../types.js';

/** Where the gate's own documentation lives (SARIF helpUri and informationUri, report links). */
export const PROJECT_URL = 'https://github.com/pypi-malware-gate/pypi-malware-gate';

export interface RuleDoc {
  id: string;
  /** code: a rule over the package's files; signal: the index, OSV or the project's history; policy. */
  kind: 'code' | 'signal' | 'policy';
  severity: Severity;
  description: string;
  rationale: string;
  /** What a reviewer does about a finding. */
  action?: string;
}

const CODE_ACTION =
  'Open the file at the line shown (fetch the archive with `pypi-malware-gate fetch name==version`, never install it) and check what the code does at install or import time. If it is the project doing what it says, add an allow entry with the package, version and sha256.';

const OTHER_RULES: RuleDoc[] = [
  {
    id: 'pickle-code',
    kind: 'code',
    severity: 'critical',
    description:
      'A pickle or torch file names (high) or calls on load (critical) a code runner such as os.system, subprocess or builtins.exec.',
    rationale:
      'Loading such a model file runs that code: a pickle is a program, not data. The file is scanned, never unpickled.',
    action: CODE_ACTION,
  },
  {
    id: 'rule-error',
    kind: 'code',
    severity: 'low',
    description: 'A rule failed on a file (a bug in the gate, reported instead of hidden).',
    rationale: 'A rule that did not run leaves part of the file unchecked; it is shown so it can be fixed.',
    action: 'Report it as a bug in pypi-malware-gate with the package name and version.',
  },
  {
    id: 'hash-mismatch',
    kind: 'signal',
    severity: 'critical',
    description: 'A downloaded file does not have the sha256 the lockfile (or the index) states. Decisive.',
    rationale:
      'What would be installed is not what was locked: a replaced file on the index or a tampered mirror.',
    action:
      'Do not merge. Re-lock from a trusted index and compare the hashes; report the file to the index.',
  },
  {
    id: 'known-malware',
    kind: 'signal',
    severity: 'critical',
    description: 'OSV lists a malicious-package advisory (MAL-*) for this package version. Decisive.',
    rationale: 'The release is known malware (OpenSSF malicious-packages feed, via OSV).',
    action:
      'Remove the package. Read the advisory linked in the report; rotate any secret the machine that installed it could read.',
  },
  {
    id: 'typosquat',
    kind: 'signal',
    severity: 'high',
    description:
      'The name is one small edit away from a popular project (a swapped, missing or doubled letter, a separator).',
    rationale: 'Typosquats are the commonest way malware reaches a lockfile: a mistyped install.',
    action: 'Check the name is the project you meant; if not, replace it with the real one.',
  },
  {
    id: 'release-missing',
    kind: 'signal',
    severity: 'medium',
    description: 'The pinned release is not on the index, or is listed without files.',
    rationale:
      'PyPI removes malware it finds; a pin to a vanished release is at least suspicious and cannot be analysed.',
    action: 'Pin a release the index serves, or find out why this one was removed.',
  },
  {
    id: 'release-yanked',
    kind: 'signal',
    severity: 'medium',
    description: 'Every file of the pinned release is yanked.',
    rationale: 'Maintainers yank broken or compromised releases.',
    action: 'Read the yank reason and move to another release.',
  },
  {
    id: 'new-project',
    kind: 'signal',
    severity: 'medium',
    description: 'The project was first published days ago.',
    rationale: 'Most malicious projects live for days before removal; new projects deserve a look.',
  },
  {
    id: 'fresh-upload',
    kind: 'signal',
    severity: 'medium',
    description: 'The pinned release was uploaded hours ago.',
    rationale:
      'A hijacked account publishes a new release; reviewing a fresh one before it spreads is cheap.',
  },
  {
    id: 'version-jump',
    kind: 'signal',
    severity: 'medium',
    description: "The version jumps far past the project's history (e.g. 1.2 to 99.0).",
    rationale: 'Dependency-confusion attacks publish a huge version so it wins over an internal package.',
  },
  {
    id: 'single-release',
    kind: 'signal',
    severity: 'low',
    description: 'The project has only ever had this one release.',
    rationale: 'Throwaway malicious projects rarely have a history.',
  },
  {
    id: 'version-diff',
    kind: 'signal',
    severity: 'high',
    description:
      'The new version adds install-time or import-time behaviour the previous version did not have.',
    rationale: 'An implant in a trusted project shows as a small new piece of code in an update.',
    action: CODE_ACTION,
  },
  {
    id: 'untrusted-index',
    kind: 'signal',
    severity: 'high',
    description: 'The lockfile locks the package to an index the configuration does not trust.',
    rationale: 'pip would download from that index; the gate never asks an index it was not told to trust.',
    action:
      'Add the index to index-url, extra-index-urls or allowed-indexes in the config file if it is yours; otherwise remove it from the lockfile.',
  },
  {
    id: 'model-score',
    kind: 'policy',
    severity: 'high',
    description: 'The bundled model scores the package as likely malicious without one decisive rule.',
    rationale:
      'The model weighs many weak features (obfuscation, install hooks, network and process use) that no single rule decides.',
    action: CODE_ACTION,
  },
  {
    id: 'unscannable',
    kind: 'policy',
    severity: 'high',
    description:
      'Part of what pip could install was not analysed completely (an unreadable archive or member, a download or index failure, a direct git/URL/path reference).',
    rationale:
      'The gate fails closed: a package is benign only when every file pip could install was read and analysed.',
    action:
      'Read the reason shown. Fix the index or network problem and re-run; for a direct reference or a file the gate cannot read, review it yourself and add an allow entry (with sha256 to excuse one file only).',
  },
];

/** Every documented id, code rules first (in the registry's order), then the rest. */
export function ruleCatalog(): RuleDoc[] {
  const code: RuleDoc[] = [...RULES, ...TEXT_RULES].map((r) => ({
    id: r.id,
    kind: 'code',
    severity: r.severity,
    description: r.description,
    rationale: r.rationale,
    action: CODE_ACTION,
  }));
  return [...code, ...OTHER_RULES];
}

/** GitHub's security-severity (0.0-10.0) for a severity. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  low: '3.0',
  medium: '5.5',
  high: '8.0',
  critical: '9.5',
};

/** docs/rules.md: one section per id, anchored by the id (SARIF helpUri points at it). */
export function renderRulesDoc(): string {
  const catalog = ruleCatalog();
  const lines = [
    '# Rules and signals',
    '',
    '<!-- generated by `npx tsx scripts/rules-doc.ts` from src/rules and src/report/rule-catalog.ts; a test fails when it is stale -->',
    '',
    'Every id a finding can carry: in the PR comment, the annotations, the SARIF `ruleId` and the JSON report (`evidence[].rule`, `signals[].id`).',
    'Rules can be switched off or given another severity in the config file (`rules: {<id>: {enabled: false}}`).',
    '',
    '| id | kind | severity | what it finds |',
    '|---|---|---|---|',
    ...catalog.map(
      (r) =>
        `| [\`${r.id}\`](#${r.id}) | ${r.kind} | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`,
    ),
    '',
  ];
  for (const r of catalog) {
    lines.push(
      `## ${r.id}`,
      '',
      `**${r.kind}, ${r.severity}.** ${r.description}`,
      '',
      `Why it matters: ${r.rationale}`,
      '',
    );
    if (r.action) lines.push(`What to do: ${r.action}`, '');
  }
  return lines.join('\n');
}
