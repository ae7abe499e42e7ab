// The one place a package's verdict is decided: model score + evidence + signals + allowlist -> verdict.
// Pure: the clock is passed in, so expiry is testable.
import { normalizeName } from './names.js';
import { benignIdiom, isLocated, isStrongEvidence, needsCorroboration } from './rules/benign-idioms.js';
import type { Evidence, Gap, PackageRef, ScanReport, Severity, Signal, VerdictLevel } from './types.js';

export interface Thresholds {
  /** Calibrated score at or above which a package is malicious. */
  malicious: number;
  /** Calibrated score at or above which a package is suspicious. */
  suspicious: number;
}

/** A rule's setting from the config file: turned off, or its hits given another severity. */
export interface RuleSetting {
  enabled?: boolean;
  severity?: Severity;
}

/**
 * Rule settings from the config file: a disabled rule's hits are dropped, a severity override applies.
 * Applied when a verdict is decided, not when a package is analysed, so cached analyses stay valid when
 * the settings change.
 */
export function applyRuleSettings(evidence: Evidence[], rules: Record<string, RuleSetting>): Evidence[] {
  if (Object.keys(rules).length === 0) return evidence;
  return evidence
    .filter((e) => rules[e.rule]?.enabled !== false)
    .map((e) => {
      const severity = rules[e.rule]?.severity;
      return severity ? { ...e, severity } : e;
    });
}

export interface AllowEntry {
  package: string;
  version?: string;
  sha256?: string;
  reason: string;
  /** ISO date (YYYY-MM-DD or full timestamp); the entry stops applying after it. */
  expires?: string;
}

export interface DecideInput {
  ref: Pick<PackageRef, 'name' | 'version'>;
  /** Model score in [0, 1], or undefined when no model ran. */
  score?: number;
  thresholds: Thresholds;
  evidence: Evidence[];
  signals: Signal[];
  /** sha256 (hex) of the artifacts analysed, for sha256-pinned allow entries. */
  sha256s?: string[];
  /** Filename -> sha256 of each artifact, so a sha256-pinned allow entry excuses only gaps in that file. */
  artifactSha256s?: Record<string, string>;
  allow: AllowEntry[];
  now: Date;
  /** What pip could install and the gate did not analyse completely; any gap rules out `benign`. */
  gaps?: Gap[];
}

export interface Decision {
  verdict: VerdictLevel | 'unscannable' | 'allowed';
  /** The verdict the evidence and the gaps give (before the allowlist). */
  raw: VerdictLevel | 'unscannable';
  reasons: string[];
  allowedBy?: string;
}

/** True when the entry's expiry date has passed (a bare date applies through the end of that day, UTC). */
export function isExpired(entry: AllowEntry, now: Date): boolean {
  if (!entry.expires) return false;
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(entry.expires);
  const end = new Date(bareDate ? `${entry.expires}T23:59:59.999Z` : entry.expires);
  if (Number.isNaN(end.getTime())) return true;
  return now.getTime() > end.getTime();
}

function entryMatches(entry: AllowEntry, input: DecideInput): boolean {
  if (normalizeName(entry.package) !== normalizeName(input.ref.name)) return false;
  if (entry.version !== undefined && entry.version !== input.ref.version) return false;
  if (entry.sha256 !== undefined) {
    const want = entry.sha256.toLowerCase().replace(/^sha256:/, '');
    if (!(input.sha256s ?? []).some((s) => s.toLowerCase() === want)) return false;
    // Pinned to one file, the entry vouches for that file only: a gap elsewhere (another artifact not
    // read, a download that failed, nothing from the index) stays unscannable.
    const shaOf = input.artifactSha256s ?? {};
    const inPinnedFile = (g: Gap) => g.artifact !== undefined && shaOf[g.artifact]?.toLowerCase() === want;
    if (!(input.gaps ?? []).every(inPinnedFile)) return false;
  }
  return true;
}

/** Located evidence: medium or stronger, at a file and line, outside tests and docs (src/rules/benign-idioms.ts). */
const hasLocatedEvidence = (evidence: Evidence[]): boolean => evidence.some(isLocated);

