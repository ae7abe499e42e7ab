// A spread sample of the real corpus through the CLI's own path (inspectFile: reader, extractor, bundled
// model, policy). Samples are read in memory by the project's reader only. The corpus is PMG_CORPUS, else
// ../shared/corpus beside the repository (wherever vitest runs from); only that default may be absent, and
// then the suite skips, saying so. These samples are in the model's training data: this checks that the
// pipeline works on real packages end to end, not how accurate the model is (that is `npm run evaluate`'s job).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectFile } from '../../src/cli/commands/inspect.js';
import { initFeatures } from '../../src/features/index.js';
import { bundledModel } from '../../src/model/bundled.js';

const explicit = process.env.PMG_CORPUS;
const corpus = explicit ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const present = existsSync(join(corpus, 'malicious.tsv'));
if (!present && !explicit) console.warn(`corpus tests skipped: no corpus at ${corpus} (set PMG_CORPUS)`);

/** Every n-th row of a TSV (sha256, name, version, filename, ...): the same spread sample on every run. */
function sample(tsv: string, count: number): { sha: string; filename: string }[] {
  const lines = readFileSync(join(corpus, tsv), 'utf8').trim().split('\n').slice(1);
  const step = Math.max(1, Math.floor(lines.length / count));
  return lines
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((l) => {
      const [sha, , , filename] = l.split('\t');
      return { sha: sha!, filename: filename! };
    });
}

it('is present wherever PMG_CORPUS points (only the default location may be absent)', () => {
  expect(present || !explicit, `no malicious.tsv in PMG_CORPUS=${corpus}`).toBe(true);
});

const title = present
  ? 'the real corpus, sampled (in memory, never run)'
  : `the real corpus (skipped: nothing at ${corpus}; set PMG_CORPUS)`;
describe.skipIf(!present)(title, () => {
  beforeAll(() => initFeatures());

  it('reads every sampled malicious archive and fails nearly all, each malicious verdict with located evidence', async () => {
    const model = bundledModel();
    const shas = sample('malicious.tsv', 40).map((s) => s.sha);
    let malicious = 0;
    for (const sha of shas) {
      const r = await inspectFile(join(corpus, 'malicious', sha), { cwd: corpus, analyse: true, model });
      expect([sha, r.status]).toEqual([sha, 'ok']);
      if (r.verdict !== 'malicious') continue;
      malicious++;
      const evidence = r.evidence as { path: string; line: number }[];
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence[0]!.line).toBeGreaterThanOrEqual(1);
    }
    expect(malicious / shas.length).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('reads every sampled hard-benign archive, and reports (not throws) the one that is a PNG', async () => {
    const model = bundledModel();
    const archives = sample('hard-benign.tsv', 20).filter((s) => /\.(tar\.gz|whl|zip)$/.test(s.filename));
    expect(archives.length).toBeGreaterThan(15);
    for (const { sha, filename } of archives) {
      const r = await inspectFile(join(corpus, 'hard-benign', sha), { cwd: corpus, analyse: true, model });
      expect([filename, r.status]).toEqual([filename, 'ok']);
    }
    const png = readFileSync(join(corpus, 'hard-benign.tsv'), 'utf8')
      .split('\n')
      .map((l) => l.split('\t'))
      .find((f) => f[3]?.endsWith('.png'));
    expect(png, 'hard-benign.tsv lists a .png').toBeDefined();
    const r = await inspectFile(join(corpus, 'hard-benign', png![0]!), { cwd: corpus, analyse: true, model });
    expect(r).toMatchObject({ status: 'error', verdict: 'unscannable' });
    expect(r.error).toMatch(/not an archive/);
  }, 120_000);
});
