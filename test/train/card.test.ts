// The committed model card is exactly what `npm run evaluate` renders from the committed evaluation, and both
// describe the committed model: a retrained model without a fresh evaluation, or a hand-edited card, fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderModelCard } from '../../train/card.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('models/', () => {
  it('MODEL.md is the rendering of evaluation.json', () => {
    expect(read('models/MODEL.md')).toBe(renderModelCard(JSON.parse(read('models/evaluation.json'))));
  });

  it('evaluation.json describes the bundled model.json', () => {
    const evaluation = JSON.parse(read('models/evaluation.json')) as { model: { modelVersion: string } };
    const model = JSON.parse(read('models/model.json')) as { modelVersion: string };
    expect(evaluation.model.modelVersion).toBe(model.modelVersion);
  });
});
