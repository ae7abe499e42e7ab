// Distribution (issue 14): the MIT LICENSE package.json declares, the CLI runnable from the repository
// without publishing (npm's bin is the committed bundle, packed with the worker it starts), the pre-commit
// hook and the reusable organisation-audit workflow wired to flags and inputs that exist.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('distribution', () => {
  it('has the MIT LICENSE package.json declares', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n/);
  });

  it('packs the bundled CLI as the bin (what npx github:owner/repo and node dist/cli.js run)', () => {
    expect(pkg.bin['pypi-malware-gate']).toBe('dist/cli.js');
    expect(pkg.repository.url).toMatch(/github\.com\/pypi-malware-gate\/pypi-malware-gate/);
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' }),
    );
    const files = packed.files.map((f: { path: string }) => f.path);
    for (const f of [
      'dist/cli.js',
      'dist/cli.js.map',
      'dist/analysis-worker.js',
      'dist/analysis-worker.js.map',
      'LICENSE',
      'README.md',
      'schema/report.schema.json',
    ])
      expect(files, f).toContain(f);
    expect(readFileSync('dist/cli.js', 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  }, 60_000);

  it('has a pre-commit hook running scan --base HEAD on lockfile changes only', () => {
    const [hook] = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8'));
    expect(hook.entry).toBe('pypi-malware-gate scan --base HEAD');
    expect(hook.pass_filenames).toBe(false);
    const files = new RegExp(hook.files);
    for (const f of [
      'requirements.txt',
      'api/requirements-dev.txt',
      'requirements/base.txt',
      'poetry.lock',
      'uv.lock',
      'Pipfile.lock',
      'pdm.lock',
      'pylock.toml',
      'pyproject.toml',
      'environment.yml',
      'conda-lock.yml',
    ])
      expect(files.test(f), f).toBe(true);
    for (const f of ['README.md', 'src/app.py', 'package-lock.json']) expect(files.test(f), f).toBe(false);
  });

  it('has a reusable org-audit workflow: a matrix of repositories x shards, a shared cache, a merge', () => {
    const wf = parse(readFileSync('.github/workflows/org-audit.yml', 'utf8'));
    const action = parse(readFileSync('action.yml', 'utf8'));
    expect(Object.keys(wf.on)).toEqual(['workflow_call']);
    const scan = wf.jobs.scan;
    expect(scan.strategy.matrix).toMatch(/fromJSON\(needs\.plan\.outputs\.matrix\)/);
    const gate = scan.steps.find((s: { uses?: string }) => s.uses?.startsWith('pypi-malware-gate/'));
    for (const input of Object.keys(gate.with)) expect(Object.keys(action.inputs), input).toContain(input);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a JS template
    expect(gate.with.shard).toBe('${{ matrix.shard }}');
    expect(gate.with.mode).toBe('full');
    const cache = scan.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/cache'));
    expect(cache.with.path).toBe('~/.cache/pypi-malware-gate');
    expect(cache.with['restore-keys']).toMatch(/pypi-malware-gate-audit-/);
    const merge = wf.jobs.merge.steps.find((s: { id?: string }) => s.id === 'merge').run;
    expect(merge).toMatch(/merge "\$\{json\[@\]\}" --fail-on "\$FAIL_ON" --output merged\.json/);
    expect(merge).toMatch(/merge "\$\{sarif\[@\]\}" --format sarif --output merged\.sarif/);
  });
});
