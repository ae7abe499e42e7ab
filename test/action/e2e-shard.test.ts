// The bundled action's shard and exclude inputs (issue 14, the org-audit workflow's matrix): on a full
// audit, shards 1/2 and 2/2 scan disjoint parts that cover every package, each report says its shard, and
// an excluded package is named in the JSON report instead of being scanned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { honestRelease, maliciousRelease } from './fixtures.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

describe('action: shard and exclude', () => {
  it('splits a full audit over shards and leaves excluded packages out, reporting both', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({
      projects: {
        'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
        'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
        'neat-rows': { versions: [honestRelease('neat-rows', '2.0.0')] },
      },
    });
    try {
      const lock = 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\nneat-rows==2.0.0\n';
      const ws = makeRepo({ 'requirements.txt': lock }, { 'requirements.txt': lock });
      const report = () => JSON.parse(readFileSync(join(ws.dir, 'pypi-malware-gate.json'), 'utf8'));
      const names: string[] = [];
      for (const shard of ['1/2', '2/2']) {
        const r = await runAction(
          ws,
          gh.url,
          { 'index-url': index.url, mode: 'full', shard, osv: 'false' },
          'schedule',
        );
        const json = report();
        expect(json.shard).toMatchObject({ index: Number(shard[0]), count: 2 });
        expect(r.stdout).toMatch(new RegExp(`shard ${shard}; \\d+ in other shards`));
        names.push(...json.packages.map((p: { ref: { name: string } }) => p.ref.name));
      }
      expect(names.sort()).toEqual(['neat-rows', 'tidy-tabels', 'tidy-tables']);
      const excluded = await runAction(
        ws,
        gh.url,
        { 'index-url': index.url, mode: 'full', exclude: 'tidy-tab?ls', osv: 'false' },
        'schedule',
      );
      expect(excluded.code).toBe(0);
      expect(report().excluded).toEqual([
        { name: 'tidy-tabels', version: '1.4.2', file: 'requirements.txt', line: 2, pattern: 'tidy-tab?ls' },
      ]);
      expect(excluded.stdout).toMatch(/not scanned because exclude names them: tidy-tabels/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 180_000);
});
