// runScan() with fake stages: each progress line is logged as its package finishes (none is held back
// until the end), in a group per lockfile with a running count; the doors get the report and outcome.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitCli } from '../../src/engine/git.js';
import { memoryLogger } from '../../src/engine/logger.js';
import { type RunScanDeps, runScan, type StageFactory } from '../../src/engine/run-scan.js';
import type { ScanStages } from '../../src/scan.js';
import type { ArchiveView } from '../../src/types.js';

const dir = mkdtempSync(join(tmpdir(), 'pmg-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Stages where a package resolves only when its gate is opened; 'evil*' packages carry critical evidence. */
function gatedStages(gates: Map<string, Promise<void>>, resolved: string[] = []): StageFactory {
  const stages: ScanStages<string> = {
    async resolve(ref) {
      await gates.get(ref.name);
      resolved.push(ref.name);
      return { ok: true, value: { files: [`${ref.name}-1.0.tar.gz`] } };
    },
    async download(file, ref) {
      return {
        ok: true,
        value: {
          ref,
          filename: file,
          kind: 'sdist',
          url: `http://x/${file}`,
          sha256: `sha-${file}`,
          bytes: new TextEncoder().encode(ref.name),
        },
      };
    },
    readArchive(bytes): ArchiveView {
      const name = new TextDecoder().decode(bytes);
      return {
        format: 'tar.gz',
        kind: 'sdist',
        entries: [{ path: `${name}/setup.py`, type: 'file', size: 1 }],
        status: 'ok',
        limitsHit: [],
        bytesRead: 1,
      };
    },
    extractFeatures(view) {
      const evil = view.entries[0]!.path.startsWith('evil');
      return {
        features: {},
        tokens: {},
        notes: [],
        evidence: evil
          ? [
              {
                rule: 'install-time-exec',
                category: 'install-hook',
                severity: 'critical',
                path: 'setup.py',
                line: 3,
                snippet: 'exec(x)',
                context: 'install',
              },
            ]
          : [],
      };
    },
  };
  return async () => ({
    stages: stages as ScanStages<unknown>,
    thresholds: { malicious: 0.9, suspicious: 0.5 },
  });
}

function deps(
  createStages: StageFactory,
  logger = memoryLogger(),
): RunScanDeps & { logger: ReturnType<typeof memoryLogger> } {
  return {
    workspace: dir,
    git: gitCli(dir),
    logger,
    clock: () => new Date('2026-01-01T00:00:00Z'),
    createStages,
    tool: { name: 'pypi-malware-gate', version: 'test' },
  };
}

describe('runScan', () => {
  it('logs each package as it finishes, in a group per lockfile with a running count', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'alpha==1.0\nbeta==1.0\n');
    let openBeta!: () => void;
    const gates = new Map([['beta', new Promise<void>((resolve) => (openBeta = resolve))]]);
    const d = deps(gatedStages(gates));
    const running = runScan({ settings: {} }, d);
    // alpha's line is out while beta is still being resolved.
    for (let i = 0; i < 200 && !d.logger.lines.some((l) => l.startsWith('[1/2]')); i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(d.logger.lines.filter((l) => /^\[\d\/2\]/.test(l))).toEqual([
      expect.stringMatching(/^\[1\/2\] benign\s+alpha 1\.0 \(\d+\.\d s\)$/),
    ]);
    openBeta();
    const result = await running;
    const lines = d.logger.lines;
    expect(lines.indexOf('group: requirements.txt (requirements, ok, 2 to scan)')).toBeLessThan(
      lines.findIndex((l) => l.startsWith('[1/2]')),
    );
    expect(lines.findIndex((l) => l.startsWith('[2/2] benign      beta 1.0'))).toBeLessThan(
      lines.indexOf('endgroup'),
    );
    expect(result.report.counts.scanned).toBe(2);
    expect(result.outcome.failed).toBe(false);
    expect(result.config.failOn).toBe('malicious');
  });

  it("scans every lockfile at once, and holds a later lockfile's lines only until the groups before it are done", async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'fast==1.0\n');
    writeFileSync(join(dir, 'poetry.lock'), '[[package]]\nname = "slow"\nversion = "1.0"\n');
    let openSlow!: () => void;
    const gates = new Map([['slow', new Promise<void>((resolve) => (openSlow = resolve))]]);
    const resolved: string[] = [];
    const d = deps(gatedStages(gates, resolved));
    const running = runScan({ settings: {} }, d);
    // fast (requirements.txt, the second group) is scanned while slow (poetry.lock) is still resolving...
    for (let i = 0; i < 200 && !resolved.includes('fast'); i++) await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toEqual(['fast']);
    // ...and its line waits for poetry.lock's group.
    expect(d.logger.lines.some((l) => l.includes('fast 1.0'))).toBe(false);
    openSlow();
    await running;
    expect(d.logger.lines.filter((l) => /^(group|endgroup|\[)/.test(l))).toEqual([
      'group: poetry.lock (poetry, ok, 1 to scan)',
      expect.stringMatching(/^\[1\/2\] benign\s+slow 1\.0/),
      'endgroup',
      'group: requirements.txt (requirements, ok, 1 to scan)',
      expect.stringMatching(/^\[2\/2\] benign\s+fast 1\.0/),
      'endgroup',
    ]);
    rmSync(join(dir, 'poetry.lock'));
  });

  it('decides the outcome from the config: fail-on from the checkout config file when there is no base', async () => {
    writeFileSync(join(dir, 'requirements.txt'), 'evil-one==1.0\n');
    const d = deps(gatedStages(new Map()));
    expect((await runScan({ settings: {} }, d)).outcome.failed).toBe(true);
    const never = await runScan({ settings: { failOn: 'never' } }, deps(gatedStages(new Map())));
    expect(never.outcome.failed).toBe(false);
  });

  it('refuses diff mode without a base, and a config-file outside the workspace', async () => {
    await expect(runScan({ settings: { mode: 'diff' } }, deps(gatedStages(new Map())))).rejects.toThrow(
      /needs a base/,
    );
    await expect(
      runScan({ settings: { configFile: '../x.yml' } }, deps(gatedStages(new Map()))),
    ).rejects.toThrow(/inside the workspace/);
  });
});