const FETCH_RULES = new Set(['install-time-network', 'network-access']);
const isFetchOf = (a: Evidence, b: Evidence) => a.rule === 'download-and-execute' && FETCH_RULES.has(b.rule);
/** Two strong hits that are separate findings: other rules, other lines, not a dropper hit and its own fetch. */
const independent = (a: Evidence, b: Evidence): boolean =>
  a.rule !== b.rule && a.line !== b.line && !isFetchOf(a, b) && !isFetchOf(b, a);

/**
 * Decide a package's verdict.
 * - malicious: a decisive signal (known MAL- advisory, hash mismatch), or score >= thresholds.malicious
 *   with located evidence (medium or above, outside tests and docs), or high/critical install/import/startup
 *   evidence that is not a known-benign idiom, whatever the score.
 * - suspicious: score in the middle band, a high-scoring package with no located evidence, non-decisive
 *   high/critical signals alone (typosquat, fresh upload: warn, don't fail), a pinned release the index
 *   does not serve, or high-severity evidence.
 * - unscannable: any gap (part of what pip could install was not analysed completely) unless the evidence
 *   says malicious; this ranks above suspicious, since it fails the check by default.
 * - allowed: a matching, unexpired allowlist entry (expired entries are named in the reasons); it applies
 *   to unscannable packages too, and the gaps stay on the package as a trace.
 */
export function decide(input: DecideInput): Decision {
  const reasons: string[] = [];
  let raw = byDecisiveSignals(input, reasons);
  raw = byScore(raw, input, reasons);
  raw = byEarlyEvidence(raw, input, reasons);
  raw = byOtherSignals(raw, input, reasons);
  // Fail closed: what was not analysed completely cannot be called benign (nor merely suspicious, which
  // passes by default). Malicious evidence in what was read still wins.
  const gaps = input.gaps ?? [];
  let level: VerdictLevel | 'unscannable' = raw;
  if (gaps.length > 0 && raw !== 'malicious') {
    level = 'unscannable';
    reasons.unshift(...gaps.map((g) => `not analysed: ${gapText(g)}`));
  }
  if (level === 'benign') return { verdict: 'benign', raw: level, reasons };
  for (const entry of input.allow) {
    if (!entryMatches(entry, input)) continue;
    if (isExpired(entry, input.now)) {
      reasons.push(`allowlist entry for ${entry.package} expired on ${entry.expires} and no longer applies`);
      continue;
    }
    return {
      verdict: 'allowed',
      raw: level,
      reasons: [...reasons, `allowed: ${entry.reason}`],
      allowedBy: entry.reason,
    };
  }
  return { verdict: level, raw: level, reasons };
}

/** The level `raw` at least suspicious: each step of decide() raises the level, never lowers it. */
const atLeastSuspicious = (raw: VerdictLevel): VerdictLevel => (raw === 'benign' ? 'suspicious' : raw);

/** A decisive signal (a known MAL- advisory, a hash mismatch) is malicious on its own. */
function byDecisiveSignals({ signals }: DecideInput, reasons: string[]): VerdictLevel {
  const decisive = signals.filter((s) => s.decisive);
  for (const s of decisive) reasons.push(`decisive signal ${s.id}: ${s.message}`);
  return decisive.length > 0 ? 'malicious' : 'benign';
}

/** The model: a score at the malicious threshold is malicious only with located evidence. */
function byScore(
  raw: VerdictLevel,
  { score, thresholds, evidence }: DecideInput,
  reasons: string[],
): VerdictLevel {
  if (score === undefined) return raw;
  if (score >= thresholds.malicious) {
    if (hasLocatedEvidence(evidence)) {
      reasons.push(`score ${score.toFixed(2)} >= malicious threshold ${thresholds.malicious}`);
      return 'malicious';
    }
    reasons.push(`score ${score.toFixed(2)} >= malicious threshold but no located evidence`);
    return atLeastSuspicious(raw);
  }
  if (score >= thresholds.suspicious) {
    reasons.push(`score ${score.toFixed(2)} >= suspicious threshold ${thresholds.suspicious}`);
    return atLeastSuspicious(raw);
  }
  return raw;
}

