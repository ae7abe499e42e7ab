// The model card, models/MODEL.md, rendered from the evaluation only: no figure in it is typed by hand.
import type { Evaluation, LearnerResult, Stat } from './evaluation.js';
import { renderEvasionTable } from './evasion.js';
import { REGULAR_BENIGN } from './metrics.js';

const pct = (v: number, digits = 2) => (Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : 'n/a');
const num = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const spread = (s: Stat, f: (v: number) => string) => `${f(s.mean)} ± ${f(s.sd)} (${f(s.min)}–${f(s.max)})`;
/** Package names are untrusted: keep them to characters that cannot break Markdown. */
const safeName = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '?').slice(0, 60);
const cell = (text: string) => text.replace(/\|/g, '\\|');
const regular = (by: Record<string, { rows: number; flagged: number }>) => {
  const rows = REGULAR_BENIGN.reduce((a, s) => a + (by[s]?.rows ?? 0), 0);
  const flagged = REGULAR_BENIGN.reduce((a, s) => a + (by[s]?.flagged ?? 0), 0);
  return `${flagged}/${rows}`;
};

const SOURCES: Record<string, string> = {
  malicious:
    "`../shared/corpus/malicious.tsv` and `malicious/<sha256>`: sdists (and about 5% wheels) from a public malware dataset; the group is the dataset's family",
  'benign-sdist':
    'upstream source tarballs of Debian packages, downloaded by `../shared/corpus/fetch-benign.sh`; the group is the source project',
  'benign-wheel':
    "wheels built from Debian's python3-* packages by `../shared/corpus/fetch-benign-wheels.sh`; grouped with their source project",
  'hard-benign':
    '`../shared/corpus/hard-benign`: packages removed from the malware dataset as not malicious; the group is the project',
  'malicious-implant':
    "synthetic (`train/augment.ts`): a training sample's strongest Python file appended to a benign project's package `__init__.py` or `setup.py`, or added as a module its `__init__.py` imports; grouped with the sample; used for training only, never in a reported figure",
  'benign-small':
    'synthetic (`train/augment.ts`): a benign project cut to its metadata, its package `__init__.py` and one or two modules (a small honest package); grouped with the project; reported apart',
  'malicious-unit':
    "the unit of a malicious or implant row: the Python file of its strongest located evidence with the package's metadata and .pth files (`src/features/unit.ts`), as the gate scores it beside the whole package; in its parent's fold; trains only, and the parent's figures use the higher of the two scores",
  'benign-unit':
    "the unit of a benign sdist, wheel or cut (hard-benign rows have none in training): the file of its strongest located evidence alone; in its parent's fold; trains only, and the parent's figures use the higher of the two scores",
};

