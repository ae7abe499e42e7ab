// `npm run evaluate`: group 5-fold cross-validation of the whole pipeline (for each outer fold the
// stack is trained exactly as train.ts trains it, inner folds and all, on the other four folds, and
// judged at its own default thresholds), each base learner alone against the stack, a time split
// (malicious samples added before 2024-08-01 for training, later ones for testing), and feature
// importance. Writes models/evaluation.json and the model card models/MODEL.md; every figure in them
// comes from this run. Options as train.ts, plus --folds <k> and --quick (fewer trees, for a smoke run).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../src/model/load.js';
import { scoreAnalysis, scoreVector } from '../src/model/score.js';
import { clamp, sigmoid } from '../src/model/vector.js';
import { initFeatures } from '../src/features/index.js';
import { defaultCorpusDir, listCorpus } from './corpus.js';
import { renderModelCard } from './card.js';
import { evasionTable } from './evasion.js';
import { allRows, type Dataset, packageScores } from './dataset.js';
import {
  type Evaluation,
  type FoldResult,
  LEAK_PATTERN,
  type LearnerResult,
  summarize,
} from './evaluation.js';
import { groupKFold, splitFold } from './folds.js';
import { loadTrainingData, log, parseCommon } from './inputs.js';
import { forest } from './learners/forest.js';
import { gbdt } from './learners/gbdt.js';
import { linear } from './learners/linear.js';
import { tokenLogistic, tokenNaiveBayes } from './learners/text.js';
import { type Figures, figuresAt, meanSd, recallAtFpr, sumCounts } from './metrics.js';
import { verdictFlags } from './verdicts.js';
import { TRAIN_ONLY } from './table.js';
import { buildModelJson, trainingDigest } from './model-file.js';
import { deriveSeed } from './prng.js';
import {
  defaultLearners,
  predictStack,
  STACK_DEFAULTS,
  type StackOptions,
  type TrainedStack,
  trainStack,
} from './stack.js';

const TIME_SPLIT = '2024-08-01';
/** Later malicious samples the evasion table rewrites (each under every mutation), and benign hosts. */
const EVASION_SAMPLES = 150;
const EVASION_HOSTS = 20;
const TEXT_FEATURE = '(hashed text tokens)';

const { common, values } = parseCommon(process.argv.slice(2), {
  folds: { type: 'string' },
  quick: { type: 'boolean' },
  'evasion-samples': { type: 'string' },
});
const folds = Number(values.folds ?? 5);
await initFeatures();
const started = performance.now();
const { data, origin, excluded } = await loadTrainingData(common);
const learners = values.quick
  ? {
      featureLearners: [gbdt({ rounds: 60 }), forest({ trees: 20 }), linear()],
      textLearners: [tokenNaiveBayes(), tokenLogistic()],
    }
  : defaultLearners();
const stackOptions = (seed: number): StackOptions => ({
  ...STACK_DEFAULTS,
  ...learners,
  seed,
  refitAll: true,
  log: (line) => log(`  ${line.trim()}`),
});

// Outer folds: the stack and every learner alone, trained on four folds and tested on the fifth.
const all = allRows(data);
const outer = groupKFold(data.groups, data.y, folds, deriveSeed(common.seed, 'outer'));
const stackFolds: FoldResult[] = [];
/** The gate's answer (decide()) per fold: malicious verdicts against the labels. */
const verdictFolds: Figures[] = [];
const aloneFolds: Record<string, FoldResult[]> = {};
const pooled = { rows: [] as number[], stack: [] as number[], alone: {} as Record<string, number[]> };
const importance = new Map<string, { abs: number; malicious: number; benign: number }>();
const textChoices: string[] = [];
const metaWeights: Record<string, number>[] = [];
for (let f = 0; f < folds; f++) {
  const split = splitFold(all, outer, f);
  const { train } = split;
  // Implants and units only train: every figure is on real rows and small benign cuts, each scored as the
  // gate scores a package (the higher of its own score and its unit's).
  const test = split.test.filter((r) => !TRAIN_ONLY.has(data.sources[r]!));
  log(`outer fold ${f + 1}/${folds}: training on ${train.length} rows, testing on ${test.length}`);
  const stack = trainStack(data, train, stackOptions(deriveSeed(common.seed, 'outer', f)));
  textChoices.push(stack.names.find((n) => n.startsWith('text')) ?? '(none)');
  metaWeights.push(Object.fromEntries(stack.names.map((n, j) => [n, stack.meta.weights[j]!])));
  const predicted = { score: predictPackages(stack, test) };
  stackFolds.push(foldResult(data, test, predicted.score, stack.calibrated.thresholds));
  const flags = verdictFlags(
    Array.from(test, (r) => data.rows[r]!),
    predicted.score,
    stack.calibrated.thresholds,
  );
  verdictFolds.push(
    figuresAt(
      flags,
      Array.from(test, (r) => data.y[r]!),
      Array.from(test, (r) => data.sources[r]!),
      0.5,
    ),
  );
  pooled.rows.push(...test);
  pooled.stack.push(...predicted.score);
  for (const [name, fitted] of Object.entries(stack.fitted)) {
    const { calibration, thresholds } = stack.alone[name]!;
    const scores = fitted
      .predict(data, test)
      .map((v) => sigmoid(calibration.a * clamp(v, stack.logitClip) + calibration.b));
    aloneFolds[name] = [...(aloneFolds[name] ?? []), foldResult(data, test, scores, thresholds)];
    pooled.alone[name] = [...(pooled.alone[name] ?? []), ...scores];
  }
  addImportance(stack, train, test);
  const r = stackFolds[f]!;
  log(
    `outer fold ${f + 1}: stack precision ${r.figures.precision.toFixed(4)}, recall ${r.figures.recall.toFixed(4)}, ` +
      `F1 ${r.figures.f1.toFixed(4)}, benign FPR ${(r.figures.fpr * 100).toFixed(2)}% at threshold ${r.thresholds.malicious}`,
  );
}

