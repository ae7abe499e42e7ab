// The verdict cache is an input the gate does not control (a restored actions/cache, a shared folder): the
// bundled action must not trust an entry that is malformed or was copied from another artifact. Run once to
// fill the cache, tamper with the malicious package's entry, run again: still malicious.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { honestRelease, maliciousRelease } from './fixtures.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

interface Entry {
  analysis: { evidence: unknown[] };
}

describe('a tampered verdict cache (bundled action)', () => {
  it('re-analyses an entry copied from another artifact or broken, and still fails the malicious package', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({
      projects: {
        'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
        'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
      },
    });
    try {
      const ws = makeRepo(
        { 'requirements.txt': '' },
        { 'requirements.txt': 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n' },
      );
      const first = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(first.code).toBe(1);

      const cacheDir = join(ws.dir, '..', `${ws.headSha}-cache`, 'verdicts');
      const entries = filesUnder(cacheDir).map((file) => ({
        file,
        text: readFileSync(file, 'utf8'),
      }));
      const parsed = entries.map((e) => ({ ...e, entry: JSON.parse(e.text) as Entry }));
      // Every artifact of the malicious release (its sdist and wheel both carry the payload).
      const malicious = parsed.filter((e) => e.entry.analysis.evidence.length > 0);
      const honest = parsed.find((e) => e.entry.analysis.evidence.length === 0);
      expect(malicious.length).toBeGreaterThan(0);
      expect(honest).toBeTruthy();

      // An honest artifact's entry copied over the malicious one's.
      for (const m of malicious) writeFileSync(m.file, honest!.text);
      const copied = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(copied.code).toBe(1);
      expect(copied.stdout).toMatch(/::error::pypi-malware-gate: 1 malicious package/);

      // A broken entry.
      for (const m of malicious) writeFileSync(m.file, '{"key": 1, "analysis": ');
      const broken = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(broken.code).toBe(1);
      expect(broken.stdout).toMatch(/::error::pypi-malware-gate: 1 malicious package/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);
});
