// What counts as strong evidence for the gate (src/policy.ts decide()): high or critical evidence at
// install, import or startup time, outside tests and docs, except a short named list of idioms that honest
// packages ship. Each idiom's false-positive rate is measured on the benign corpus
// (`npx tsx train/policy-sweep.ts` lists how many benign and malicious rows each one excuses).
import type { Evidence, Severity } from '../types.js';

export interface BenignIdiom {
  id: string;
  /** What the honest code does, for the verdict's reasons. */
  description: string;
  matches(e: Evidence): boolean;
}

const RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
const DOC_OR_TEST =
  /(^|\/)(tests?|testing|docs?|examples?|samples?|benchmarks?|bench)\/|(^|\/)(conftest|test_[^/]*|[^/]*_tests?)\.py$/i;

/** Evidence in tests, docs or examples: never what a gate fails on. */
export function inTestsOrDocs(e: Evidence): boolean {
  return e.context === 'test' || DOC_OR_TEST.test(e.path);
}

/** Located evidence: medium or stronger, at a file and line, outside tests and docs. */
export function isLocated(e: Evidence): boolean {
  return RANK[e.severity] >= RANK.medium && e.path !== '' && e.line >= 1 && !inTestsOrDocs(e);
}

/** High or critical evidence at install, import or startup time (reachability included), outside tests and docs. */
export function isStrongEarly(e: Evidence): boolean {
  return (
    RANK[e.severity] >= RANK.high &&
    (e.context === 'install' || e.context === 'import') &&
    e.path !== '' &&
    !inTestsOrDocs(e)
  );
}

// Whole .pth lines that tools install (coverage's process_startup hook, virtualenv, setuptools' distutils
// shim, editable installs' finders): only these exact shapes, so a payload cannot borrow the name.
const KNOWN_PTH_LINE = [
  /^import coverage; coverage\.process_startup\(\)$/,
  /^import os; (exec\()?["']?import coverage\b.*process_startup\(\)/,
  /^import _virtualenv$/,
  /^import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os\.environ\.get\(var, '(local|stdlib)'\) == 'local'; enabled and __import__\('_distutils_hack'\)\.add_shim\(\); $/,
  /^import __editable___[\w.]+_finder; __editable___[\w.]+_finder\.install\(\)$/,
];

export const BENIGN_IDIOMS: readonly BenignIdiom[] = [
  {
    id: 'tool-pth-line',
    description:
      'a .pth line that a known tool installs (coverage, virtualenv, setuptools, editable installs)',
    matches: (e) => e.rule === 'pth-executable' && KNOWN_PTH_LINE.some((p) => p.test(e.snippet.trim())),
  },
];

/** The idiom that excuses this evidence, if any. */
export function benignIdiom(e: Evidence): BenignIdiom | undefined {
  return BENIGN_IDIOMS.find((i) => i.matches(e));
}
