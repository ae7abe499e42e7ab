// `npx tsx train/evasion-run.ts [--samples N] [--hosts K] [--after YYYY-MM-DD] [--no-model]`: the evasion
// table (train/evasion.ts) for malware added on or after --after (default: the time split's cutoff),
// judged by the bundled model and decide(), or by evidence alone with --no-model. The bundled model saw
// these samples in training, which flatters the 'original' row; the rewritten and implanted rows are new
// to it. `npm run evaluate` runs the same table with the time-split model, which never saw them.
import { parseArgs } from 'node:util';
import { initFeatures } from '../src/features/index.js';
import { bundledModel } from '../src/model/bundled.js';
import { scoreAnalysis } from '../src/model/index.js';
import { defaultCorpusDir, listCorpus } from './corpus.js';
import { evasionTable, renderEvasionTable } from './evasion.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string' },
    hosts: { type: 'string' },
    after: { type: 'string' },
    seed: { type: 'string' },
    'no-model': { type: 'boolean' },
    'show-misses': { type: 'boolean' },
  },
});
await initFeatures();
const after = values.after ?? '2024-08-01';
const items = listCorpus(defaultCorpusDir());
const model = bundledModel();
const rows = await evasionTable({
  maliciousPaths: items.filter((i) => i.label === 1 && (i.added ?? '') >= after),
  hostPaths: items.filter((i) => i.source === 'benign-sdist'),
  samples: Number(values.samples ?? 100),
  hosts: Number(values.hosts ?? 10),
  seed: Number(values.seed ?? 1),
  score: values['no-model'] ? () => undefined : (a) => scoreAnalysis(model, a).score,
  thresholds: model.thresholds,
  log: (s) => process.stderr.write(`${s}\n`),
  ...(values['show-misses']
    ? {
        onMiss: (mutation, payload, analysis, score) => {
          const top = analysis.evidence
            .slice(0, 3)
            .map((e) => `${e.rule}/${e.severity}/${e.context}`)
            .join(' ');
          process.stderr.write(
            `miss ${mutation} ${payload.name} (${payload.path}) score ${score?.toFixed(3)}: ${top}\n`,
          );
        },
      }
    : {}),
});
process.stdout.write(`${renderEvasionTable(rows)}\n`);