/** The time split and the evasion table: what the gate does on malware it never saw, and on rewritten malware. */
function timeSplitSection(e: Evaluation, out: string[]): void {
  const t = e.timeSplit;
  out.push('## Time split (malware newer than anything in training)', '');
  out.push(
    `Trained on ${t.trainRows} rows (malicious added before ${t.cutoff}), tested on ${t.testRows}` +
      (t.undated > 0 ? `; ${t.undated} undated malicious rows left out` : '') +
      '.',
    '',
    '| measure | value |',
    '|---|---|',
    `| precision | ${num(t.figures.precision)} |`,
    `| recall (all later samples) | ${num(t.figures.recall)} (${t.figures.counts.tp}/${t.figures.counts.tp + t.figures.counts.fn}) |`,
    `| recall, families first seen after the cutoff | ${num(t.newFamilies.recall)} (${t.newFamilies.rows} rows) |`,
    `| recall, families also seen before | ${num(t.seenFamilies.recall)} (${t.seenFamilies.rows} rows) |`,
    ...(t.newFamilies.verdictRecall !== undefined && t.seenFamilies.verdictRecall !== undefined
      ? [
          `| gate verdicts (decide()), families first seen after the cutoff | ${num(t.newFamilies.verdictRecall)} |`,
          `| gate verdicts (decide()), families also seen before | ${num(t.seenFamilies.verdictRecall)} |`,
        ]
      : []),
    `| F1 | ${num(t.figures.f1)} |`,
    `| benign FPR (sdists and wheels) | ${pct(t.figures.fpr, 3)} (${regular(t.figures.counts.bySource)}) |`,
    `| FPR hard-benign | ${pct(t.figures.fprBySource['hard-benign'] ?? Number.NaN, 2)} |`,
    `| FPR small benign packages (cuts) | ${pct(t.figures.fprBySource['benign-small'] ?? Number.NaN, 2)} |`,
    `| ROC AUC | ${num(t.figures.auc, 5)} |`,
    `| recall at 0.1% FPR (threshold-free) | ${num(t.recallAtFpr['0.001']!)} |`,
    '',
  );

  if (t.evasion && t.evasion.length > 0) {
    out.push(
      '## Evasion table (later malware rewritten by someone who read this repository)',
      '',
      'Held-out samples from the time split, rewritten and implanted by `train/evasion.ts` (a deterministic ' +
        'generator over in-memory archive views), scored by the time-split model and judged by `decide()`: the ' +
        'share that stays **malicious**. Hosts are held-out benign projects. The model trains on implants ' +
        '(`train/augment.ts`: earlier payloads appended to `__init__.py` or `setup.py`, or added as a module ' +
        '`__init__.py` imports, in other projects), so the host-init and host-setup rows test a rewrite it ' +
        'has seen a form of, with payloads and hosts it has not; the padded, `.pth`, split-string, ' +
        '`builtins.__dict__`, rot13 and thread rows are rewrites it never trained on.',
      '',
      renderEvasionTable(t.evasion),
      '',
    );
  }
}

