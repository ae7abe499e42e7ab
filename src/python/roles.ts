// Where a file's code runs, judged from its path inside the archive.
import { inTestOrDocFolder } from '../archive/names.js';
export type CodeRole = 'install' | 'import' | 'runtime' | 'test';
export type FileRole = 'setup' | 'pth' | 'startup' | 'init' | 'module' | 'script' | 'test';

export function fileRole(path: string): FileRole {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '');
  const base = (parts[parts.length - 1] ?? '').toLowerCase();
  if (base.endsWith('.pth')) return 'pth';
  // setup.py at the project root (sdists put it one folder deep: name-version/setup.py).
  if (base === 'setup.py' && parts.length <= 2) return 'setup';
  if (inTestOrDocFolder(path)) return 'test';
  // Python imports these at every interpreter start when they are on the path (site.py), like a .pth line.
  if (base === 'sitecustomize.py' || base === 'usercustomize.py') return 'startup';
  if (base === 'conftest.py' || /^test_.*\.py$/.test(base) || /_tests?\.py$/.test(base)) return 'test';
  if (base === '__init__.py') return 'init';
  return 'module';
}

/** The role of code at the top level of a file with this file role. */
export function topLevelRole(role: FileRole): CodeRole {
  if (role === 'setup' || role === 'pth' || role === 'startup') return 'install';
  if (role === 'test') return 'test';
  // Maintainer scripts outside the installed packages run only when someone runs them.
  if (role === 'script') return 'runtime';
  return 'import';
}
