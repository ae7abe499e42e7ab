// One artifact from bytes to what policy decides on, the same path for `scan` (per artifact, then per
// package) and `inspect` (one file, no index): read the archive, extract features and evidence, score,
// and name every part that was not analysed completely as a gap. A partial read is still analysed, so
// malicious evidence in what was read is reported, but its gaps make the package unscannable.
import type { LoadedModel } from './model/load.js';
import { scoreAnalysis } from './model/score.js';
import { decide, type Thresholds } from './policy.js';
import {
  type Analysis,
  type ArchiveView,
  type Evidence,
  type Gap,
  type ModelScore,
  SEVERITY_RANK,
  type VerdictLevel,
} from './types.js';

/** The stages from an artifact's bytes to its analysis; real ones from src/archive, src/features, src/model. */
export interface AnalysisStages {
  readArchive(bytes: Uint8Array, filename: string): ArchiveView | Promise<ArchiveView>;
  extractFeatures(view: ArchiveView): Analysis | Promise<Analysis>;
  /**
   * Both steps at once, when they run elsewhere (a worker pool, src/action/analysis-pool.ts): the view
   * (entry bytes may be left out) and the analysis, or why extracting failed; rejects when the archive
   * cannot be read at all. Used instead of readArchive + extractFeatures when present.
   */
  readAndExtract?(
    bytes: Uint8Array,
    filename: string,
  ): Promise<{ view: ArchiveView; analysis?: Analysis; analysisError?: string }>;
  /** The model; absent when no model is loaded (then policy works from evidence alone). */
  score?(analysis: Analysis): ModelScore;
}

/** What was analysed for one artifact; what the verdict cache stores. */
export interface ArtifactAnalysis {
  score?: number;
  /** Located evidence, most severe and what drove the score most first. */
  evidence: Evidence[];
  notes: string[];
  /** What was not analysed completely (empty when the artifact was read and analysed in full). */
  gaps: Gap[];
}

export interface AnalysedArtifact extends ArtifactAnalysis {
  view: ArchiveView;
  /** Absent when nothing could be read. */
  analysis?: Analysis;
  /** The features that pushed the score up most (logit units): the explanation when no rule fired. */
  drivers: ModelScore['contributions'];
  /** The file scored alone whose score is the artifact's (src/features/unit.ts), when it scored higher. */
  unit?: string;
}

const CONTEXT: Record<string, number> = { install: 2, import: 1 };
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Evidence ordered by severity, then by how much its category's features added to the score, then by where it runs. */
export function orderEvidence(evidence: Evidence[], weightOf: (feature: string) => number): Evidence[] {
  const weight = (e: Evidence) =>
    Math.max(
      weightOf(`rule.${e.category}.early`),
      weightOf(`rule.${e.category}.late`),
      weightOf(`rule.${e.category}.early_max_severity`),
      0,
    );
  return [...evidence].sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      weight(b) - weight(a) ||
      (CONTEXT[b.context ?? ''] ?? 0) - (CONTEXT[a.context ?? ''] ?? 0),
  );
}

/**
 * The archive's own gaps: a read the reader stopped (status 'error': corrupt, a bomb limit, an
 * unsupported member) and members it flagged. A big data file cut at the per-file limit ('fileBytes') is
 * not a gap by itself: the extractor names the cut files that matter (install/import-time code).
 */
export function archiveGaps(view: ArchiveView, artifact: string): Gap[] {
  const gaps: Gap[] = (view.gaps ?? []).map((g) => ({ ...g, artifact: g.artifact ?? artifact }));
  const stops = view.limitsHit.filter((l) => l !== 'fileBytes');
  if (view.status === 'error' || stops.length > 0) {
    const limits = stops.length > 0 ? ` (limits hit: ${stops.join(', ')})` : '';
    gaps.unshift({
      stage: 'archive',
      artifact,
      reason: `the archive could not be read in full: ${view.error ?? 'limit reached'}${limits}`,
    });
  }
  return gaps;
}

/** Files Python runs at install, start-up or import whatever the package does: never judged from a part. */
const STARTUP_FILE = /(^|\/)(setup\.py|__init__\.py|[^/]*\.pth|sitecustomize\.py|usercustomize\.py)$/i;

/**
 * A safety net under the extractor: a setup.py, __init__.py, .pth or *customize.py cut at the per-file
 * read limit is a gap even if the extractor did not name it (padding before or after a payload must not
 * make the rest of the file invisible).
 */
function cutStartupFiles(view: ArchiveView, artifact: string, known: Gap[]): Gap[] {
  const named = new Set(known.map((g) => g.path));
  return view.entries
    .filter((e) => e.truncated && STARTUP_FILE.test(e.path) && !named.has(e.path))
    .map((e) => ({
      stage: 'archive' as const,
      artifact,
      path: e.path,
      reason: `cut at the per-file read limit (${e.size} bytes): the rest of the file was not analysed`,
    }));
}

