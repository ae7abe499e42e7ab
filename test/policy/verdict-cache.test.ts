// The verdict cache: keyed by tool version, the analysis digest and the model version; every entry
// validated on read, so a poisoned, truncated or misplaced entry is re-analysed, never trusted.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with build.mjs, without type declarations.
import { computeDigest, DIGEST_FILES, DIGEST_FOLDERS, digestSource } from '../../scripts/analysis-digest.mjs';
import { ANALYSIS_DIGEST } from '../../src/analysis-digest.js';
import type { ArtifactAnalysis } from '../../src/scan.js';
import { folderVerdictCache, validEntry, verdictKeyText } from '../../src/verdict-cache.js';
import { PACKAGE_VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pmg-vc-'));
  dirs.push(d);
  return d;
};

const sha = 'ab'.repeat(32);
const other = 'cd'.repeat(32);
const analysis: ArtifactAnalysis = {
  score: 0.12,
  evidence: [
    {
      rule: 'network-access',
      category: 'network',
      severity: 'low',
      path: 'p/x.py',
      line: 3,
      snippet: 'urlopen(u)',
      context: 'runtime',
    },
  ],
  notes: [],
  gaps: [],
};

describe('analysis digest', () => {
  it('src/analysis-digest.ts matches the reader, parser, rules and extractor (run `npm run digest` when this fails)', () => {
    const current = computeDigest();
    expect(ANALYSIS_DIGEST).toBe(current);
    expect(readFileSync(join(root, 'src/analysis-digest.ts'), 'utf8')).toBe(digestSource(current));
  });

  it('changes when any file in those folders changes', () => {
    const copy = tempDir();
    for (const folder of DIGEST_FOLDERS) cpSync(join(root, folder), join(copy, folder), { recursive: true });
    for (const file of DIGEST_FILES) cpSync(join(root, file), join(copy, file));
    cpSync(join(root, 'package.json'), join(copy, 'package.json'));
    const before = computeDigest(copy);
    for (const file of DIGEST_FILES) {
      const text = readFileSync(join(copy, file), 'utf8');
      writeFileSync(join(copy, file), `${text}\n// changed\n`);
      expect(computeDigest(copy)).not.toBe(before);
      writeFileSync(join(copy, file), text);
    }
    for (const folder of DIGEST_FOLDERS) {
      const file = readdirSync(join(copy, folder)).find((f) => f.endsWith('.ts'))!;
      const path = join(copy, folder, file);
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, `${text}\n// changed\n`);
      expect(computeDigest(copy)).not.toBe(before);
      writeFileSync(path, text);
      expect(computeDigest(copy)).toBe(before);
    }
    mkdirSync(join(copy, 'src/rules/sub'), { recursive: true });
    writeFileSync(join(copy, 'src/rules/sub/new-rule.ts'), 'export {};\n');
    expect(computeDigest(copy)).not.toBe(before);
  });
});

describe('folderVerdictCache', () => {
  it('returns what was stored for the same sha256 and model, and misses for another model or artifact', async () => {
    const cache = folderVerdictCache(tempDir());
    await cache.set({ sha256: sha, modelVersion: 'm1' }, analysis);
    expect(await cache.get({ sha256: sha, modelVersion: 'm1' })).toEqual(analysis);
    expect(await cache.get({ sha256: sha.toUpperCase(), modelVersion: 'm1' })).toEqual(analysis);
    expect(await cache.get({ sha256: sha, modelVersion: 'm2' })).toBeUndefined();
    expect(await cache.get({ sha256: sha })).toBeUndefined();
    expect(await cache.get({ sha256: other, modelVersion: 'm1' })).toBeUndefined();
  });

  it('the key names the tool version and the analysis digest', () => {
    expect(verdictKeyText({ sha256: sha, modelVersion: 'm1' })).toBe(
      `v${PACKAGE_VERSION}:${ANALYSIS_DIGEST}:m1:${sha}`,
    );
  });

  it('ignores entries written under another key: an older reader or rule set is analysed again', () => {
    const stored = JSON.stringify({
      key: verdictKeyText({ sha256: sha, modelVersion: 'm1' }),
      sha256: sha,
      analysis,
    });
    expect(validEntry(stored, { sha256: sha, modelVersion: 'm1' })).toEqual(analysis);
    const stale = stored.replace(ANALYSIS_DIGEST, '0000000000000000');
    expect(validEntry(stale, { sha256: sha, modelVersion: 'm1' })).toBeUndefined();
  });

  it('a poisoned entry is a miss: malformed, wrong shape, or copied from another artifact', async () => {
    const dir = tempDir();
    const cache = folderVerdictCache(dir);
    await cache.set({ sha256: other, modelVersion: 'm1' }, analysis);
    await cache.set({ sha256: sha, modelVersion: 'm1' }, { ...analysis, evidence: [] });
    const [fileOther, fileSha] = [other, sha].map(
      (s) => readdirSync(dir).find((f) => readFileSync(join(dir, f), 'utf8').includes(`"sha256":"${s}"`))!,
    );
    const key = { sha256: sha, modelVersion: 'm1' };
    const good = readFileSync(join(dir, fileSha!), 'utf8');
    const entry = JSON.parse(good);
    const poisoned: [string, string][] = [
      ['not JSON', '{"key":'],
      ['an entry of another artifact copied over this one', readFileSync(join(dir, fileOther!), 'utf8')],
      [
        'its sha256 changed to match',
        JSON.stringify({ ...JSON.parse(readFileSync(join(dir, fileOther!), 'utf8')), sha256: sha }),
      ],
      [
        'evidence of the wrong shape',
        JSON.stringify({ ...entry, analysis: { ...entry.analysis, evidence: [{ rule: 1 }] } }),
      ],
      ['no gaps field', JSON.stringify({ ...entry, analysis: { score: 0, evidence: [], notes: [] } })],
      ['a score out of range', JSON.stringify({ ...entry, analysis: { ...entry.analysis, score: -5 } })],
      [
        'an unknown severity',
        JSON.stringify({
          ...entry,
          analysis: { ...entry.analysis, evidence: [{ ...analysis.evidence[0], severity: 'none' }] },
        }),
      ],
    ];
    expect(await cache.get(key)).toEqual({ ...analysis, evidence: [] });
    for (const [what, text] of poisoned) {
      writeFileSync(join(dir, fileSha!), text);
      expect(await cache.get(key), what).toBeUndefined();
    }
  });

  it('never fails a scan: an unwritable folder or a sha256 that is not hex is a miss', async () => {
    const file = join(tempDir(), 'not-a-dir');
    writeFileSync(file, '');
    const cache = folderVerdictCache(file);
    await cache.set({ sha256: sha }, analysis);
    expect(await cache.get({ sha256: sha })).toBeUndefined();
    const ok = folderVerdictCache(tempDir());
    await ok.set({ sha256: '../../etc/passwd' }, analysis);
    expect(await ok.get({ sha256: '../../etc/passwd' })).toBeUndefined();
  });
});
