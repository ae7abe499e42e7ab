// The real engine for the action and the CLI: the index client, the archive reader, the feature extractor,
// the bundled model and the signals, wired from the validated Config. Everything that talks to the world
// is created here and handed to scan() as stages.
import { join } from 'node:path';
import type { Config } from '../config.js';
import { type AnalysisBudget, budgetFromSeconds } from '../features/budget.js';
import { bundledModel } from '../model/bundled.js';
import { scoreAnalysis } from '../model/index.js';
import {
  createIndexClient,
  declaredIndexes,
  type IndexClient,
  indexProblems,
  maskSecrets,
  maskUrl,
  type RegistryFile,
  refKey,
  untrustedLockfileIndexes,
  valueOrThrow,
} from '../registry/index.js';
import type { ScanStages } from '../scan.js';
import { createSignalsStage } from '../signals/index.js';
import type { Analysis, PackageRef } from '../types.js';
import { defaultCacheDir, folderVerdictCache } from '../verdict-cache.js';
import type { StageFactory } from '../engine/run-scan.js';
import {
  type AnalysisPool,
  bundledWorkerUrl,
  createAnalysisPool,
  defaultThreads,
  inlineAnalysis,
} from './analysis-pool.js';

export interface EngineOptions {
  onNotice?: (message: string) => void;
  env?: Record<string, string | undefined>;
  /** Idle timeout per index or OSV request (CLI --timeout); default: the clients' own (30 s, 15 s). */
  timeoutMs?: number;
  /** Where archives are read and analysed; default: worker threads when bundled, else this thread. */
  analysis?: (limits: { totalBytes: number }, budget?: Partial<AnalysisBudget>) => AnalysisPool;
}

/** Worker threads (one per core) when the bundled worker is there, this thread otherwise (tests, tsx). */
function defaultAnalysis(limits: { totalBytes: number }, budget?: Partial<AnalysisBudget>): AnalysisPool {
  const workerUrl = bundledWorkerUrl();
  return workerUrl
    ? createAnalysisPool({ workerUrl, threads: defaultThreads(), limits, budget })
    : inlineAnalysis(limits, budget);
}

export function engineFactory(options: EngineOptions = {}): StageFactory {
  return async (config: Config) => {
    const notice = options.onNotice ?? (() => {});
    const env = options.env ?? process.env;
    const model = bundledModel();
    const cacheDir = defaultCacheDir(env);
    const client = createIndexClient({
      indexUrl: config.indexUrl,
      extraIndexUrls: config.extraIndexUrls,
      allowedIndexes: config.allowedIndexes,
      platforms: config.platforms,
      token: config.indexToken,
      maxArtifactBytes: config.maxArtifactMb * 1024 * 1024,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      cacheDir: config.cache ? join(cacheDir, 'artifacts') : undefined,
      onNotice: notice,
    });
    const secrets = config.indexToken ? [config.indexToken, encodeURIComponent(config.indexToken)] : [];
    const maxBytes = Math.max(256 * 1024 * 1024, config.maxArtifactMb * 1024 * 1024 * 10);
    // Read and extract happen together in the pool (a worker keeps the entries' bytes): the readAndExtract
    // stage. Apart, the two would need the bytes back in this thread.
    const pool = (options.analysis ?? defaultAnalysis)(
      { totalBytes: maxBytes },
      budgetFromSeconds(config.analysisBudgetSeconds),
    );
    // Set by prepare(): the indexes requirements files declare (their --index-url / --extra-index-url apply
    // to every package, as pip merges them), and the run-level problems with them.
    let declared = new Map<string, string[]>();
    let lockfileProblems: string[] = [];
    const indexesOf = (ref: PackageRef) => declared.get(refKey(ref));
    const signals = createSignalsStage({
      getProject: (name, ref) => client.getProject(name, ref, ref && indexesOf(ref)),
      analyze: previousAnalyses(client, pool, indexesOf),
      osv: config.osv
        ? { url: config.osvUrl, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) }
        : false,
      onNotice: notice,
    });
    const stages: ScanStages<RegistryFile> = {
      resolve: (ref) => client.resolve(ref, indexesOf(ref)),
      sha256Of: (file) => client.sha256Of(file),
      // As download() reports them: the URL without userinfo and with the token masked.
      describe: (file) => ({
        filename: file.filename,
        kind: file.kind,
        url: maskSecrets(maskUrl(file.url), secrets),
      }),
      download: (file, ref) => client.download(file, ref),
      readAndExtract: (bytes, filename) => pool.analyse(bytes, filename),
      readArchive: async (bytes, filename) => (await pool.analyse(bytes, filename)).view,
      extractFeatures: () => {
        throw new Error('internal: the engine analyses in readAndExtract');
      },
      // As many contributions as inspect (src/judge.ts modelStages): evidence is ordered by them.
      score: (analysis) => scoreAnalysis(model, analysis, { limit: 200 }),
      signals: (ref, prev) => signals.signals(ref, prev),
    };
    return {
      stages: stages as ScanStages<unknown>,
      prepare: (refs: PackageRef[], lockfiles = []) => {
        declared = declaredIndexes(lockfiles);
        lockfileProblems = untrustedLockfileIndexes(lockfiles, client.isTrusted, maskUrl);
        return signals.prepare(refs);
      },
      // A mistyped index-url or an index that answers nothing useful fails the run, naming the index.
      problems: () => [...lockfileProblems, ...indexProblems(client.health())],
      thresholds: model.thresholds,
      modelVersion: model.modelVersion,
      cache: config.cache ? folderVerdictCache(join(cacheDir, 'verdicts')) : undefined,
    };
  };
}

/**
 * The previous version's analysis, for the version diff: the first artifact the index offers (the sdist,
 * install-time code, when there is one), analysed once per version however many packages ask.
 */
function previousAnalyses(
  client: IndexClient,
  pool: AnalysisPool,
  indexesOf: (ref: PackageRef) => string[] | undefined,
): (ref: PackageRef) => Promise<Analysis> {
  const previous = new Map<string, Promise<Analysis>>();
  return (ref) => {
    const key = `${ref.name}==${ref.version}`;
    let pending = previous.get(key);
    if (!pending) {
      pending = (async () => {
        // For the version diff a finding is a reason the analysis is missing; the scan reports it itself.
        const { files } = valueOrThrow(await client.resolve(ref, indexesOf(ref)));
        const file = files[0];
        if (!file) throw new Error(`${key}: no artifact on the index`);
        const artifact = valueOrThrow(await client.download(file, ref));
        const result = await pool.analyse(artifact.bytes, artifact.filename);
        if (!result.analysis) throw new Error(result.analysisError ?? `${artifact.filename}: no analysis`);
        return result.analysis;
      })();
      previous.set(key, pending);
    }
    return pending;
  };
}
