// Orchestrates the stages for each package: resolve -> download -> readArchive -> extractFeatures ->
// score -> signals -> policy. The stages are injected (real ones in the action and CLI, fakes in tests);
// every failure becomes a per-package value, never an exception out of scan().
import { type AllowEntry, applyRuleSettings, decide, type RuleSetting, type Thresholds } from './policy.js';
import type {
  Analysis,
  Artifact,
  ArchiveView,
  Change,
  Evidence,
  ModelScore,
  PackageRef,
  PackageVerdict,
  ScanReport,
  Signal,
  LockfileResult,
} from './types.js';

/** What was analysed for one artifact; what the verdict cache stores. */
export interface ArtifactAnalysis {
  score?: number;
  evidence: Evidence[];
  notes: string[];
}

export interface VerdictCache {
  get(key: string): Promise<ArtifactAnalysis | undefined>;
  set(key: string, value: ArtifactAnalysis): Promise<void>;
}

/** The pipeline's stages; `F` is the registry's file descriptor, opaque here. */
export interface ScanStages<F = unknown> {
  /** The artifacts to analyse for a ref (already chosen: sdist and/or the wheel pip would install). */
  resolve(ref: PackageRef): Promise<{ files: F[]; releaseUrl?: string }>;
  /** The file's sha256 as the index states it, when known before download (lets the cache skip it). */
  sha256Of?(file: F): string | undefined;
  download(file: F, ref: PackageRef): Promise<Artifact>;
  readArchive(bytes: Uint8Array, filename: string): ArchiveView | Promise<ArchiveView>;
  extractFeatures(view: ArchiveView): Analysis | Promise<Analysis>;
  /** The model; absent when no model is loaded (then the policy works from evidence alone). */
  score?(analysis: Analysis): ModelScore;
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
 * A stage may throw an Error carrying a `signal` (the registry's RegistryFinding: a pinned release the index
 * no longer has, a file whose hash differs from the lockfile's): that is evidence for policy, not an error.
 * Recognised by shape, so scan.ts does not depend on the registry stage.
 */
function findingOf(err: unknown): Signal | undefined {
  const signal = err instanceof Error ? (err as { signal?: Partial<Signal> }).signal : undefined;
  return signal && typeof signal.id === 'string' && typeof signal.severity === 'string'
    ? (signal as Signal)
    : undefined;
}

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

async function analyseArtifact<F>(artifact: Artifact, stages: ScanStages<F>): Promise<ArtifactAnalysis> {
  const view = await stages.readArchive(artifact.bytes, artifact.filename);
  if (view.status === 'error')
    throw new Error(`${artifact.filename}: cannot read archive: ${view.error ?? 'unknown'}`);
  const analysis = await stages.extractFeatures(view);
  const modelScore = stages.score?.(analysis);
  const notes = [...analysis.notes];
  if (view.limitsHit.length > 0)
    notes.push(`${artifact.filename}: archive limits hit: ${view.limitsHit.join(', ')}`);
  return { score: modelScore?.score, evidence: analysis.evidence, notes };
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
  const finish = (): PackageVerdict => {
    verdict.ms = Math.round(performance.now() - started);
    options.onPackage?.(verdict);
    return verdict;
  };
  const fail = (error: string): PackageVerdict => {
    verdict.status = 'error';
    verdict.verdict = 'error';
    verdict.error = error;
    return finish();
  };
  if (ref.source === 'url' || ref.source === 'vcs' || ref.source === 'path') {
    return fail(
      `${ref.name}: direct ${ref.source} reference is not served by an index and cannot be scanned`,
    );
  }

  const findings: Signal[] = [];
  let files: F[] = [];
  try {
    files = (await stages.resolve(ref)).files;
  } catch (err) {
    const finding = findingOf(err);
    if (!finding) return fail(`${ref.name}${ref.version ? `==${ref.version}` : ''}: ${message(err)}`);
    findings.push(finding);
  }
  if (files.length === 0 && findings.length === 0)
    return fail(`${ref.name}: the index offers no artifact to analyse`);

  const scores: number[] = [];
  const failures: string[] = [];
  for (const file of files) {
    try {
      const known = stages.sha256Of?.(file);
      const key = (sha: string) => `${sha}:${options.modelVersion ?? 'no-model'}`;
      let cached = known && options.cache ? await options.cache.get(key(known)) : undefined;
      let artifact: Artifact | undefined;
      if (!cached) {
        artifact = await stages.download(file, ref);
        cached = options.cache ? await options.cache.get(key(artifact.sha256)) : undefined;
        if (!cached) {
          cached = await analyseArtifact(artifact, stages);
          await options.cache?.set(key(artifact.sha256), cached);
        }
      }
      const filename = artifact?.filename ?? String((file as { filename?: string }).filename ?? known);
      verdict.artifacts.push({
        filename,
        sha256: artifact?.sha256 ?? known ?? '',
        kind: artifact?.kind ?? 'other',
        url: artifact?.url,
        score: cached.score,
      });
      if (cached.score !== undefined) scores.push(cached.score);
      verdict.evidence.push(...applyRuleSettings(cached.evidence, options.rules ?? {}));
      verdict.reasons.push(...cached.notes);
    } catch (err) {
      const finding = findingOf(err);
      if (finding) findings.push(finding);
      else failures.push(message(err));
    }
  }
  verdict.reasons.push(...failures);
  if (verdict.artifacts.length === 0 && findings.length === 0)
    return fail(`${ref.name}: every artifact failed: ${failures.join('; ')}`);

  let stageSignals: Signal[] = [];
  try {
    stageSignals = (await stages.signals?.(ref, item.previous)) ?? [];
  } catch (err) {
    verdict.reasons.push(`signals unavailable: ${message(err)}`);
  }
  verdict.signals = withFindings(findings, stageSignals);
  verdict.score = scores.length > 0 ? Math.max(...scores) : undefined;
  const decision = decide({
    ref,
    score: verdict.score,
    thresholds: options.thresholds,
    evidence: verdict.evidence,
    signals: verdict.signals,
    sha256s: verdict.artifacts.map((a) => a.sha256),
    allow: options.allow,
    now: options.now(),
  });
  verdict.verdict = decision.verdict;
  verdict.reasons.unshift(...decision.reasons);
  verdict.allowedBy = decision.allowedBy;
  return finish();
}

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
        results[index] = {
          ref: item.ref,
          change: item.change,
          status: 'error',
          verdict: 'error',
          error: `${item.ref.name}: ${message(err)}`,
          artifacts: [],
          evidence: [],
          signals: [],
          reasons: [],
        };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker));
  return results;
}

/** Assemble the report and its counts (errors count lockfile errors as well as package errors). */
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
  const lockfileErrors = lockfiles.filter((l) => l.status === 'error').length;
  return {
    tool: input.tool,
    mode: input.mode,
    lockfiles,
    packages,
    counts: {
      scanned: packages.filter((p) => p.status === 'ok').length,
      malicious: count('malicious'),
      suspicious: count('suspicious'),
      errors: count('error') + lockfileErrors,
    },
    startedAt: input.startedAt.toISOString(),
    ms: input.now.getTime() - input.startedAt.getTime(),
  };
}

// The run's outcome is policy: it lives next to decide(). Re-exported for existing importers.
export { type FailOn, outcome } from './policy.js';
