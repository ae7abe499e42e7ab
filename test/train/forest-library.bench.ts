// Why train/learners/forest.ts does not use ml-random-forest: time and model size on a table of the
// real one's size (9,500 rows x 150 features). Run: npx tsx test/train/forest-library.bench.ts [trees]
import { RandomForestClassifier } from 'ml-random-forest';
import { allRows, buildDataset } from '../../train/dataset.js';
import { groupKFold, splitFold } from '../../train/folds.js';
import { forest } from '../../train/learners/forest.js';
import { rocAuc } from '../../train/metrics.js';
import { syntheticTable } from './synthetic.js';

const trees = Number(process.argv[2] ?? 10);
const data = buildDataset(
  syntheticTable({ rows: 9500, features: 150, buckets: 256, seed: 5, strength: 0.5 }),
);
const { train, test } = splitFold(allRows(data), groupKFold(data.groups, data.y, 5, 1), 0);
const matrix = (rows: Int32Array) =>
  Array.from(rows, (r) => Array.from({ length: data.d }, (_, j) => data.X[j * data.n + r]!));
const yTest = Array.from(test, (r) => data.y[r]!);

let start = performance.now();
const library = new RandomForestClassifier({
  nEstimators: trees,
  maxFeatures: Math.round(Math.sqrt(data.d)) / data.d,
  replacement: true,
  useSampleBagging: true,
  noOOB: true,
  seed: 1,
  treeOptions: { maxDepth: 14, minNumSamples: 2 },
});
library.train(
  matrix(train),
  Array.from(train, (r) => data.y[r]!),
);
const libraryFit = (performance.now() - start) / 1000;
const libraryVotes = library
  .predictionValues(matrix(test))
  .to2DArray()
  .map((row) => row.reduce((a, b) => a + b, 0));
const librarySize = JSON.stringify(library.toJSON()).length;

start = performance.now();
const ours = forest({ trees }).fit(data, train, 1);
const oursFit = (performance.now() - start) / 1000;
const oursSize = JSON.stringify(ours.toJson()).length;

console.log(`${trees} trees, ${train.length} training rows x ${data.d} features`);
console.log(
  `ml-random-forest: fit ${libraryFit.toFixed(1)} s, ${(librarySize / 1e6).toFixed(2)} MB JSON, held-out AUC ${rocAuc(libraryVotes, yTest).toFixed(3)}`,
);
console.log(
  `train/learners/forest: fit ${oursFit.toFixed(1)} s, ${(oursSize / 1e6).toFixed(2)} MB JSON, held-out AUC ${rocAuc(ours.predict(data, test), yTest).toFixed(3)}`,
);
