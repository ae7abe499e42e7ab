import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverLockfiles } from '../../src/lockfiles/index.js';

describe('discoverLockfiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'pmg-discover-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const files = [
    'requirements.txt',
    'requirements/dev.txt',
    'pyproject.toml',
    'poetry.lock',
    'svc/pyproject.toml',
    'svc/uv.lock',
    'lib/pyproject.toml',
    'docs/requirements-docs.in',
    'env/environment.yml',
    'pylock.dev.toml',
    'node_modules/x/requirements.txt',
    '.venv/lib/requirements.txt',
    'venv/requirements.txt',
    '.tox/py311/requirements.txt',
    'a/site-packages/pkg/requirements.txt',
    '.git/requirements.txt',
    'README.md',
  ];
  for (const f of files) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), '');
  }

  it('lists dependency files, sorted, skipping vendored trees, lockfiles winning over pyproject.toml', async () => {
    expect(await discoverLockfiles(root)).toEqual([
      'docs/requirements-docs.in',
      'env/environment.yml',
      'lib/pyproject.toml',
      'poetry.lock',
      'pylock.dev.toml',
      'requirements.txt',
      'requirements/dev.txt',
      'svc/uv.lock',
    ]);
  });
});

describe('discoverLockfiles and symlinks', () => {
  it('lists no symlink, wherever it points (a link to /etc/passwd named requirements.txt is not read)', async () => {
    const { symlinkSync } = await import('node:fs');
    const root = mkdtempSync(join(tmpdir(), 'pmg-discover-links-'));
    try {
      writeFileSync(join(root, 'requirements.txt'), 'six==1.16.0\n');
      symlinkSync('/etc/passwd', join(root, 'requirements-dev.txt'));
      symlinkSync(join(root, 'requirements.txt'), join(root, 'requirements-alias.txt'));
      expect(await discoverLockfiles(root)).toEqual(['requirements.txt']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
