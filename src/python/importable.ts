// Which files of an archive can run at import time once installed. In a wheel every module is installed
// (except the scripts and data under *.data/); in an sdist, pip installs the packages (folders with an
// __init__.py, and what sits under them) and the top-level modules, while maintainer scripts (dev/, tools/,
// ci/ and shebang scripts outside packages) never run on import. Code that cannot be imported gets the
// runtime role at its top level instead of the import role.

const MAINTAINER_FILE =
  /^(bootstrap|ez_setup|distribute_setup|runtests|run_tests|noxfile|tasks|fabfile|release|make|build|setup[-_][\w-]+|[\w-]+_build|versioneer)\.py$/i;

/** A predicate over in-archive paths (sdist root removed): true for files that are scripts, not importable code. */
export function scriptFiles(innerPaths: readonly string[], wheel: boolean): (inner: string) => boolean {
  if (wheel) return (inner) => /^[^/]+\.data\/(scripts|data)\//.test(inner);
  const packages = new Set<string>();
  for (const path of innerPaths) {
    const m = /^(.*)\/__init__\.py$/.exec(path);
    if (m?.[1]) packages.add(m[1]);
  }
  return (inner) => {
    const slash = inner.lastIndexOf('/');
    // A top-level module is importable (py_modules), except the maintainer files sdists carry beside setup.py;
    // a shebang script is not.
    if (slash < 0) return !/\.py$/i.test(inner) || MAINTAINER_FILE.test(inner);
    const dir = inner.slice(0, slash);
    if ((dir === 'src' || dir === 'lib') && /\.py$/i.test(inner)) return false;
    // Inside a package (at any depth below one), a module is importable.
    for (let d = dir; d !== ''; d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '')
      if (packages.has(d)) return false;
    return true;
  };
}
