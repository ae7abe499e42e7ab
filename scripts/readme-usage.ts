// Regenerates the README's inputs/outputs tables (between <!-- usage:begin --> and <!-- usage:end -->) from
// action.yml, so the documentation never drifts from what the action accepts. A test fails when it has.
//   npx tsx scripts/readme-usage.ts          rewrite README.md
import { readFileSync, writeFileSync } from 'node:fs';
import { renderUsage, spliceUsage } from '../test/docs/usage.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', spliceUsage(readme, renderUsage(readFileSync('action.yml', 'utf8'))));
process.stdout.write('README.md usage tables regenerated from action.yml\n');
