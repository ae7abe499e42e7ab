// pyproject.toml: [project] dependencies and optional-dependencies, [dependency-groups],
// [tool.poetry.dependencies], [tool.poetry.dev-dependencies] and [tool.poetry.group.*.dependencies].
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import {
  findLine,
  isRecord,
  isValidSpecifier,
  LineIndex,
  NAME_RE,
  parseRequirement,
  quotedStrings,
  refFromRequirement,
  shown,
  str,
  tomlLineKey,
} from '../common.js';
import { indexSource, readToml } from '../toml.js';
import { poetryConstraintToPep440 } from './poetry-constraint.js';

export function parsePyproject(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pyproject');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lines = content.split(/\r?\n/);
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const strings = new LineIndex(lines, quotedStrings);
  const keys = new LineIndex(lines, tomlLineKey);
  const headers = new LineIndex(lines, tableHeader);
  const indexNames = new Map<PackageRef, string>();
  // Each quoted requirement is looked up after the previous one's line so duplicates land on their own lines.
  const lineOfString = (s: string, fallback: number) => strings.at(s, fallback) ?? strings.at(s) ?? fallback;
  const addPep508 = (list: unknown, group: string | undefined, start: number | undefined) => {
    if (!Array.isArray(list)) return;
    let from = start ?? 1;
    for (const item of list) {
      if (typeof item !== 'string') continue; // {include-group = ...} entries name no package.
      const line = lineOfString(item, from);
      from = line;
      const req = parseRequirement(item);
      if (typeof req === 'string') {
        issues.push({ file: path, line, kind: 'error', message: req });
        continue;
      }
      const ref = refFromRequirement(req, path, line);
      if (group) ref.groups = [group];
      packages.push(ref);
    }
  };

  const project = isRecord(doc['project']) ? doc['project'] : undefined;
  if (project) {
    addPep508(project['dependencies'], undefined, findLine(lines, /^\s*\[project\]/));
    const optional = project['optional-dependencies'];
    if (isRecord(optional)) {
      for (const [group, list] of Object.entries(optional)) {
        addPep508(list, group, keys.at(group));
      }
    }
  }
  const groups = doc['dependency-groups'];
  if (isRecord(groups)) {
    for (const [group, list] of Object.entries(groups)) {
      addPep508(list, group, keys.at(group));
    }
  }
  const tool = isRecord(doc['tool']) ? doc['tool'] : {};
  const poetry = isRecord(tool['poetry']) ? tool['poetry'] : undefined;
  if (poetry) {
    const tables: [unknown, string | undefined, string][] = [
      [poetry['dependencies'], undefined, 'tool.poetry.dependencies'],
      [poetry['dev-dependencies'], 'dev', 'tool.poetry.dev-dependencies'],
    ];
    if (isRecord(poetry['group'])) {
      for (const [g, def] of Object.entries(poetry['group'])) {
        if (isRecord(def)) tables.push([def['dependencies'], g, `tool.poetry.group.${g}.dependencies`]);
      }
    }
    for (const [table, group, header] of tables)
      addPoetryTable(table, group, header, keys, headers, indexNames, path, packages, issues);
  }
  const indexUrls = declaredIndexes(tool, packages, poetry, indexNames, issues);
  if (!project && !isRecord(groups) && !poetry) {
    issues.push({
      file: path,
      line: 1,
      kind: 'skipped',
      message: 'no [project], [dependency-groups] or [tool.poetry] dependencies',
    });
  }
  const result: LockfileResult = { file: path, format: 'pyproject', packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
}

/**
 * Index URLs the project declares ([[tool.poetry.source]], [[tool.pdm.source]], [[tool.uv.index]]),
 * and the one each package is tied to: poetry's per-dependency `source = "name"` and uv's
 * [tool.uv.sources] `name = { index = "..." }`; a poetry source with priority primary/default, or a uv
 * index with default = true, replaces PyPI for every other package.
 */
function declaredIndexes(
  tool: Record<string, unknown>,
  packages: PackageRef[],
  poetry: Record<string, unknown> | undefined,
  indexNames: Map<PackageRef, string>,
  issues: LockfileIssue[],
): string[] {
  const urls: string[] = [];
  const byName = new Map<string, string>();
  let defaultIndex: string | undefined;
  const add = (list: unknown, isDefault: (s: Record<string, unknown>) => boolean) => {
    if (!Array.isArray(list)) return;
    for (const s of list) {
      if (!isRecord(s)) continue;
      const url = str(s['url']);
      if (!url) continue;
      urls.push(url);
      const name = str(s['name']);
      if (name) byName.set(name, url);
      if (isDefault(s) && defaultIndex === undefined) defaultIndex = url;
    }
  };
  add(
    poetry?.['source'],
    (s) => s['priority'] === 'primary' || s['priority'] === 'default' || s['default'] === true,
  );
  const pdm = isRecord(tool['pdm']) ? tool['pdm'] : {};
  add(pdm['source'], (s) => s['name'] === 'pypi');
  const uv = isRecord(tool['uv']) ? tool['uv'] : {};
  add(uv['index'], (s) => s['default'] === true);
  // uv's older keys: index-url replaces PyPI, extra-index-url adds indexes every package may come from.
  const legacy = [
    ...(str(uv['index-url']) ? [{ url: uv['index-url'], default: true }] : []),
    ...(Array.isArray(uv['extra-index-url']) ? uv['extra-index-url'].map((url) => ({ url })) : []),
  ];
  add(legacy, (s) => s['default'] === true);
  const uvIndexByName = new Map<string, string>();
  for (const [k, v] of Object.entries(isRecord(uv['sources']) ? uv['sources'] : {})) {
    const index = isRecord(v) ? str(v['index']) : undefined;
    if (index) uvIndexByName.set(normalizeName(k), index);
  }
  const unknown = new Set<PackageRef>();
  for (const p of packages) {
    if (p.source !== undefined) continue;
    const pinned = indexNames.get(p) ?? uvIndexByName.get(p.name);
    const url = pinned ? byName.get(pinned) : defaultIndex;
    if (pinned && url === undefined) {
      // Tied to an index the file does not declare: where it comes from is unknown, so it is not PyPI's.
      issues.push({
        file: p.file,
        line: p.line,
        kind: 'error',
        message: `${p.name}: its index ${shown(pinned)} is not declared in this file`,
      });
      unknown.add(p);
      continue;
    }
    const s = indexSource(url);
    if (s) p.source = s;
  }
  // An issue, not a package: scanning PyPI's release of that name would judge the wrong files.
  if (unknown.size) packages.splice(0, packages.length, ...packages.filter((p) => !unknown.has(p)));
  return [...new Set(urls)];
}

/** A table header line's name, quotes and spaces dropped: `[tool.poetry.dependencies."x"]` -> tool.poetry.dependencies.x */
function* tableHeader(line: string): Iterable<string> {
  const m = /^\s*\[([^[\]]*)\]/.exec(line);
  if (m) yield m[1]!.replace(/["'\s]/g, '');
}

function addPoetryTable(
  table: unknown,
  group: string | undefined,
  header: string,
  keys: LineIndex,
  headers: LineIndex,
  indexNames: Map<PackageRef, string>,
  path: string,
  packages: PackageRef[],
  issues: LockfileIssue[],
): void {
  if (!isRecord(table)) return;
  const headerLine = headers.at(header) ?? 1;
  for (const [rawName, spec] of Object.entries(table)) {
    if (rawName.toLowerCase() === 'python') continue; // the interpreter, not a package
    const line = keys.at(rawName, headerLine) ?? headers.at(`${header}.${rawName}`) ?? headerLine;
    if (!NAME_RE.test(rawName)) {
      issues.push({ file: path, line, kind: 'error', message: `invalid package name ${shown(rawName)}` });
      continue;
    }
    // A list of constraints for different markers: one entry per item.
    const specs = Array.isArray(spec) ? spec : [spec];
    for (const s of specs) {
      const ref: PackageRef = { name: normalizeName(rawName), version: null, hashes: [], file: path, line };
      if (group) ref.groups = [group];
      const def: Record<string, unknown> = isRecord(s) ? s : { version: s };
      if (str(def['git'])) {
        ref.source = 'vcs';
        ref.url = str(def['git']);
      } else if (str(def['path'])) {
        ref.source = 'path';
        ref.url = str(def['path']);
      } else if (str(def['url'])) {
        ref.source = 'url';
        ref.url = str(def['url']);
      } else {
        const raw = str(def['version']) ?? '*';
        const converted = poetryConstraintToPep440(raw);
        if (converted === undefined || (converted && !isValidSpecifier(converted))) {
          issues.push({
            file: path,
            line,
            kind: 'error',
            message: `${rawName}: cannot read its version constraint`,
          });
          continue;
        }
        const exact = /^==([^,*]+)$/.exec(converted);
        if (exact) ref.version = exact[1]!;
        else ref.specifier = converted;
      }
      const markers = str(def['markers']);
      if (markers) ref.markers = markers;
      if (Array.isArray(def['extras']) && def['extras'].length) ref.extras = def['extras'].map(String);
      if (def['optional'] === true && !group) ref.groups = ['optional'];
      const source = str(def['source']);
      if (source) indexNames.set(ref, source);
      packages.push(ref);
    }
  }
}
