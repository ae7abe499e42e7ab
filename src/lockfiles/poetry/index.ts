// poetry.lock, lock formats 1.x (hashes in [metadata.files]) and 2.x (hashes in each package's files).
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import { errorResult, isRecord, NAME_RE, normalizeHash, shown, str, tableNameLines } from '../common.js';
import { indexSource, readToml } from '../toml.js';

const KNOWN_MAJORS = new Set([1, 2]);

export function parsePoetry(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'poetry');
  if ('error' in read) return read.error;
  const { doc } = read;
  const metadata = isRecord(doc['metadata']) ? doc['metadata'] : {};
  const lockVersion = str(metadata['lock-version']);
  const lines = content.split(/\r?\n/);
  const metaLine = lines.findIndex((l) => /^\s*\[metadata\]/.test(l)) + 1 || undefined;
  if (lockVersion !== undefined && !KNOWN_MAJORS.has(Number(lockVersion.split('.')[0]))) {
    return errorResult(path, 'poetry', `unknown poetry lock-version ${shown(lockVersion)}`, metaLine);
  }
  if (!Array.isArray(doc['package'])) {
    if (lockVersion === undefined)
      return errorResult(path, 'poetry', 'not a poetry.lock: no [[package]] or [metadata]');
    return { file: path, format: 'poetry', packages: [], issues: [], status: 'ok' };
  }
  const nameLines = tableNameLines(content, 'package');
  const legacyFiles = isRecord(metadata['files']) ? metadata['files'] : {};
  const legacyByName = new Map<string, unknown>();
  for (const [k, v] of Object.entries(legacyFiles)) legacyByName.set(normalizeName(k), v);
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const indexUrls: string[] = [];
  doc['package'].forEach((entry, i) => {
    const line = nameLines[i] ?? 1;
    const name = isRecord(entry) ? str(entry['name']) : undefined;
    const version = isRecord(entry) ? str(entry['version']) : undefined;
    if (!isRecord(entry) || !name || !NAME_RE.test(name)) {
      const message = name ? `invalid package name ${shown(name)}` : 'package entry without a name';
      issues.push({ file: path, line, kind: 'error', message });
      return;
    }
    const ref: PackageRef = {
      name: normalizeName(name),
      version: version ?? null,
      hashes: hashesOf(entry['files'] ?? legacyByName.get(normalizeName(name))),
      file: path,
      line,
    };
    if (!version) ref.specifier = '';
    const groups = Array.isArray(entry['groups']) ? entry['groups'].filter((g) => typeof g === 'string') : [];
    const category = str(entry['category']);
    if (groups.length) ref.groups = groups as string[];
    else if (category) ref.groups = [category];
    const markers = str(entry['markers']);
    if (markers) ref.markers = markers;
    const source = isRecord(entry['source']) ? entry['source'] : undefined;
    if (source) {
      const type = str(source['type']);
      const url = str(source['url']);
      if (type === 'git') ref.source = 'vcs';
      else if (type === 'url') ref.source = 'url';
      else if (type === 'file' || type === 'directory') ref.source = 'path';
      else if (url) {
        ref.source = indexSource(url);
        indexUrls.push(url);
      }
      if (url && (type === 'git' || type === 'url' || type === 'file' || type === 'directory')) ref.url = url;
      if (ref.source === undefined) delete ref.source;
    }
    packages.push(ref);
  });
  const result: LockfileResult = { file: path, format: 'poetry', packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
}

function hashesOf(files: unknown): string[] {
  if (!Array.isArray(files)) return [];
  const out: string[] = [];
  for (const f of files) {
    const h = isRecord(f) ? str(f['hash']) : undefined;
    if (h) out.push(normalizeHash(h));
  }
  return [...new Set(out)];
}