/**
 * Behaviour decides: high or critical evidence at install, import or startup time (reachability included,
 * outside tests and docs), and critical hits of the few shapes that have no honest reading at any time (a
 * silent credential beacon, a reverse shell, a download written into a shell rc file: isStrongEvidence),
 * fail the check on their own, whatever the score, except a short named list of
 * idioms honest packages ship (src/rules/benign-idioms.ts). Hits of the rules that still fail honest
 * projects too often (needsCorroboration, measured) fail when something backs them: the model scores the
 * package malicious, another rule fires strongly in the same file, a version bump adds the hit
 * (corroboratedBy), or no model ran; otherwise they warn. A score in the suspicious band used to be enough:
 * on out-of-fold scores that failed 0.20% of Debian projects (pytest-cov's and coloredlogs' .pth lines, setup.py
 * files that fetch and build) for 0.35 points of recall; at the malicious threshold it is 0.10%
 * (`npx tsx train/policy-sweep.ts --list`). The model decides the grey zone and can raise a verdict.
 * `npx tsx train/evidence-gate.ts` measures what this costs on the benign corpus and what it catches, per
 * rule and per idiom.
 */
function byEarlyEvidence(
  raw: VerdictLevel,
  { score, thresholds, evidence, signals }: DecideInput,
  reasons: string[],
): VerdictLevel {
  const strong = evidence.filter(isStrongEvidence);
  const unexcused = strong.filter((e) => !benignIdiom(e));
  const backed = score === undefined || score >= thresholds.malicious;
  const corroborated = corroboratedBy(unexcused, signals);
  const decisiveEvidence = unexcused.find((e) => backed || !needsCorroboration(e) || corroborated(e));
  if (decisiveEvidence) {
    reasons.push(
      `${decisiveEvidence.severity} ${decisiveEvidence.context}-time evidence: ${decisiveEvidence.rule} at ${decisiveEvidence.path}:${decisiveEvidence.line}`,
    );
    return 'malicious';
  }
  let level = raw;
  const unbacked = unexcused.find(needsCorroboration);
  if (unbacked) {
    level = atLeastSuspicious(level);
    reasons.push(
      `${unbacked.severity} ${unbacked.context}-time evidence (${unbacked.rule} at ${unbacked.path}:${unbacked.line}) that the model does not back`,
    );
  }
  for (const e of strong) {
    const idiom = benignIdiom(e);
    if (idiom)
      reasons.push(
        `${e.rule} at ${e.path}:${e.line} is a known-benign idiom (${idiom.id}: ${idiom.description})`,
      );
  }
  if (
    level === 'benign' &&
    score === undefined &&
    evidence.some((e) => isLocated(e) && (e.severity === 'critical' || e.severity === 'high'))
  ) {
    // Without a model score, strong evidence outside install/import time warns rather than fails.
    reasons.push('high-severity evidence without a model score');
    return 'suspicious';
  }
  return level;
}

/**
 * What backs a hit besides the model. Two different rules firing strongly on different lines of the same
 * file back each other: a diluting host (a trojanized release of a big project) lowers the score, not the
 * implant's own evidence. Two rules on one statement, or download-and-execute with the fetch it already
 * names, are one finding, not two (measured: those pairs failed honest setup.py files and .pth lines;
 * `npx tsx train/evidence-gate.ts`). So does a version bump that adds the hit: the release the project
 * already trusted did not have it (src/signals/version-diff.ts), which is the shape of a hijacked release.
 */
function corroboratedBy(unexcused: Evidence[], signals: Signal[]): (e: Evidence) => boolean {
  const added = signals.filter((s) => s.id === 'version-diff').flatMap((s) => s.evidence ?? []);
  return (e) =>
    unexcused.some((o) => o.path === e.path && independent(e, o)) ||
    added.some((a) => a.rule === e.rule && a.path === e.path && a.line === e.line);
}

/**
 * Non-decisive high or critical signals alone (typosquat, fresh upload) warn, don't fail; so does a pinned
 * release the index does not serve: PyPI deletes the malware it finds, and a PR that adds an extra index
 * can serve the release from there. Never benign, whatever its severity says.
 */
