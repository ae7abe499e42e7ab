// The per-package analysis budget through the bundled action (issue 15): a package whose analysis runs
// past `analysis-budget-seconds` is unscannable, naming the file and the stage, and fails the check; with
// the default budget the same package passes. Built archives, loopback index and GitHub API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSdist, makeWheel } from '../fixtures/archives.js';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

/** An honest package with one big, plain module (about 1.5 MB of assignments): slow enough to measure. */
function bigRelease() {
  const body = Array.from({ length: 60_000 }, (_, i) => `value_${i} = ${i} * 2 + 1\n`).join('');
  const p = { name: 'big-tables', version: '1.0', files: { 'big_tables/__init__.py': body } };
  return {
    version: '1.0',
    files: [
      { filename: 'big_tables-1.0.tar.gz', bytes: makeSdist(p) },
      { filename: 'big_tables-1.0-py3-none-any.whl', bytes: makeWheel(p) },
    ],
  };
}

describe('the analysis budget (bundled action)', () => {
  it('makes a package that runs out of it unscannable, naming file and stage; the default budget passes it, cache or not', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: { 'big-tables': { versions: [bigRelease()] } } });
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'big-tables==1.0\n' });
      const tight = await runAction(ws, gh.url, {
        'index-url': index.url,
        'analysis-budget-seconds': '0.001',
      });
      expect(tight.code).toBe(1);
      const report = JSON.parse(readFileSync(join(ws.dir, 'pypi-malware-gate.json'), 'utf8'));
      const pkg = report.packages.find((p: { ref: { name: string } }) => p.ref.name === 'big-tables');
      expect(pkg.verdict).toBe('unscannable');
      expect(pkg.gaps).toContainEqual(
        expect.objectContaining({
          stage: 'budget',
          path: expect.stringMatching(/big_tables\/__init__\.py$/),
        }),
      );

      // The same workspace and verdict cache: a budget that ran out says nothing about the package, so it
      // is not cached, and the default budget analyses it in full.
      const roomy = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(roomy.code).toBe(0);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);
});