export function renderModelCard(e: Evaluation): string {
  const out: string[] = [];
  const s = e.cv.stack;
  out.push('# Model card: the bundled malware model (`models/model.json`)', '');
  out.push(
    `> Written by \`${e.generatedBy}\` (seed ${e.seed}${e.quick ? ', **--quick: reduced learners, not the shipped configuration**' : ''}) ` +
      `in ${Math.round(e.seconds)} s from ${e.table.origin}. Do not edit: every figure comes from ` +
      '`models/evaluation.json`, which the same run wrote.',
    '',
  );

  timeSplitSection(e, out);

  out.push('## The model', '');
  if (e.model === null) out.push('`models/model.json` has not been trained yet: run `npm run train`.', '');
  else if ('error' in e.model) out.push(`\`${e.model.path}\` does not load: ${e.model.error}`, '');
  else {
    const m = e.model;
    out.push(
      `- version \`${m.modelVersion}\`, ${(m.bytes / 1e6).toFixed(2)} MB, pure TypeScript at run time (\`src/model\`)`,
      `- base learners: ${m.base.map((b, i) => `${b} (meta weight ${num(m.metaWeights[i]!, 3)})`).join(', ')}; ` +
        'meta-learner: logistic regression on their logits; Platt-calibrated',
      `- default thresholds: malicious at score ≥ ${num(m.thresholds.malicious, 4)}, suspicious at ≥ ${num(m.thresholds.suspicious, 4)}`,
      `- training data digest \`${m.digest}\` ${m.matchesTable ? '(the table evaluated here)' : '(**not** the table evaluated here: retrain)'}`,
      '',
    );
  }

  out.push('## Data and sources', '');
  out.push('| source | rows | what it is |', '|---|---:|---|');
  for (const [source, rows] of Object.entries(e.table.bySource)) {
    out.push(`| ${source} | ${rows} | ${SOURCES[source] ?? ''} |`);
  }
  out.push('');
  out.push(
    `${e.table.rows} rows, ${e.table.features} named features from \`src/features\` and ${e.table.tokenBuckets} hashed ` +
      `token buckets; data digest \`${e.table.digest}\` (sha256 over sorted "id, label" lines).` +
      (e.table.excluded.length > 0
        ? ` Left out because the archive could not be read: ${e.table.excluded.map((x) => `${x.count} ${x.source}`).join(', ')}.`
        : ''),
    '',
  );

  out.push('## Protocol', '');
  out.push(
    `- Group ${e.protocol.outerFolds}-fold cross-validation, stratified as far as groups allow: a malware family or a ` +
      'benign project is never split, so every test fold holds only families the model never saw.',
    `- In each outer fold the whole pipeline is trained as \`npm run train\` trains it: base learners make out-of-fold ` +
      `predictions over ${e.protocol.innerFolds} inner group folds, the meta-learner (non-negative logistic regression) ` +
      'learns from them, Platt scaling and the thresholds are fitted on the cross-fitted stacked out-of-fold scores, and ' +
      "the base learners are refit on the four outer folds. The fifth fold is then scored at that model's own thresholds.",
    `- Thresholds: malicious where benign false positives stay at or under ${pct(e.protocol.targets.malicious, 1)} ` +
      `(benign sdists and wheels together and each), suspicious at ${pct(e.protocol.targets.suspicious, 1)}. ` +
      'Hard-benign rows (packages once listed as malware, then removed) are not held to the target: a hundred rows ' +
      'cannot measure 0.1%, and many of them are dual-use tools that score like malware. Their rate is reported apart. ' +
      '"Benign FPR" below means sdists and wheels; precision and F1 count hard-benign hits as false positives.',
    `- Base learners: ${e.protocol.learners.map((l) => `${l.name} (${l.inputs})`).join(', ')}; of the token learners ` +
      'the stack keeps the one with the lower out-of-fold log loss.',
    `- Time split: malicious samples added before ${e.protocol.timeSplit} (with four fifths of the benign projects) ` +
      'train; later samples (with the other fifth) test.',
    `- Synthetic rows (\`train/augment.ts\`): ${e.protocol.augmented ? 'implants of training payloads into benign projects train every model (never tested), and small cuts of benign projects are rows of their own, reported apart' : 'none'}.`,
    `- Shape features (size, file counts, metadata, test-suite counts; \`train/shape.ts\`): ${e.protocol.shapeBlind ? 'blanked, so no learner splits on them' : 'used'}.`,
    '- Units (`src/features/unit.ts`): a package with located evidence and other Python files is scored twice, as a whole and as the file of its strongest evidence alone with its metadata, and the gate keeps the higher score. Unit rows train beside their parents (same fold); thresholds are chosen on the kept score, and every figure here scores a package that way.',
    '',
  );

  out.push('## Cross-validated results (the stack at its default threshold)', '');
  out.push(
    '| measure | mean ± sd (min–max) over folds | all folds together |',
    '|---|---|---|',
    `| precision | ${spread(s.summary.precision, num)} | ${num(s.total.precision)} |`,
    `| recall | ${spread(s.summary.recall, num)} | ${num(s.total.recall)} (${s.total.tp}/${s.total.tp + s.total.fn}) |`,
    `| F1 | ${spread(s.summary.f1, num)} | ${num(s.total.f1)} |`,
    `| benign FPR (sdists and wheels) | ${spread(s.summary.fpr, pct)} | ${pct(s.total.fpr, 3)} (${regular(s.total.bySource)}) |`,
    `| FPR, every benign row (hard-benign too) | ${spread(s.summary.fprAllBenign, pct)} | ${pct(s.total.fprAllBenign, 3)} (${s.total.fp}/${s.total.fp + s.total.tn}) |`,
  );
  for (const [source, stat] of Object.entries(s.summary.fprBySource)) {
    const t = s.total.bySource[source];
    out.push(
      `| FPR ${source} | ${spread(stat, pct)} | ${t ? `${pct(t.flagged / t.rows, 3)} (${t.flagged}/${t.rows})` : ''} |`,
    );
  }
  out.push(
    `| suspicious or worse: recall | ${spread(s.summary.suspiciousRecall, num)} | |`,
    `| suspicious or worse: benign FPR | ${spread(s.summary.suspiciousFpr, pct)} | |`,
    `| ROC AUC | ${spread(s.summary.auc, (v) => num(v, 5))} | ${num(s.pooled.auc, 5)} |`,
    `| recall at 0.1% FPR (threshold-free) | ${spread(s.summary.recallAtFpr['0.001']!, num)} | ${num(s.pooled.recallAtFpr['0.001']!)} |`,
    `| recall at 0.5% FPR (threshold-free) | ${spread(s.summary.recallAtFpr['0.005']!, num)} | ${num(s.pooled.recallAtFpr['0.005']!)} |`,
    `| malicious threshold chosen | ${spread(s.summary.threshold, num)} | |`,
    '',
  );
  if (e.verdicts) {
    const v = e.verdicts;
    const t = v.total;
    out.push(
      '## What the gate does (verdicts, not scores)',
      '',
      'A package fails the check through `decide()` in `src/policy.ts`: a score at or above the malicious threshold ' +
        '*with* located evidence (medium or above, outside tests and docs), or high or critical evidence in code that ' +
        'runs at install, import or start-up time, whatever the score, except the named benign idioms of ' +
        '`src/rules/benign-idioms.ts` and the rules listed there that need backing (a score at the malicious threshold, a second strong rule in the same file, or a version bump that adds the hit). These are ' +
        'the malicious verdicts of the same outer folds (no index signals: the corpus has none).',
      '',
      '| measure | mean ± sd (min–max) over folds | all folds together |',
      '|---|---|---|',
      `| precision | ${spread(v.precision, num)} | ${num(t.tp / Math.max(1, t.tp + t.fp))} |`,
      `| recall | ${spread(v.recall, num)} | ${num(t.tp / Math.max(1, t.tp + t.fn))} (${t.tp}/${t.tp + t.fn}) |`,
      `| F1 | ${spread(v.f1, num)} | |`,
      `| benign FPR (sdists and wheels) | ${spread(v.fpr, pct)} | ${regular(t.bySource)} |`,
      ...Object.entries(v.fprBySource).map(([source, stat]) => {
        const b = t.bySource[source];
        return `| FPR ${source} | ${spread(stat, pct)} | ${b ? `${b.flagged}/${b.rows}` : ''} |`;
      }),
      '',
    );
    if (e.timeSplit.verdict)
      out.push(
        `Time split, verdicts: recall ${num(e.timeSplit.verdict.recall)}, benign FPR ${pct(e.timeSplit.verdict.fpr, 3)} (` +
          Object.entries(e.timeSplit.verdict.fprBySource)
            .map(([source, fpr]) => `${source} ${pct(fpr, 3)}`)
            .join(', ') +
          ').',
        '',
      );
  }
  const f1Met = s.summary.f1.mean >= 0.97;
  const fprMet = s.summary.fpr.mean <= 0.003;
  out.push(
    `Targets (issue 5): cross-validated F1 ≥ 0.97 — **${f1Met ? 'met' : 'not met'}** (${num(s.summary.f1.mean)}); ` +
      `benign FPR (sdists and wheels) ≤ 0.3% — **${fprMet ? 'met' : 'not met'}** (${pct(s.summary.fpr.mean, 3)}; ` +
      `${pct(s.summary.fprAllBenign.mean, 3)} with hard-benign).`,
    '',
  );

  out.push('## Each base learner alone against the stack', '');
  out.push(
    'Each learner calibrated and thresholded on its own out-of-fold scores, exactly like the stack; figures are means over the outer folds, AUC and recall at a fixed FPR over all out-of-fold scores together.',
    '',
    '| learner | precision | recall | F1 | benign FPR (sdists+wheels) | FPR sdist | FPR wheel | FPR hard-benign | AUC | recall at 0.1% FPR | recall at 0.5% FPR |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  const row = (name: string, r: LearnerResult) => {
    const by = r.summary.fprBySource;
    return `| ${name} | ${num(r.summary.precision.mean)} | ${num(r.summary.recall.mean)} | ${num(r.summary.f1.mean)} | ${pct(r.summary.fpr.mean, 3)} | ${pct(by['benign-sdist']?.mean ?? Number.NaN, 3)} | ${pct(by['benign-wheel']?.mean ?? Number.NaN, 3)} | ${pct(by['hard-benign']?.mean ?? Number.NaN, 2)} | ${num(r.pooled.auc, 5)} | ${num(r.pooled.recallAtFpr['0.001']!)} | ${num(r.pooled.recallAtFpr['0.005']!)} |`;
  };
  out.push(row('**stack**', s));
  for (const [name, r] of Object.entries(e.cv.learners)) out.push(row(name, r));
  out.push('');
  out.push(
    `Token learner kept per fold: ${e.cv.textChoices.join(', ')}. Meta weights per fold: ` +
      e.cv.metaWeights
        .map((w) =>
          Object.entries(w)
            .map(([n, v]) => `${n} ${num(v, 2)}`)
            .join(' / '),
        )
        .join('; ') +
      '.',
    '',
  );

  out.push('## Most important features', '');
  out.push(
    "Mean absolute contribution to the stacked logit over the outer folds' test rows, as `src/model` explains a " +
      'score (tree path attributions and linear terms through the meta weights and calibration); all token buckets ' +
      'together count as one. Names that look like a corpus artefact rather than behaviour are flagged.',
    '',
    '| # | feature | mean abs contribution | mean on malicious | mean on benign | corpus-leak name? |',
    '|---:|---|---:|---:|---:|---|',
  );
  e.importance.slice(0, 25).forEach((f, i) => {
    out.push(
      `| ${i + 1} | \`${cell(f.feature)}\` | ${num(f.meanAbs, 3)} | ${num(f.meanMalicious, 3)} | ${num(f.meanBenign, 3)} | ${f.leak ? '**check**' : ''} |`,
    );
  });
  const leaks = e.importance.filter((f) => f.leak).map((f) => `\`${f.feature}\``);
  out.push(
    '',
    leaks.length > 0
      ? `Flagged as possible leaks: ${leaks.join(', ')}.`
      : 'No top feature has a leak-like name.',
    '',
  );

  out.push('## Known blind spots', '');
  const t = e.timeSplit;
  const by = s.summary.fprBySource;
  const worst = Object.entries(by).sort((a, b) => b[1].mean - a[1].mean)[0];
  out.push(
    `- The benign source with the most false positives: ${worst ? `${worst[0]} (${pct(worst[1].mean, 2)} flagged)` : 'none'}. ` +
      'Hard-benign packages were once reported as malware: they are the nearest thing in this corpus to the odd, ' +
      'unpopular projects a merge gate meets, and there are few of them.',
    `- Recall on families first seen after ${t.cutoff} is ${num(t.newFamilies.recall)} by score` +
      (t.newFamilies.verdictRecall !== undefined
        ? ` and ${num(t.newFamilies.verdictRecall)} by the gate's verdicts`
        : '') +
      ` against ${num(s.summary.recall.mean)} in cross-validation: new families are what the outside holdout is made of.`,
    ...(t.missed && t.missed.length > 0
      ? [
          `- Later samples the time-split gate did not fail (name × count, best score, rules that fired): ` +
            t.missed
              .map(
                (m) =>
                  `\`${safeName(m.name)}\` ×${m.count} (${num(m.maxScore, 3)}; ${m.rules.length > 0 ? m.rules.map(safeName).join(', ') : 'no rule'})`,
              )
              .join('; ') +
            '. Those with no rule, or only weak ones, need new extractor signals more than a different model.',
        ]
      : []),
    '- The benign side is Debian-packaged software (upstream tarballs and wheels built from python3-* packages): popular, ' +
      'mature projects. Young projects on PyPI, generated code, vendored bundles and minified assets are under-represented.',
    '- The model sees what `src/features` extracts statically: payloads fetched at run time, code hidden in compiled ' +
      'extensions or binary blobs, and malice that only shows in a dependency are invisible to it; rules and signals ' +
      'must carry those.',
    '- Thresholds were set on out-of-fold scores of this corpus; the class balance (about one malicious row in three) ' +
      'is far from what a gate sees, so the score is a calibrated probability for this mix, not for PyPI at large.',
    '',
  );
  return `${out.join('\n')}\n`;
}
