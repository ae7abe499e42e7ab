// A training table as JSON lines (one FeatureRow per line): `--table` for train.ts and evaluate.ts, so
// both run on a saved or synthetic table without the corpus.
import { readFileSync, writeFileSync } from 'node:fs';
import type { FeatureRow } from './table.js';

export function readTableFile(path: string): FeatureRow[] {
  const rows: FeatureRow[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        rows.push(JSON.parse(line) as FeatureRow);
      } catch (error) {
        throw new Error(`${path}:${i + 1}: not a JSON row (${(error as Error).message})`);
      }
    });
  return rows;
}

export function writeTableFile(path: string, rows: readonly FeatureRow[]): void {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
