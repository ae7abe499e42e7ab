// setuptools' namespace-package .pth lines (`*-nspkg.pth`): boilerplate that pip installs for
// namespace packages, written by setuptools/namespaces.py. A line counts only when every one of its
// statements is one of the template's, with only quoted dotted names varying, so a payload cannot hide
// behind the template's opening.
const NAME = /'[\w.]+'/g;
const TUPLE = /\*\(('X',?\s*)+\)/g;
const STATEMENTS = new Set([
  'import sys, types, os',
  'has_mfs = sys.version_info > (3, 5)',
  "p = os.path.join(sys._getframe(1).f_locals['X'], *T)",
  "importlib = has_mfs and __import__('X')",
  "has_mfs and __import__('X')",
  "m = has_mfs and sys.modules.setdefault('X', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('X', [os.path.dirname(p)])))",
  "m = m or sys.modules.setdefault('X', types.ModuleType('X'))",
  "mp = (m or []) and m.__dict__.setdefault('X',[])",
  '(p not in mp) and mp.append(p)',
  "ie = os.path.exists(os.path.join(p,'X'))",
  "m = not ie and sys.modules.setdefault('X', types.ModuleType('X'))",
  "m and setattr(sys.modules['X'], 'X', m)",
]);

/** Whether a whole .pth line is setuptools' namespace-package template. */
export function isNamespacePackageLine(line: string): boolean {
  if (line.length > 4000) return false;
  const statements = line
    .trim()
    .replace(NAME, "'X'")
    .replace(TUPLE, '*T')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return statements.length >= 4 && statements.every((s) => STATEMENTS.has(s));
}
