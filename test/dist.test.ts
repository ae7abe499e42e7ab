import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The action runs dist/, not src/: a stale bundle would ship old code.
describe('dist/', () => {
  const out = mkdtempSync(join(tmpdir(), 'pmg-dist-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('matches a fresh build of src/ (run `npm run build` and commit dist/)', () => {
    execFileSync(process.execPath, ['build.mjs', out], { stdio: 'pipe' });
    for (const file of ['index.js', 'cli.js']) {
      const fresh = readFileSync(join(out, file), 'utf8');
      const committed = readFileSync(join('dist', file), 'utf8');
      expect(committed === fresh, `dist/${file} is stale`).toBe(true);
    }
  }, 120_000);

  it('the CLI bundle starts with a node shebang and runs from any folder', () => {
    const cli = readFileSync('dist/cli.js', 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = execFileSync(process.execPath, [join(process.cwd(), 'dist/cli.js'), '--help'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(help).toContain('usage: pypi-malware-gate');
  });
});
