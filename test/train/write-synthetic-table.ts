// Write a synthetic training table of realistic size for timing train.ts and evaluate.ts without the
// corpus: npx tsx test/train/write-synthetic-table.ts <out.jsonl> [rows] [features] [buckets] [strength]
import { writeTableFile } from '../../train/table-file.js';
import { syntheticTable } from './synthetic.js';

const [out, rows = '9600', features = '200', buckets = '4096', strength = '0.6'] = process.argv.slice(2);
if (!out)
  throw new Error('usage: write-synthetic-table.ts <out.jsonl> [rows] [features] [buckets] [strength]');
writeTableFile(
  out,
  syntheticTable({
    rows: Number(rows),
    features: Number(features),
    buckets: Number(buckets),
    strength: Number(strength),
    seed: 11,
  }),
);