/** Read, extract and score one artifact; never throws for a bad artifact (that is a gap). */
export async function analyseArtifact(
  bytes: Uint8Array,
  filename: string,
  stages: AnalysisStages,
): Promise<AnalysedArtifact> {
  let view: ArchiveView;
  let pooled: { analysis?: Analysis; analysisError?: string } | undefined;
  try {
    if (stages.readAndExtract) {
      const { view: read, ...rest } = await stages.readAndExtract(bytes, filename);
      view = read;
      pooled = rest;
    } else view = await stages.readArchive(bytes, filename);
  } catch (err) {
    view = {
      format: 'unknown',
      kind: 'unknown',
      entries: [],
      status: 'error',
      error: message(err),
      limitsHit: [],
      bytesRead: 0,
    };
  }
  const gaps = archiveGaps(view, filename);
  const notes: string[] = [];
  if (view.limitsHit.length > 0) notes.push(`${filename}: archive limits hit: ${view.limitsHit.join(', ')}`);
  if (view.entries.length === 0) return { view, evidence: [], notes, gaps, drivers: [] };

  let analysis: Analysis;
  let modelScore: ModelScore | undefined;
  try {
    if (pooled && !pooled.analysis) throw new Error(pooled.analysisError ?? 'no analysis came back');
    // A pooled view has no entry bytes: its analysis is the pool's, never one of the stripped view.
    analysis = pooled?.analysis ?? (await stages.extractFeatures(view));
    modelScore = stages.score?.(analysis);
  } catch (err) {
    gaps.push({ stage: 'analysis', artifact: filename, reason: `analysis failed: ${message(err)}` });
    return { view, evidence: [], notes, gaps, drivers: [] };
  }
  gaps.push(...(analysis.gaps ?? []).map((g) => ({ ...g, artifact: g.artifact ?? filename })));
  gaps.push(...cutStartupFiles(view, filename, gaps));
  if (modelScore?.unit)
    notes.push(
      `${filename}: scored by ${modelScore.unit} alone (the file of its strongest evidence), which scores higher than the whole package`,
    );
  const weights = new Map(modelScore?.contributions.map((c) => [c.feature, c.weight]) ?? []);
  return {
    view,
    analysis,
    ...(modelScore ? { score: modelScore.score } : {}),
    evidence: orderEvidence(analysis.evidence, (f) => weights.get(f) ?? 0),
    notes: [...analysis.notes, ...notes],
    gaps,
    drivers: (modelScore?.contributions ?? []).filter((c) => c.weight > 0).slice(0, 5),
    ...(modelScore?.unit ? { unit: modelScore.unit } : {}),
  };
}

/** The stages `inspect` runs, from the bundled model (scan gets the same ones from src/action/stages.ts). */
export function modelStages(
  model: LoadedModel | undefined,
  read: AnalysisStages['readArchive'],
  extract: AnalysisStages['extractFeatures'],
): AnalysisStages {
  return {
    readArchive: read,
    extractFeatures: extract,
    ...(model ? { score: (a: Analysis) => scoreAnalysis(model, a, { limit: 200 }) } : {}),
  };
}

export interface Judgement {
  score?: number;
  verdict: VerdictLevel | 'unscannable';
  evidence: Evidence[];
  drivers: ModelScore['contributions'];
  gaps: Gap[];
  reasons: string[];
}

/**
 * One artifact's verdict without the index, through the same policy as a scan (no signals, no
 * allowlist): what `inspect` prints. A scan decides per package over all its artifacts and signals.
 */
export function judgeArtifact(
  analysed: ArtifactAnalysis & { drivers: ModelScore['contributions'] },
  thresholds: Thresholds | undefined,
  now = new Date(),
): Judgement {
  const decision = decide({
    ref: { name: '', version: null },
    score: analysed.score,
    thresholds: thresholds ?? { malicious: 1.01, suspicious: 1.01 },
    evidence: analysed.evidence,
    signals: [],
    allow: [],
    now,
    gaps: analysed.gaps,
  });
  const { drivers } = analysed;
  const reasons = [...decision.reasons];
  if (decision.raw !== 'benign' && drivers.length > 0)
    reasons.push(
      `model drivers: ${drivers.map((d) => `${d.feature}=${Number(d.value.toFixed(3))} (+${d.weight.toFixed(2)})`).join(', ')}`,
    );
  return {
    ...(analysed.score !== undefined ? { score: analysed.score } : {}),
    verdict: decision.raw,
    evidence: analysed.evidence,
    drivers,
    gaps: analysed.gaps,
    reasons,
  };
}
