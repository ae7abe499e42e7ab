// `npm run train`: load the table, train the stack on every row with a fixed seed, and write
// models/model.json. Options: --table <rows.jsonl> (instead of the corpus), --seed <n>, --models <dir>,
// --corpus <dir>, --cache-dir <dir>.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../src/model/load.js';
import { scoreVector } from '../src/model/score.js';
import { allRows } from './dataset.js';
import { loadTrainingData, log, parseCommon } from './inputs.js';
import { figuresAt } from './metrics.js';
import { buildModelJson } from './model-file.js';
import { defaultLearners, STACK_DEFAULTS, trainStack } from './stack.js';

const { common } = parseCommon(process.argv.slice(2));
const { data } = await loadTrainingData(common);
const rows = allRows(data);
log(`training the stack (seed ${common.seed}, ${STACK_DEFAULTS.folds}-fold out-of-fold predictions)`);
const stack = trainStack(data, rows, { ...STACK_DEFAULTS, ...defaultLearners(), seed: common.seed, log });

const oof = figuresAt(
  stack.oof.score,
  Array.from(rows, (r) => data.y[r]!),
  data.sources,
  stack.calibrated.thresholds.malicious,
);
log(
  `out-of-fold at the malicious threshold ${stack.calibrated.thresholds.malicious}: precision ${oof.precision.toFixed(4)}, ` +
    `recall ${oof.recall.toFixed(4)}, F1 ${oof.f1.toFixed(4)}, benign FPR ${(oof.fpr * 100).toFixed(2)}% ` +
    `(${Object.entries(oof.fprBySource)
      .map(([s, v]) => `${s} ${(v * 100).toFixed(2)}%`)
      .join(', ')}); ` +
    `suspicious threshold ${stack.calibrated.thresholds.suspicious}`,
);

const json = buildModelJson(stack, data, rows, common.seed);
// Check before writing that the runtime scorer reproduces the trainer on the parity vectors.
const model = loadModel(json);
for (const p of json.parity) {
  const got = scoreVector(model, p.features, p.tokens).score;
  if (Math.abs(got - p.score) > 1e-9)
    throw new Error(`parity failed for ${p.id}: runtime ${got}, trainer ${p.score}`);
}
mkdirSync(common.models, { recursive: true });
const path = join(common.models, 'model.json');
const text = `${JSON.stringify(json)}\n`;
writeFileSync(path, text);
log(
  `wrote ${path}: model ${json.modelVersion}, ${(text.length / 1e6).toFixed(2)} MB, ` +
    `base learners ${stack.names.join(', ')}; time by learner: ` +
    Object.entries(stack.timings)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', '),
);
