// Builds data/popular-names.json from the top-PyPI download ranking (default ../shared/corpus/top-pypi.tsv).
// Usage: npx tsx scripts/build-popular-names.ts [path/to/top-pypi.tsv]
import { readFileSync, writeFileSync } from 'node:fs';
import { buildPopularNames, serializePopularNames } from '../src/signals/popular.js';

const input = process.argv[2] ?? '../shared/corpus/top-pypi.tsv';
const { file, problems } = buildPopularNames(readFileSync(input, 'utf8'), 'top-pypi.tsv');
for (const problem of problems) console.error(problem);
writeFileSync('data/popular-names.json', serializePopularNames(file));
console.log(`data/popular-names.json: ${file.names.length} names, ${problems.length} problems`);
