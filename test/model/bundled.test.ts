// The bundled models/model.json: it exists (the bundle embeds it: without it the engine cannot score), it loads,
// it reproduces the scores the trainer stored with it, and its feature list is the extractor's.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, TOKEN_BUCKETS } from '../../src/features/index.js';
import { bundledModel } from '../../src/model/bundled.js';
import { featureDrift, loadModel, scoreVector } from '../../src/model/index.js';

const path = new URL('../../models/model.json', import.meta.url);
const present = existsSync(path);

describe('models/model.json', () => {
  const text = present ? readFileSync(path, 'utf8') : '';

  it('is committed (`npm run train` writes it, then `npm run evaluate` its card)', () => {
    expect(present, 'models/model.json is missing: run `npm run train` and commit it').toBe(true);
  });

  it('loads, is small, and has parity vectors', () => {
    const model = loadModel(text);
    expect(text.length).toBeLessThan(8_000_000);
    expect(model.json.parity.length).toBeGreaterThan(0);
  });

  it('reproduces the scores the trainer stored for its parity vectors', () => {
    const model = loadModel(text);
    for (const p of model.json.parity) {
      const got = scoreVector(model, p.features, p.tokens);
      expect(Math.abs(got.score - p.score)).toBeLessThan(1e-9);
      got.baseLogits.forEach((l, i) => {
        expect(Math.abs(l - p.baseLogits[i]!)).toBeLessThan(1e-9);
      });
    }
  });

  it("uses the extractor's feature names and token buckets", () => {
    const model = loadModel(text);
    expect(featureDrift(model, FEATURE_NAMES)).toEqual([]);
    expect(model.tokenBuckets).toBe(TOKEN_BUCKETS);
  });

  it('is what bundledModel() serves without the schema check at start-up (same file, same compiled model)', () => {
    const checked = loadModel(text);
    const served = bundledModel();
    expect(served.json).toEqual(checked.json);
    expect(served.base).toEqual(checked.base);
    expect(served.thresholds).toEqual(checked.thresholds);
  });
});
