// Modules that run at interpreter start because a .pth line imports them: `import pkg._boot` in a wheel's
// .pth file makes pkg/_boot.py startup code, as much as the .pth line itself (site.py runs both).

const IMPORT_LINE = /^import[ \t]/;
const MODULE = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;

/** The in-archive paths (pkg/_boot.py, pkg/_boot/__init__.py) of the modules the .pth texts import. */
export function startupModules(pthTexts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of pthTexts) {
    for (const line of text.split('\n')) {
      if (!IMPORT_LINE.test(line)) continue;
      const statement = line.slice(6).split(';')[0] ?? '';
      for (const part of statement.split(',')) {
        const module =
          part
            .trim()
            .split(/\s+as\s+/)[0]
            ?.trim() ?? '';
        if (!MODULE.test(module)) continue;
        const path = module.replace(/\./g, '/');
        out.add(`${path}.py`);
        out.add(`${path}/__init__.py`);
      }
    }
  }
  return out;
}

/** Whether an in-archive path (relative to the sdist root, or a wheel's top) is one of the startup modules. */
export function isStartupModule(modules: ReadonlySet<string>, inner: string): boolean {
  return modules.size > 0 && (modules.has(inner) || modules.has(inner.replace(/^(src|lib)\//, '')));
}
