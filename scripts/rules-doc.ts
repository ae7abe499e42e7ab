// Regenerates docs/rules.md from the rules registry and src/report/rule-catalog.ts.
//   npx tsx scripts/rules-doc.ts
import { writeFileSync } from 'node:fs';
import { renderRulesDoc } from '../src/report/rule-catalog.js';

writeFileSync('docs/rules.md', renderRulesDoc());
process.stdout.write('docs/rules.md regenerated\n');
