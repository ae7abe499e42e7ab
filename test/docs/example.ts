// The README's example comment, produced by a real scan: the bundled engine against the loopback index
// serving two synthetic releases (an honest version bump and a typosquat with an install-time payload).
// scripts/example-comment.ts writes it into the README; a test fails when the README's copy is stale.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../../src/engine/collect.js';
import { engineFactory } from '../../src/action/stages.js';
import { resolveConfig } from '../../src/config.js';
import { renderComment } from '../../src/report/comment.js';
import { buildReport, scan } from '../../src/scan.js';
import { honestRelease, maliciousRelease } from '../action/fixtures.js';
import { startIndexServer } from '../servers/index-server.js';

const BASE = 'tidy-tables==1.4.1\n';
const HEAD = 'tidy-tables==1.4.2\nreqeusts==2.32.3\n';
const WHEN = new Date('2026-01-15T09:30:00Z');

export async function exampleComment(): Promise<string> {
  const index = await startIndexServer({
    projects: {
      'tidy-tables': {
        versions: [honestRelease('tidy-tables', '1.4.1'), honestRelease('tidy-tables', '1.4.2')],
      },
      reqeusts: { versions: [maliciousRelease('reqeusts', '2.32.3')] },
    },
  });
  const cache = mkdtempSync(join(tmpdir(), 'pmg-example-'));
  try {
    const collected = await collect({
      files: ['requirements.txt'],
      mode: 'diff',
      readHead: () => HEAD,
      readBase: async () => BASE,
    });
    const config = resolveConfig({ indexUrl: index.url, osv: 'false', cache: 'false' });
    const engine = await engineFactory({ env: { PMG_CACHE_DIR: cache } })(config, cache);
    const packages = await scan(collected.items, engine.stages, {
      concurrency: 2,
      thresholds: engine.thresholds,
      allow: [],
      now: () => WHEN,
      modelVersion: engine.modelVersion,
    });
    for (const p of packages) p.ms = 0;
    const report = buildReport({
      tool: { name: 'pypi-malware-gate', version: '0.1.0', modelVersion: engine.modelVersion },
      mode: 'diff',
      lockfiles: collected.lockfiles,
      packages,
      startedAt: WHEN,
      now: WHEN,
    });
    return renderComment(report, {
      indexUrl: 'https://pypi.org/simple/',
      configFile: '.github/pypi-malware-gate.yml',
      runUrl: 'https://github.com/owner/repo/actions/runs/1',
    });
  } finally {
    rmSync(cache, { recursive: true, force: true });
    await index.close();
  }
}

export function spliceExample(readme: string, comment: string): string {
  return readme.replace(
    /<!-- example:begin -->[\s\S]*<!-- example:end -->/,
    `<!-- example:begin -->\n${comment}\n<!-- example:end -->`,
  );
}
