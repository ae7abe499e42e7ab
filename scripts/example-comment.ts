// Regenerates the README's example PR comment from a real scan (test/docs/example.ts), so it never drifts
// from what the action posts.   npx tsx scripts/example-comment.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { exampleComment, spliceExample } from '../test/docs/example.js';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', spliceExample(readme, await exampleComment()));
process.stdout.write('README.md example comment regenerated from a loopback scan\n');
