// Finds the dependency files in a checkout: the only part of src/lockfiles that touches the disk.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { formatFromName } from './detect.js';
import { formatById } from './registry.js';

/** Folders never searched for lockfiles (virtual environments, caches, vendored trees, git itself). */
export const SKIP_DIRS = [
  'node_modules',
  '.git',
  '.venv',
  'venv',
  'virtualenvs',
  '.virtualenvs',
  '.tox',
  '.nox',
  'site-packages',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  'dist-packages',
];

/**
 * Relative paths (posix, sorted) of every file a format claims. A pyproject.toml is dropped when a
 * real lockfile (poetry/uv/pdm/Pipfile.lock/pylock) sits in the same folder: the lockfile pins what
 * the pyproject only constrains. Requirements files included by another (-r) are still listed; the
 * caller counts packages by (name, version, file, line), so an include parsed twice is counted once.
 */
export async function discoverLockfiles(root: string): Promise<string[]> {
  const files = await glob('**/*', {
    cwd: root,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: SKIP_DIRS.map((d) => `**/${d}/**`),
  });
  // Regular files only: a symlink is not listed, wherever it points (reading it could leave the checkout).
  return selectLockfiles(
    files.filter((f) => {
      try {
        return lstatSync(join(root, f)).isFile();
      } catch {
        return false;
      }
    }),
  );
}

/**
 * The dependency files among relative paths (a listing of the checkout or of a commit's git objects),
 * sorted, with the same pyproject rule as discoverLockfiles.
 */
export function selectLockfiles(files: string[]): string[] {
  const found = files.filter((f) => formatFromName(f) !== undefined);
  const lockDirs = new Set(
    found
      .filter((f) => formatById(formatFromName(f)!)?.locks)
      .map((f) => f.split('/').slice(0, -1).join('/')),
  );
  return found
    .filter((f) => !(formatFromName(f) === 'pyproject' && lockDirs.has(f.split('/').slice(0, -1).join('/'))))
    .sort();
}
