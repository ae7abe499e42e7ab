import { describe, expect, it } from 'vitest';
import { featureDrift, loadModel, ModelFormatError, parseModel } from '../../src/model/index.js';
import { tinyModel } from './tiny-model.js';

type Mutable = ReturnType<typeof tinyModel> & Record<string, unknown>;

function broken(edit: (m: Mutable) => void): unknown {
  const m = tinyModel() as Mutable;
  edit(m);
  return m;
}

describe('loadModel', () => {
  it('accepts a well-formed model, as JSON text or parsed', () => {
    expect(loadModel(tinyModel()).modelVersion).toBe('tiny');
    expect(loadModel(JSON.stringify(tinyModel())).features).toEqual(['exec_calls', 'files']);
  });

  const cases: [string, unknown, RegExp][] = [
    ['text that is not JSON', '{"format": ', /not JSON/],
    ['another format', broken((m) => Object.assign(m, { format: 'other' })), /format/],
    ['a newer version', broken((m) => Object.assign(m, { version: 2 })), /version/],
    ['a missing field', broken((m) => delete (m as Partial<Mutable>).thresholds), /thresholds/],
    ['an unknown field', broken((m) => Object.assign(m, { extra: 1 })), /extra|Unrecognized/i],
    ['an unknown learner kind', broken((m) => Object.assign(m.base[0]!, { kind: 'svm' })), /base\.0/],
    ['a non-finite weight', broken((m) => Object.assign(m.meta, { weights: [1, null, 2] })), /meta\.weights/],
    [
      'meta weights not matching the learners',
      broken((m) => Object.assign(m.meta, { weights: [1] })),
      /meta\.weights/,
    ],
    [
      'a tree child pointing outside the tree',
      broken((m) => {
        const t = m.base[0]!;
        if (t.kind === 'tree-ensemble') t.trees[0]!.right[0] = 9;
      }),
      /children outside/,
    ],
    [
      'a tree child pointing back (a cycle)',
      broken((m) => {
        const t = m.base[0]!;
        if (t.kind === 'tree-ensemble') t.trees[0]!.left[0] = 0;
      }),
      /children outside the tree or before/,
    ],
    [
      'tree arrays of different lengths',
      broken((m) => {
        const t = m.base[0]!;
        if (t.kind === 'tree-ensemble') t.trees[0]!.value.pop();
      }),
      /different lengths/,
    ],
    [
      'a split on a feature the model does not have',
      broken((m) => {
        const t = m.base[0]!;
        if (t.kind === 'tree-ensemble') t.trees[0]!.feature[0] = 5;
      }),
      /no feature 5/,
    ],
    [
      'a linear term on a feature the model does not have',
      broken((m) => {
        const t = m.base[1]!;
        if (t.kind === 'linear') t.terms[0]!.feature = 2;
      }),
      /no feature 2/,
    ],
    [
      'token weights not matching the buckets',
      broken((m) => Object.assign(m, { tokenBuckets: 8 })),
      /4 weights for 8 token buckets/,
    ],
    ['duplicate feature names', broken((m) => Object.assign(m, { features: ['a', 'a'] })), /duplicate/],
    [
      'thresholds in the wrong order',
      broken((m) => Object.assign(m, { thresholds: { malicious: 0.2, suspicious: 0.5 } })),
      /suspicious is above malicious/,
    ],
    ['a malformed digest', broken((m) => Object.assign(m.training, { digest: 'md5:00' })), /digest/],
  ];

  it.each(cases)('rejects %s with a clear error', (_, input, message) => {
    const parsed = parseModel(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
    expect(() => loadModel(input)).toThrow(ModelFormatError);
  });
});

describe('featureDrift', () => {
  const model = loadModel(tinyModel());
  it('is empty when the extractor emits the same names in the same order', () => {
    expect(featureDrift(model, ['exec_calls', 'files'])).toEqual([]);
  });
  it('names features missing on either side, and a changed order', () => {
    expect(featureDrift(model, ['exec_calls', 'urls']).join('\n')).toMatch(
      /extractor lacks: files[\s\S]*model lacks: urls/,
    );
    expect(featureDrift(model, ['files', 'exec_calls'])).toEqual([
      'feature order differs from the extractor',
    ]);
  });
});
