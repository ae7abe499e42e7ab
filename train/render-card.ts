// `npx tsx train/render-card.ts`: rewrite models/MODEL.md from models/evaluation.json without re-running the
// evaluation (after a change to the card's wording in train/card.ts; the figures stay those evaluate wrote).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderModelCard } from './card.js';

writeFileSync('models/MODEL.md', renderModelCard(JSON.parse(readFileSync('models/evaluation.json', 'utf8'))));
process.stdout.write('models/MODEL.md rendered from models/evaluation.json\n');
