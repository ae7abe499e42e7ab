// Orchestrates the stages for each package: resolve -> download -> readArchive -> extractFeatures ->
// score -> signals -> policy. The stages are injected (real ones in the action and CLI, fakes in tests);
// every failure becomes a per-package value, never an exception out of scan().
import { type AnalysisStages, type ArtifactAnalysis, analyseArtifact } from './judge.js';
import {
  type AllowEntry,
  applyRuleSettings,
  decide,
  gapText,
  type RuleSetting,
  type Thresholds,
} from './policy.js';
import type {
  Artifact,
  Change,
  Gap,
  OrFinding,
  PackageRef,
  PackageVerdict,
  ScanReport,
  Signal,
  LockfileResult,
} from './types.js';

export type { ArtifactAnalysis } from './judge.js';

/** What identifies a cached analysis: the artifact's sha256 and the model that scored it. */
export interface VerdictKey {
  sha256: string;
  modelVersion?: string;
}

/** The verdict cache (src/verdict-cache.ts): a miss, not an error, for anything it cannot vouch for. */
export interface VerdictCache {
  get(key: VerdictKey): Promise<ArtifactAnalysis | undefined>;
  set(key: VerdictKey, value: ArtifactAnalysis): Promise<void>;
}

/** The pipeline's stages; `F` is the registry's file descriptor, opaque here. */
export interface ScanStages<F = unknown> extends AnalysisStages {
  /**
   * The artifacts to analyse for a ref (already chosen: sdist and the wheels pip would install), with what
   * pip could install and will not be analysed (gaps) and what the user should see (notes); or a finding
   * (the pinned release is gone, no file matches the lock) for policy. A throw is a failure: a gap.
   */
  resolve(
    ref: PackageRef,
  ): Promise<
    OrFinding<{ files: F[]; version?: string; releaseUrl?: string; gaps?: Gap[]; notes?: string[] }>
  >;
  /**
   * What the index says the file is, before download: a verdict from the cache then reports the same
   * filename, kind and URL as a fresh analysis (the JSON report has one shape, cold or warm).
   */
  describe?(file: F): { filename: string; kind: Artifact['kind']; url?: string };
  /** The file's sha256 as the index states it, when known before download (lets the cache skip it). */
  sha256Of?(file: F): string | undefined;
  /** The verified artifact, or a finding (its bytes differ from a stated hash). A throw is a failure: a gap. */
  download(file: F, ref: PackageRef): Promise<OrFinding<Artifact>>;
  signals?(ref: PackageRef, previous: PackageRef | undefined): Promise<Signal[]>;
}

export interface ScanOptions {
  concurrency: number;
  thresholds: Thresholds;
  allow: AllowEntry[];
  /** Per-rule settings from the config file, applied to evidence after the cache. */
  rules?: Record<string, RuleSetting>;
  now: () => Date;
  modelVersion?: string;
  cache?: VerdictCache;
  /** Called as each package finishes (for the log line). */
  onPackage?: (verdict: PackageVerdict) => void;
}

