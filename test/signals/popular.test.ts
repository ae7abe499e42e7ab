import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPopularNames, bundledPopularNames, serializePopularNames } from '../../src/signals/popular.js';

const TSV = new URL('../../../shared/corpus/top-pypi.tsv', import.meta.url);
const JSON_FILE = new URL('../../data/popular-names.json', import.meta.url);

describe('popular names', () => {
  it.skipIf(!existsSync(TSV))(
    'data/popular-names.json is exactly what scripts/build-popular-names.ts makes from top-pypi.tsv (npx tsx scripts/build-popular-names.ts)',
    () => {
      const { file, problems } = buildPopularNames(readFileSync(TSV, 'utf8'), 'top-pypi.tsv');
      expect(problems).toEqual([]);
      expect(readFileSync(JSON_FILE, 'utf8')).toBe(serializePopularNames(file));
    },
  );
  if (!existsSync(TSV)) console.warn(`skipped the rebuild check: ${TSV.pathname} is not here`);

  it('normalizes names, orders by rank and reports bad lines', () => {
    const tsv = 'rank\tname\n2\tTyping_Extensions\n1\tboto3\nx\tbroken\n3\tBOTO3\n';
    const { file, problems } = buildPopularNames(tsv, 'in.tsv');
    expect(file.names).toEqual(['boto3', 'typing-extensions']);
    expect(problems).toEqual([
      'in.tsv:4: expected "<rank>\\t<name>", got "x\\tbroken"',
      'in.tsv:5: duplicate name boto3',
    ]);
  });

  it('bundles thousands of names with ranks from 1', () => {
    const popular = bundledPopularNames();
    expect(popular.names.length).toBeGreaterThan(10_000);
    expect(popular.rank.get(popular.names[0]!)).toBe(1);
    expect(popular.rank.get('requests')).toBeLessThan(50);
  });
});