const pooledRows = Int32Array.from(pooled.rows);
const learnerResult = (foldsOf: FoldResult[], scores: number[]): LearnerResult =>
  summarize(foldsOf, pooledRows, Float64Array.from(scores), data);
const evaluation: Evaluation = {
  generatedBy: 'npm run evaluate',
  seed: common.seed,
  quick: Boolean(values.quick),
  table: {
    origin,
    rows: data.n,
    bySource: countSources(data, all),
    excluded,
    features: data.d,
    tokenBuckets: data.tokenBuckets,
    digest: trainingDigest(data, all),
  },
  model: bundledModelInfo(join(common.models, 'model.json'), trainingDigest(data, all)),
  protocol: {
    outerFolds: folds,
    innerFolds: STACK_DEFAULTS.folds,
    targets: STACK_DEFAULTS.targets,
    timeSplit: TIME_SPLIT,
    augmented: !common.noAugment,
    shapeBlind: Boolean(common.shapeBlind),
    learners: [...learners.featureLearners, ...learners.textLearners].map((l) => ({
      name: l.name,
      inputs: l.inputs,
    })),
  },
  cv: {
    stack: learnerResult(stackFolds, pooled.stack),
    learners: Object.fromEntries(
      Object.entries(aloneFolds).map(([name, fr]) => [name, learnerResult(fr, pooled.alone[name]!)]),
    ),
    textChoices,
    metaWeights,
  },
  timeSplit: await timeSplit(),
  verdicts: summarizeVerdicts(verdictFolds),
  importance: [...importance]
    .map(([feature, v]) => ({
      feature,
      meanAbs: v.abs / data.n,
      meanMalicious: v.malicious / countLabel(1),
      meanBenign: v.benign / countLabel(0),
      leak: LEAK_PATTERN.test(feature),
    }))
    .sort((a, b) => b.meanAbs - a.meanAbs)
    .slice(0, 40),
  seconds: (performance.now() - started) / 1000,
};

mkdirSync(common.models, { recursive: true });
writeFileSync(join(common.models, 'evaluation.json'), `${JSON.stringify(evaluation, null, 2)}\n`);
writeFileSync(join(common.models, 'MODEL.md'), renderModelCard(evaluation));
const s = evaluation.cv.stack.summary;
log(
  `cross-validated stack: F1 ${s.f1.mean.toFixed(4)} ± ${s.f1.sd.toFixed(4)}, recall ${s.recall.mean.toFixed(4)}, ` +
    `benign FPR ${(s.fpr.mean * 100).toFixed(3)}% ± ${(s.fpr.sd * 100).toFixed(3)}%; time split recall ` +
    `${evaluation.timeSplit.figures.recall.toFixed(4)} at FPR ${(evaluation.timeSplit.figures.fpr * 100).toFixed(3)}%`,
);
const v = evaluation.verdicts!;
log(
  `gate verdicts (decide()): F1 ${v.f1.mean.toFixed(4)}, recall ${v.recall.mean.toFixed(4)}, benign FPR ` +
    `${(v.fpr.mean * 100).toFixed(3)}%, hard-benign FPR ${((v.fprBySource['hard-benign']?.mean ?? 0) * 100).toFixed(1)}%`,
);
log(
  `wrote ${join(common.models, 'evaluation.json')} and ${join(common.models, 'MODEL.md')} in ${evaluation.seconds.toFixed(0)} s`,
);