export interface ScanItem {
  ref: PackageRef;
  change?: PackageVerdict['change'];
  previous?: PackageRef;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The stage findings, then the other signals minus those a finding already reports (the registry and the
 * history signals both see a missing release). Only those ids: OSV lists one 'known-malware' per advisory.
 */
function withFindings(findings: Signal[], signals: Signal[]): Signal[] {
  const reported = new Set(findings.map((f) => f.id));
  return [...findings, ...signals.filter((s) => !reported.has(s.id))];
}

/** Turn lockfile diff changes into scan items (removed packages are not scanned). */
export function itemsFromChanges(changes: Change[]): ScanItem[] {
  return changes
    .filter((c) => c.kind !== 'removed')
    .map((c) => ({ ref: c.ref, change: c.kind === 'added' ? 'added' : 'changed', previous: c.previous }));
}

/** A direct reference (git+, URL, local path) is installed from somewhere no index serves. */
const isDirect = (ref: PackageRef): boolean =>
  ref.source === 'url' || ref.source === 'vcs' || ref.source === 'path';

/** What scanning one package gathers besides the verdict's own lists: gaps, stage findings, model scores. */
interface Gathered {
  /** Everything pip could install for this package and the gate did not analyse completely. */
  gaps: Gap[];
  findings: Signal[];
  scores: number[];
}

async function scanOne<F>(
  item: ScanItem,
  stages: ScanStages<F>,
  options: ScanOptions,
): Promise<PackageVerdict> {
  const started = performance.now();
  const { ref } = item;
  const verdict: PackageVerdict = {
    ref,
    change: item.change,
    previousVersion: item.previous?.version ?? undefined,
    status: 'ok',
    verdict: 'benign',
    artifacts: [],
    evidence: [],
    signals: [],
    reasons: [],
  };
  const gathered: Gathered = { gaps: [], findings: [], scores: [] };
  if (isDirect(ref)) {
    gathered.gaps.push({
      stage: 'resolve',
      reason: `direct ${ref.source} reference${ref.url ? ` ${ref.url}` : ''}: no index serves it, so it was not analysed`,
    });
  } else {
    for (const file of await resolveFiles(ref, stages, verdict, gathered))
      await analyseFile(file, ref, stages, options, verdict, gathered);
  }
  await decideVerdict(item, stages, options, verdict, gathered);
  verdict.ms = Math.round(performance.now() - started);
  options.onPackage?.(verdict);
  return verdict;
}

const labelOf = (ref: PackageRef): string => `${ref.name}${ref.version ? `==${ref.version}` : ''}`;

/** The artifacts to analyse; the resolved version and notes go on the verdict, a gap when there are none. */
async function resolveFiles<F>(
  ref: PackageRef,
  stages: ScanStages<F>,
  verdict: PackageVerdict,
  { gaps, findings }: Gathered,
): Promise<F[]> {
  let files: F[] = [];
  try {
    const resolved = await stages.resolve(ref);
    if (resolved.ok) {
      const resolution = resolved.value;
      files = resolution.files;
      if (ref.version === null && resolution.version) verdict.resolvedVersion = resolution.version;
      gaps.push(...(resolution.gaps ?? []));
      verdict.reasons.push(...(resolution.notes ?? []));
    } else findings.push(resolved.finding);
  } catch (err) {
    gaps.push({ stage: 'resolve', reason: `${labelOf(ref)}: ${message(err)}` });
  }
  if (files.length === 0 && !gaps.some((g) => g.stage === 'resolve'))
    gaps.push({
      stage: 'resolve',
      reason:
        findings.length > 0
          ? `nothing was analysed: ${findings.map((f) => f.message).join('; ')}`
          : `the index offers no artifact of ${labelOf(ref)} to analyse`,
    });
  return files;
}

/**
 * One artifact onto the verdict: its analysis from the cache by the sha256 the index states, else downloaded
 * (then from the cache by its own sha256, else analysed). A failure is a gap naming the artifact.
 */
async function analyseFile<F>(
  file: F,
  ref: PackageRef,
  stages: ScanStages<F>,
  options: ScanOptions,
  verdict: PackageVerdict,
  { gaps, findings, scores }: Gathered,
): Promise<void> {
  const known = stages.sha256Of?.(file);
  const described = stages.describe?.(file);
  const stated = described?.filename ?? (file as { filename?: unknown }).filename;
  let filename = typeof stated === 'string' ? stated : (known ?? 'artifact');
  try {
    let analysed = known && options.cache ? await options.cache.get(cacheKey(known, options)) : undefined;
    let artifact: Artifact | undefined;
    if (!analysed) {
      const downloaded = await stages.download(file, ref);
      if (!downloaded.ok) {
        // Evidence for policy, and a file pip could install that was not analysed.
        findings.push(downloaded.finding);
        gaps.push({ stage: 'download', artifact: filename, reason: downloaded.finding.message });
        return;
      }
      artifact = downloaded.value;
      filename = artifact.filename;
      analysed = await analyseDownloaded(artifact, stages, options);
    }
    verdict.artifacts.push({
      filename,
      sha256: artifact?.sha256 ?? known ?? '',
      kind: artifact?.kind ?? described?.kind ?? 'other',
      url: artifact?.url ?? described?.url,
      score: analysed.score,
    });
    if (analysed.score !== undefined) scores.push(analysed.score);
    verdict.evidence.push(...applyRuleSettings(analysed.evidence, options.rules ?? {}));
    verdict.reasons.push(...analysed.notes);
    gaps.push(...analysed.gaps);
  } catch (err) {
    gaps.push({ stage: 'download', artifact: filename, reason: message(err) });
  }
}

/** A downloaded artifact's analysis: the cache's for its sha256, else a fresh one (cached when complete). */
async function analyseDownloaded(
  artifact: Artifact,
  stages: AnalysisStages,
  options: ScanOptions,
): Promise<ArtifactAnalysis> {
  const key = cacheKey(artifact.sha256, options);
  const cached = options.cache ? await options.cache.get(key) : undefined;
  if (cached) return cached;
  const { score, evidence, notes, gaps } = await analyseArtifact(artifact.bytes, artifact.filename, stages);
  const analysed = { ...(score !== undefined ? { score } : {}), evidence, notes, gaps };
  if (cacheable(analysed)) await options.cache?.set(key, analysed);
  return analysed;
}

/** The signals for the release scanned, then policy's verdict; an unscannable package's error says why. */
async function decideVerdict<F>(
  item: ScanItem,
  stages: ScanStages<F>,
  options: ScanOptions,
  verdict: PackageVerdict,
  { gaps, findings, scores }: Gathered,
): Promise<void> {
  // An unpinned ref is judged as the release scanned: OSV, the index history and allow entries with a
  // version see that version, not "any".
  const judged: PackageRef = verdict.resolvedVersion
    ? { ...item.ref, version: verdict.resolvedVersion }
    : item.ref;
  let stageSignals: Signal[] = [];
  try {
    stageSignals = (await stages.signals?.(judged, item.previous)) ?? [];
  } catch (err) {
    verdict.reasons.push(`signals unavailable: ${message(err)}`);
  }
  verdict.signals = withFindings(findings, stageSignals);
  verdict.score = scores.length > 0 ? Math.max(...scores) : undefined;
  const decision = decide({
    ref: judged,
    score: verdict.score,
    thresholds: options.thresholds,
    evidence: verdict.evidence,
    signals: verdict.signals,
    sha256s: verdict.artifacts.map((a) => a.sha256),
    artifactSha256s: Object.fromEntries(verdict.artifacts.map((a) => [a.filename, a.sha256])),
    allow: options.allow,
    now: options.now(),
    gaps,
  });
  verdict.verdict = decision.verdict;
  verdict.reasons.unshift(...decision.reasons);
  verdict.allowedBy = decision.allowedBy;
  if (gaps.length > 0) verdict.gaps = gaps;
  // Nothing analysed at all is status 'error'; either way an unscannable package's error names its first
  // gap, so the one-line log and any reader of `error` say why.
  if (verdict.artifacts.length === 0) verdict.status = 'error';
  if (verdict.status === 'error' || verdict.verdict === 'unscannable')
    verdict.error = gaps[0] ? gapText(gaps[0]) : `${labelOf(item.ref)}: nothing was analysed`;
}

/**
 * An analysis that ran out of budget or failed says how that run went (a loaded machine, a tight setting, a
 * crashed worker), not what the artifact is: cached, it would keep the package unscannable after the cause
 * is gone. Such analyses are done again next time.
 */
const cacheable = (analysis: ArtifactAnalysis): boolean =>
  !analysis.gaps.some((g) => g.stage === 'budget' || g.stage === 'analysis');

const cacheKey = (sha256: string, options: ScanOptions): VerdictKey => ({
  sha256,
  ...(options.modelVersion ? { modelVersion: options.modelVersion } : {}),
});

/** Scan items with at most `concurrency` in flight; results keep the input order. */
export async function scan<F>(
  items: ScanItem[],
  stages: ScanStages<F>,
  options: ScanOptions,
): Promise<PackageVerdict[]> {
  const results: PackageVerdict[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        results[index] = await scanOne(item, stages, options);
      } catch (err) {
        // scanOne catches per stage; this guards against a stage throwing synchronously where not expected.
        const gap: Gap = { stage: 'analysis', reason: `${item.ref.name}: ${message(err)}` };
        results[index] = {
          ref: item.ref,
          change: item.change,
          status: 'error',
          verdict: 'unscannable',
          error: gapText(gap),
          artifacts: [],
          evidence: [],
          signals: [],
          reasons: [`not analysed: ${gapText(gap)}`],
          gaps: [gap],
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  return results;
}

/**
 * A package counts as scanned when it has a verdict from a complete analysis (or malicious evidence in
 * what was read); unscannable ones, and unscannable ones an allow entry let through, do not.
 */
export const isScanned = (p: PackageVerdict): boolean =>
  p.verdict !== 'unscannable' &&
  !(p.verdict === 'allowed' && (p.gaps?.length ?? 0) > 0) &&
  (p.status === 'ok' || p.verdict === 'malicious');

/** Assemble the report and its counts (errors are lockfile errors: files and entries that could not be read). */
export function buildReport(input: {
  tool: ScanReport['tool'];
  mode: ScanReport['mode'];
  lockfiles: LockfileResult[];
  packages: PackageVerdict[];
  startedAt: Date;
  now: Date;
}): ScanReport {
  const { packages, lockfiles } = input;
  const count = (v: PackageVerdict['verdict']) => packages.filter((p) => p.verdict === v).length;
  const lockfileErrors = lockfiles.reduce(
    (n, l) => n + (l.status === 'error' ? 1 : 0) + l.issues.filter((i) => i.kind === 'error').length,
    0,
  );
  return {
    tool: input.tool,
    mode: input.mode,
    lockfiles,
    packages,
    counts: {
      scanned: packages.filter(isScanned).length,
      malicious: count('malicious'),
      suspicious: count('suspicious'),
      unscannable: count('unscannable'),
      errors: lockfileErrors,
    },
    startedAt: input.startedAt.toISOString(),
    ms: input.now.getTime() - input.startedAt.getTime(),
  };
}

// The run's outcome is policy: it lives next to decide(). Re-exported for existing importers.
export { type FailOn, outcome } from './policy.js';