function byOtherSignals(raw: VerdictLevel, { signals }: DecideInput, reasons: string[]): VerdictLevel {
  let level = raw;
  const warnings = signals.filter((s) => !s.decisive && (s.severity === 'high' || s.severity === 'critical'));
  if (warnings.length > 0 && level === 'benign') {
    level = 'suspicious';
    for (const s of warnings) reasons.push(`signal ${s.id}: ${s.message}`);
  }
  const missing = signals.filter((s) => AT_LEAST_SUSPICIOUS.has(s.id));
  if (missing.length > 0 && level === 'benign') {
    level = 'suspicious';
    for (const s of missing) reasons.push(`signal ${s.id}: ${s.message}`);
  }
  return level;
}

/** Signals that make a package at least suspicious whatever their severity. */
const AT_LEAST_SUSPICIOUS = new Set(['release-missing']);

/** One line for a gap: `artifact: path: stage: reason`, the parts that are known. */
export function gapText(gap: Gap): string {
  const where = [gap.artifact, gap.path].filter((p): p is string => Boolean(p)).join(': ');
  return `${where ? `${where}: ` : ''}${gap.stage}: ${gap.reason}`;
}

export type FailOn = 'malicious' | 'suspicious' | 'never';

export interface OutcomeOptions {
  /**
   * Whether unscannable packages and lockfile errors fail the check (default true). When false they are
   * returned as warnings, never dropped; a run that analysed nothing fails either way.
   */
  failOnUnscannable?: boolean;
  /**
   * Run-level problems the stages found (an index that answered nothing useful for most pins): each
   * fails the run, whatever fail-on-unscannable says, and is named in the reason.
   */
  problems?: string[];
}

export interface Outcome {
  failed: boolean;
  /** Why it failed, every cause joined. */
  reason?: string;
  /** What did not fail the check but must be shown (unscannable packages with fail-on-unscannable off). */
  warnings: string[];
}

/**
 * The run's outcome, decided once:
 * - a run that had packages or lockfiles to cover and analysed none fails, whatever the settings, and so
 *   does a full audit that found no lockfile at all;
 * - malicious packages fail unless fail-on is never; suspicious ones when fail-on is suspicious;
 * - unscannable packages and lockfile errors (coverage below what the report lists) fail unless
 *   fail-on-unscannable is false, which turns them into warnings. fail-on: never does not silence them.
 */
export function outcome(report: ScanReport, failOn: FailOn, options: OutcomeOptions = {}): Outcome {
  const { counts, packages } = report;
  const failures: string[] = [];
  const warnings: string[] = [];
  // Allow entries for unscannable packages are explicit: a run of only those is not "nothing scanned".
  const allowedUnscanned = packages.filter(
    (p) => p.verdict === 'allowed' && (p.gaps?.length ?? 0) > 0,
  ).length;
  if (counts.scanned === 0 && (packages.length > allowedUnscanned || counts.errors > 0)) {
    return {
      failed: true,
      reason: [
        `nothing was scanned: ${counts.unscannable} unscannable package(s), ${counts.errors} lockfile error(s)`,
        ...(options.problems ?? []),
      ].join('; '),
      warnings,
    };
  }
  // A full audit that found no lockfile at all (no checkout step, a path that moved) covered nothing.
  if (report.mode === 'full' && report.lockfiles.length === 0 && packages.length === 0)
    return { failed: true, reason: 'nothing was scanned: no lockfile was found (full mode)', warnings };
  // On a pull request a repository without Python lockfiles passes, but says so: a moved or misnamed
  // lockfile must not look like a clean check.
  if (report.lockfiles.length === 0 && packages.length === 0)
    warnings.push('no Python lockfile was found: nothing was checked (see `lockfiles` in the README)');
  if (failOn !== 'never' && counts.malicious > 0) failures.push(`${counts.malicious} malicious package(s)`);
  const uncovered = [
    counts.unscannable > 0 ? `${counts.unscannable} unscannable package(s)` : '',
    counts.errors > 0 ? `${counts.errors} lockfile error(s)` : '',
  ].filter(Boolean);
  if (uncovered.length > 0) {
    if (options.failOnUnscannable ?? true) failures.push(...uncovered);
    else warnings.push(`${uncovered.join(', ')} (not failing: fail-on-unscannable is false)`);
  }
  if (failOn === 'suspicious' && counts.suspicious > 0)
    failures.push(`${counts.suspicious} suspicious package(s)`);
  failures.push(...(options.problems ?? []));
  return failures.length > 0
    ? { failed: true, reason: failures.join(', '), warnings }
    : { failed: false, warnings };
}
