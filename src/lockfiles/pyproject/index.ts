// pyproject.toml: [project] dependencies and optional-dependencies, [dependency-groups],
// [tool.poetry.dependencies], [tool.poetry.dev-dependencies] and [tool.poetry.group.*.dependencies].
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import {
  escapeRe,
  findLine,
  isRecord,
  isValidSpecifier,
  normalizeName,
  parseRequirement,
  refFromRequirement,
  str,
} from '../common.js';
import { readToml } from '../toml.js';
import { poetryConstraintToPep440 } from './poetry-constraint.js';

export function parsePyproject(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pyproject');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lines = content.split(/\r?\n/);
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  // Each quoted requirement is looked up after the previous one's line so duplicates land on their own lines.
  const lineOfString = (s: string, fallback: number) => {
    const quoted = new RegExp(`["']${escapeRe(s)}["']`);
    return findLine(lines, quoted, fallback - 1) ?? findLine(lines, quoted) ?? fallback;
  };
  const addPep508 = (list: unknown, group: string | undefined, header: RegExp) => {
    if (!Array.isArray(list)) return;
    let from = findLine(lines, header) ?? 1;
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
    addPep508(project['dependencies'], undefined, /^\s*\[project\]/);
    const optional = project['optional-dependencies'];
    if (isRecord(optional)) {
      for (const [group, list] of Object.entries(optional)) {
        addPep508(list, group, new RegExp(`^\\s*["']?${escapeRe(group)}["']?\\s*=`));
      }
    }
  }
  const groups = doc['dependency-groups'];
  if (isRecord(groups)) {
    for (const [group, list] of Object.entries(groups)) {
      addPep508(list, group, new RegExp(`^\\s*["']?${escapeRe(group)}["']?\\s*=`));
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
      addPoetryTable(table, group, header, lines, path, packages, issues);
  }
  if (!project && !isRecord(groups) && !poetry) {
    issues.push({
      file: path,
      line: 1,
      kind: 'skipped',
      message: 'no [project], [dependency-groups] or [tool.poetry] dependencies',
    });
  }
  return { file: path, format: 'pyproject', packages, issues, status: 'ok' };
}

function addPoetryTable(
  table: unknown,
  group: string | undefined,
  header: string,
  lines: string[],
  path: string,
  packages: PackageRef[],
  issues: LockfileIssue[],
): void {
  if (!isRecord(table)) return;
  const headerLine = findLine(lines, new RegExp(`^\\s*\\[${escapeRe(header)}\\]`)) ?? 1;
  for (const [rawName, spec] of Object.entries(table)) {
    if (rawName.toLowerCase() === 'python') continue; // the interpreter, not a package
    const line =
      findLine(lines, new RegExp(`^\\s*["']?${escapeRe(rawName)}["']?\\s*=`), headerLine) ??
      findLine(lines, new RegExp(`^\\s*\\[${escapeRe(header)}\\.["']?${escapeRe(rawName)}["']?\\]`)) ??
      headerLine;
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
            message: `${rawName}: cannot read version constraint '${raw}'`,
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
      packages.push(ref);
    }
  }
}