/** Package scores for real rows: each row's and its unit's (when it has one) through the stack, the higher kept. */
function predictPackages(stack: TrainedStack, rows: Int32Array): Float64Array {
  const units = Array.from(rows, (r) => data.unitOf[r]!).filter((u) => u >= 0);
  const both = Int32Array.from([...rows, ...units]);
  const { score } = predictStack(stack, data, both);
  return packageScores(data, both, score).slice(0, rows.length);
}

function foldResult(
  d: Dataset,
  test: Int32Array,
  scores: Float64Array,
  thresholds: { malicious: number; suspicious: number },
): FoldResult {
  const labels = Array.from(test, (r) => d.y[r]!);
  const sources = Array.from(test, (r) => d.sources[r]!);
  return {
    thresholds,
    figures: figuresAt(scores, labels, sources, thresholds.malicious),
    suspicious: figuresAt(scores, labels, sources, thresholds.suspicious),
    recallAtFpr: {
      '0.001': recallAtFpr(scores, labels, 0.001, sources),
      '0.005': recallAtFpr(scores, labels, 0.005, sources),
    },
  };
}

/** Mean contribution per feature over the test rows, through the runtime scorer (as `inspect` explains). */
function addImportance(stack: TrainedStack, train: Int32Array, test: Int32Array): void {
  const parsed = parseModel(buildModelJson(stack, data, train, common.seed));
  if (!parsed.ok) throw new Error(parsed.error);
  for (const r of test) {
    const row = data.rows[r]!;
    const got = scoreVector(parsed.model, row.features, row.tokens, { limit: Number.POSITIVE_INFINITY });
    const byFeature = new Map<string, number>();
    for (const c of got.contributions) {
      const key = c.feature.startsWith('token:') ? TEXT_FEATURE : c.feature;
      byFeature.set(key, (byFeature.get(key) ?? 0) + c.weight);
    }
    for (const [feature, w] of byFeature) {
      const entry = importance.get(feature) ?? { abs: 0, malicious: 0, benign: 0 };
      entry.abs += Math.abs(w);
      if (data.y[r]) entry.malicious += w;
      else entry.benign += w;
      importance.set(feature, entry);
    }
  }
}

function summarizeVerdicts(foldsOf: Figures[]): NonNullable<Evaluation['verdicts']> {
  const total = sumCounts(foldsOf);
  const sources = [...new Set(foldsOf.flatMap((f) => Object.keys(f.fprBySource)))];
  return {
    precision: meanSd(foldsOf.map((f) => f.precision)),
    recall: meanSd(foldsOf.map((f) => f.recall)),
    f1: meanSd(foldsOf.map((f) => f.f1)),
    fpr: meanSd(foldsOf.map((f) => f.fpr)),
    fprBySource: Object.fromEntries(
      sources.map((s) => [s, meanSd(foldsOf.map((f) => f.fprBySource[s] ?? 0))]),
    ),
    total,
  };
}

/** Train on malicious samples added before the cutoff (and four fifths of benign projects), test on later ones. */
async function timeSplit(): Promise<Evaluation['timeSplit']> {
  const benign = Int32Array.from(all.filter((r) => data.y[r] === 0));
  const benignFold = groupKFold(
    Array.from(benign, (r) => data.groups[r]!),
    new Uint8Array(benign.length),
    folds,
    deriveSeed(common.seed, 'time-split'),
  );
  const heldOutBenign = new Set(splitFold(benign, benignFold, 0).test);
  const heldOutHosts = new Set(Array.from(heldOutBenign, (r) => data.rows[r]!.id));
  const train: number[] = [];
  const test: number[] = [];
  let undated = 0;
  for (const r of all) {
    if (data.sources[r] === 'malicious-unit' || data.sources[r] === 'benign-unit') continue;
    if (data.sources[r] === 'malicious-implant') {
      // Implants train, from earlier payloads in projects outside the held-out benign fold (the evasion
      // table implants later payloads into held-out projects).
      const row = data.rows[r]!;
      if (row.added !== undefined && row.added < TIME_SPLIT && !heldOutHosts.has(row.host ?? ''))
        train.push(r);
    } else if (data.y[r] === 0) (heldOutBenign.has(r) ? test : train).push(r);
    else if (!data.added[r]) undated++;
    else (data.added[r]! < TIME_SPLIT ? train : test).push(r);
  }
  // Units go with their parents: trained with training rows, scored with tested ones.
  for (const r of [...train]) if (data.unitOf[r]! >= 0) train.push(data.unitOf[r]!);
  const earlyFamilies = new Set(train.filter((r) => data.y[r]).map((r) => data.groups[r]!));
  log(
    `time split: training on ${train.length} rows, testing on ${test.length} (${undated} malicious rows undated)`,
  );
  const stack = trainStack(data, Int32Array.from(train), {
    ...stackOptions(deriveSeed(common.seed, 'time')),
    refitAll: false,
  });
  const rows = Int32Array.from(test);
  const score = predictPackages(stack, rows);
  const result = foldResult(data, rows, score, stack.calibrated.thresholds);
  const gateFlags = verdictFlags(
    Array.from(rows, (r) => data.rows[r]!),
    score,
    stack.calibrated.thresholds,
  );
  const verdict = figuresAt(
    gateFlags,
    Array.from(rows, (r) => data.y[r]!),
    Array.from(rows, (r) => data.sources[r]!),
    0.5,
  );
  // Both the model's own recall and the gate's (decide()): the goal is stated on the gate's verdicts.
  const recallOf = (keep: (r: number) => boolean) => {
    let tp = 0;
    let gate = 0;
    let n = 0;
    rows.forEach((r, k) => {
      if (!data.y[r] || !keep(r)) return;
      n++;
      if (score[k]! >= stack.calibrated.thresholds.malicious) tp++;
      if (gateFlags[k]) gate++;
    });
    return {
      rows: n,
      recall: n === 0 ? Number.NaN : tp / n,
      verdictRecall: n === 0 ? Number.NaN : gate / n,
    };
  };
  return {
    cutoff: TIME_SPLIT,
    trainRows: train.length,
    testRows: test.length,
    undated,
    ...result,
    newFamilies: recallOf((r) => !earlyFamilies.has(data.groups[r]!)),
    seenFamilies: recallOf((r) => earlyFamilies.has(data.groups[r]!)),
    verdict,
    missed: missedByName(rows, score, gateFlags),
    evasion: await evasion(
      stack,
      Int32Array.from(train),
      new Set(Array.from(rows, (r) => data.rows[r]!.group)),
    ),
  };
}

