// The committed model card is exactly what `npm run evaluate` renders from the committed evaluation, and both
// describe the committed model (version, size, training-table digest, thresholds): a retrained model without a
// fresh evaluation, or a hand-edited card, fails here.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderModelCard } from '../../train/card.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('models/', () => {
  it('MODEL.md is the rendering of evaluation.json (`npm run evaluate` writes both)', () => {
    expect(
      read('models/MODEL.md'),
      'models/MODEL.md is stale: run `npm run evaluate` and commit models/',
    ).toBe(renderModelCard(JSON.parse(read('models/evaluation.json'))));
  });

  it('evaluation.json describes the bundled model.json (after `npm run train`, run `npm run evaluate`)', () => {
    const evaluation = JSON.parse(read('models/evaluation.json')) as {
      model: { modelVersion: string; bytes: number; digest: string; thresholds: unknown };
    };
    const text = read('models/model.json');
    const model = JSON.parse(text) as {
      modelVersion: string;
      thresholds: unknown;
      training: { digest: string };
    };
    expect(
      {
        modelVersion: evaluation.model.modelVersion,
        bytes: evaluation.model.bytes,
        digest: evaluation.model.digest,
        thresholds: evaluation.model.thresholds,
      },
      'models/evaluation.json is of another model.json: run `npm run evaluate` and commit models/',
    ).toEqual({
      modelVersion: model.modelVersion,
      bytes: text.length,
      digest: model.training.digest,
      thresholds: model.thresholds,
    });
  });
});
