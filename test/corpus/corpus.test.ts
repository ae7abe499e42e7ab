// A spread sample of the real corpus through the CLI's own path (inspectFile: reader, extractor, bundled
// model, policy). Samples are read in memory by the project's reader only. Skips, saying so, where the
// corpus is absent. These samples are in the model's training data: this checks that the pipeline works on
// real packages end to end, not how accurate the model is (that is `npm run evaluate`'s job).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectFile } from '../../src/cli/commands/inspect.js';
import { initFeatures } from '../../src/features/index.js';
import { bundledModel } from '../../src/model/bundled.js';
import { defaultCorpusDir } from '../../train/corpus.js';

const corpus = defaultCorpusDir();
const present = existsSync(join(corpus, 'malicious.tsv'));
if (!present) console.warn(`corpus tests skipped: no corpus at ${corpus} (set PMG_CORPUS)`);

/** Every n-th sha256 of a TSV: the same spread sample on every run. */
function sample(tsv: string, count: number): string[] {
  const lines = readFileSync(join(corpus, tsv), 'utf8').trim().split('\n').slice(1);
  const step = Math.max(1, Math.floor(lines.length / count));
  return lines
    .filter((_, i) => i % step === 0)
    .slice(0, count)
    .map((l) => l.split('\t')[0]!);
}

describe.skipIf(!present)('the real corpus, sampled (in memory, never run)', () => {
  beforeAll(() => initFeatures());

  it('reads every sampled malicious archive and fails nearly all, each malicious verdict with located evidence', async () => {
    const model = bundledModel();
    const shas = sample('malicious.tsv', 40);
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

  it('reads the sampled hard-benign archives (a PNG among them is reported, not thrown)', async () => {
    const model = bundledModel();
    for (const sha of sample('hard-benign.tsv', 20)) {
      const r = await inspectFile(join(corpus, 'hard-benign', sha), { cwd: corpus, analyse: true, model });
      expect(['ok', 'error']).toContain(r.status);
      if (r.status === 'error') expect(r.error).toBeTruthy();
    }
  }, 120_000);
});
