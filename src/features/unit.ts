// The smallest unit worth scoring on its own: the one Python file that holds a package's strongest located
// evidence, with the package's metadata and .pth lines beside it. A trojanized release of a big project (five
// lines appended to its __init__.py, a payload module among hundreds of honest ones) is diluted when the
// whole archive is scored; its implant scored alone is not. The verdict takes the higher of the two scores.
import { benignIdiom, isLocated } from '../rules/benign-idioms.js';
import { type ArchiveView, type Evidence, SEVERITY_RANK } from '../types.js';

/** Files that say what the package is and when its code runs, kept beside the unit's file. */
const CONTEXT_FILE = /(^|\/)(PKG-INFO|METADATA|entry_points\.txt)$|\.pth$/i;
const PYTHON = /\.py$/i;

// Rules that name a capability (a socket, a process, an environment read), not a behaviour: at the same
// severity a behaviour (credentials sent out, a download run) marks the payload's file better, even at run
// time. fabrice 1.0.2's unit was setup.py (an os.environ.get at install) rather than the module that posts
// boto3's keys.
const CAPABILITY = new Set([
  'sysinfo-read',
  'network-access',
  'process-execution',
  'suspicious-url',
  'encoded-blob',
  'long-line',
  'chr-chain',
]);

const rank = (e: Evidence) =>
  SEVERITY_RANK[e.severity] * 4 +
  (CAPABILITY.has(e.rule) ? 0 : 2) +
  (e.context === 'install' || e.context === 'import' ? 1 : 0);

/** How strongly a file's own evidence could make it the unit: its best counted hit's rank, -1 for none. */
export function unitRank(evidence: readonly Evidence[]): number {
  let best = -1;
  for (const e of evidence)
    if (PYTHON.test(e.path) && isLocated(e) && !benignIdiom(e)) best = Math.max(best, rank(e));
  return best;
}

/**
 * The parsed files that may become the unit, kept from the whole pass so the unit is not parsed twice: the
 * files tied at the best rank so far, at most `cap` of them (a package of many equal hits parses the unit
 * again rather than holding every tree's record).
 */
export class UnitCandidates<T> {
  private best = -1;
  readonly kept = new Map<string, T>();
  constructor(private readonly cap = 4) {}
  offer(path: string, evidence: readonly Evidence[], parsed: T): void {
    const r = unitRank(evidence);
    if (r < 0 || r < this.best) return;
    if (r > this.best) {
      this.best = r;
      this.kept.clear();
    }
    if (this.kept.size < this.cap) this.kept.set(path, parsed);
  }
}

/**
 * The Python file of the strongest located evidence (most severe, then a behaviour over a capability, then
 * install/import time, then first).
 * Known-benign idioms do not count: a build step an author adds as a decoy must not pull the unit away
 * from the payload.
 */
export function unitFile(evidence: readonly Evidence[]): string | undefined {
  let best: Evidence | undefined;
  for (const e of evidence)
    if (PYTHON.test(e.path) && isLocated(e) && !benignIdiom(e) && (!best || rank(e) > rank(best))) best = e;
  return best?.path;
}

/**
 * The unit's file and view, or undefined when scoring it alone would add nothing: no located evidence in a
 * Python file, or no other Python file to leave out.
 */
export function unitView(
  view: ArchiveView,
  evidence: readonly Evidence[],
): { path: string; view: ArchiveView } | undefined {
  const path = unitFile(evidence);
  if (!path) return undefined;
  const entries = view.entries.filter((e) => e.path === path || CONTEXT_FILE.test(e.path));
  if (!entries.some((e) => e.path === path && e.data)) return undefined;
  const droppedPython = view.entries.some((e) => e.data && PYTHON.test(e.path) && e.path !== path);
  if (!droppedPython) return undefined;
  return { path, view: { ...view, entries, gaps: [], limitsHit: [], status: 'ok' } };
}
