// conda environment.yml: the pip section (pip syntax, one requirement per item); conda packages are not PyPI's.
// conda-lock.yml: its `manager: pip` entries (exact file URL and hash per platform).
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import { errorResult, NAME_RE, normalizeHash, shown } from '../common.js';
import type { ParseOptions } from '../parser.js';
import { parseRequirements } from '../requirements/index.js';

export function parseConda(content: string, path: string, opts: ParseOptions = {}): LockfileResult {
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    // The message's own words only: after a ':' yaml quotes the source (an alias name, a token).
    return errorResult(
      path,
      'conda',
      `invalid YAML: ${e.message.split('\n')[0]!.split(':')[0]}`,
      counter.linePos(e.pos[0]).line,
    );
  }
  const root = doc.contents;
  if (isMap(root) && isSeq(root.get('package', true))) {
    let js: unknown;
    try {
      // yaml's own cap on alias expansion: a billion-laughs entry is an error, not a hang.
      js = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      return errorResult(path, 'conda', `invalid YAML: ${String((err as Error).message).split(':')[0]}`);
    }
    return parseCondaLock(root, js as Record<string, unknown>, path, counter);
  }
  const deps = isMap(root) ? root.get('dependencies', true) : undefined;
  if (!isMap(root) || (deps !== undefined && !isSeq(deps))) {
    return errorResult(path, 'conda', 'not a conda environment file: no dependencies list');
  }
  // Each pip item becomes one line of a requirements text placed at the item's own line number, so the
  // requirements parser (options, hashes, includes) handles it and lines stay true to the YAML.
  const reqLines: string[] = [];
  let condaCount = 0;
  for (const item of isSeq(deps) ? deps.items : []) {
    if (isScalar(item)) {
      condaCount++;
      continue;
    }
    const pip = isMap(item) ? item.get('pip', true) : undefined;
    if (!isSeq(pip)) continue;
    for (const p of pip.items) {
      if (!isScalar(p) || !p.range) continue;
      const line = counter.linePos(p.range[0]).line;
      while (reqLines.length < line - 1) reqLines.push('');
      reqLines[line - 1] = String(p.value).replace(/\\$/, '');
    }
  }
  const result = parseRequirements(reqLines.join('\n'), path, opts);
  result.format = 'conda';
  if (condaCount) {
    result.issues.push({
      file: path,
      kind: 'skipped',
      message: `${condaCount} conda package(s) come from conda channels, not PyPI: not scanned`,
    });
  }
  return result;
}

/** PyPI serves its files from here; a pip entry locked to another host is a direct URL install. */
const PYPI_FILES = /^https:\/\/files\.pythonhosted\.org\//;

/**
 * conda-lock.yml (version 1): one entry per package and platform. pip entries become packages (one per
 * name and version, hashes of every platform's file); conda entries are counted and reported as skipped.
 */
function parseCondaLock(
  root: YAMLMap,
  js: Record<string, unknown>,
  path: string,
  counter: LineCounter,
): LockfileResult {
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const condaNames = new Set<string>();
  const byKey = new Map<string, PackageRef>();
  const list = root.get('package', true);
  const entries = Array.isArray(js['package']) ? (js['package'] as unknown[]) : [];
  (isSeq(list) ? list.items : []).forEach((item, i) => {
    const line = isMap(item) && item.range ? counter.linePos(item.range[0]).line : 1;
    const value = entries[i];
    const entry =
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    const name = typeof entry?.['name'] === 'string' ? entry['name'] : undefined;
    if (!entry || !name || !NAME_RE.test(name)) {
      issues.push({
        file: path,
        line,
        kind: 'error',
        message: name ? `invalid package name ${shown(name)}` : 'package entry without a name',
      });
      return;
    }
    const manager = entry['manager'] ?? 'conda';
    if (manager !== 'pip') {
      condaNames.add(name);
      return;
    }
    const version = entry['version'] === undefined ? null : String(entry['version']);
    const url = typeof entry['url'] === 'string' ? entry['url'] : undefined;
    const hash = entry['hash'];
    const hashes =
      hash && typeof hash === 'object'
        ? Object.entries(hash as Record<string, unknown>).map(([algo, hex]) =>
            normalizeHash(`${algo}:${String(hex)}`),
          )
        : [];
    const direct = url !== undefined && !PYPI_FILES.test(url);
    const key = `${normalizeName(name)}\u0000${version ?? ''}\u0000${direct ? url : ''}`;
    const same = byKey.get(key);
    if (same) {
      same.hashes.push(...hashes);
      return;
    }
    const ref: PackageRef = { name: normalizeName(name), version, hashes, file: path, line };
    if (version === null) ref.specifier = '';
    if (direct) {
      ref.source = /^file:/i.test(url) ? 'path' : 'url';
      ref.url = url;
    }
    if (typeof entry['category'] === 'string') ref.groups = [entry['category']];
    byKey.set(key, ref);
    packages.push(ref);
  });
  // Deduplicated once at the end: an includes() per hash was quadratic in entries per package.
  for (const p of packages) p.hashes = [...new Set(p.hashes)];
  if (condaNames.size) {
    issues.push({
      file: path,
      kind: 'skipped',
      message: `${condaNames.size} conda package(s) come from conda channels, not PyPI: not scanned`,
    });
  }
  return { file: path, format: 'conda', packages, issues, status: 'ok' };
}