/**
 * The evasion table with the time-split model: later malicious samples (never seen in its training) rewritten
 * and implanted into held-out benign projects, judged by that model and decide().
 */
async function evasion(stack: TrainedStack, train: Int32Array, testGroups: Set<string>) {
  const parsed = parseModel(buildModelJson(stack, data, train, common.seed));
  if (!parsed.ok) throw new Error(parsed.error);
  const model = parsed.model;
  const items = listCorpus(common.corpus ?? defaultCorpusDir());
  log('evasion table: rewriting and implanting later malicious samples');
  return evasionTable({
    maliciousPaths: items.filter((i) => i.label === 1 && (i.added ?? '') >= TIME_SPLIT),
    hostPaths: items.filter((i) => i.source === 'benign-sdist' && testGroups.has(i.group)),
    samples: Number(values['evasion-samples'] ?? (values.quick ? 30 : EVASION_SAMPLES)),
    hosts: EVASION_HOSTS,
    seed: common.seed,
    score: (a) => scoreAnalysis(model, a).score,
    thresholds: stack.calibrated.thresholds,
    log,
  });
}

/** Later malicious samples scored below the threshold, by package name (most missed first), for the card. */
/** Later malicious samples the gate (decide()) did not fail, by name. */
function missedByName(rows: Int32Array, score: Float64Array, failed: Float64Array) {
  const byName = new Map<string, { count: number; maxScore: number; rules: Set<string> }>();
  rows.forEach((r, k) => {
    if (!data.y[r] || failed[k]) return;
    const row = data.rows[r]!;
    const entry = byName.get(row.name) ?? { count: 0, maxScore: 0, rules: new Set<string>() };
    entry.count++;
    entry.maxScore = Math.max(entry.maxScore, score[k]!);
    for (const rule of row.rules ?? []) entry.rules.add(rule);
    byName.set(row.name, entry);
  });
  return [...byName]
    .map(([name, v]) => ({ name, count: v.count, maxScore: v.maxScore, rules: [...v.rules].sort() }))
    .sort((a, b) => b.count - a.count || a.maxScore - b.maxScore || (a.name < b.name ? -1 : 1))
    .slice(0, 25);
}

function bundledModelInfo(path: string, digest: string): Evaluation['model'] {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const parsed = parseModel(text);
  if (!parsed.ok) return { path, error: parsed.error };
  const json = parsed.model.json;
  return {
    path,
    modelVersion: json.modelVersion,
    bytes: text.length,
    digest: json.training.digest,
    matchesTable: json.training.digest === digest,
    thresholds: json.thresholds,
    base: json.base.map((b) => b.name),
    metaWeights: json.meta.weights,
  };
}

function countSources(d: Dataset, rows: Int32Array): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[d.sources[r]!] = (out[d.sources[r]!] ?? 0) + 1;
  return out;
}

function countLabel(label: number): number {
  let n = 0;
  for (let i = 0; i < data.n; i++) if (data.y[i] === label) n++;
  return Math.max(1, n);
}
