// uv.lock (version 1): registry/git/url/path sources, sdist and wheel hashes; the root project is not listed.
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import {
  errorResult,
  findLine,
  isRecord,
  normalizeHash,
  NAME_RE,
  shown,
  str,
  tableNameLines,
} from '../common.js';
import { indexSource, readToml } from '../toml.js';

export function parseUv(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'uv');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lines = content.split(/\r?\n/);
  const version = doc['version'];
  if (version !== 1) {
    const line = findLine(lines, /^\s*version\s*=/);
    return errorResult(path, 'uv', `unknown uv.lock version ${shown(version)} (expected 1)`, line);
  }
  const nameLines = tableNameLines(content, 'package');
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const indexUrls: string[] = [];
  const list = Array.isArray(doc['package']) ? doc['package'] : [];
  list.forEach((entry, i) => {
    const line = nameLines[i] ?? 1;
    const name = isRecord(entry) ? str(entry['name']) : undefined;
    if (!isRecord(entry) || !name || !NAME_RE.test(name)) {
      const message = name ? `invalid package name ${shown(name)}` : 'package entry without a name';
      issues.push({ file: path, line, kind: 'error', message });
      return;
    }
    const source = isRecord(entry['source']) ? entry['source'] : {};
    if (typeof source['editable'] === 'string' || typeof source['virtual'] === 'string') {
      issues.push({
        file: path,
        line,
        kind: 'skipped',
        message: `${name}: local project (editable or virtual), nothing to download`,
      });
      return;
    }
    const ref: PackageRef = {
      name: normalizeName(name),
      version: str(entry['version']) ?? null,
      hashes: [],
      file: path,
      line,
    };
    if (ref.version === null) ref.specifier = '';
    const registry = str(source['registry']);
    if (registry) {
      const s = indexSource(registry);
      if (s) ref.source = s;
      indexUrls.push(registry);
    } else if (str(source['git'])) {
      ref.source = 'vcs';
      ref.url = str(source['git']);
    } else if (str(source['url'])) {
      ref.source = 'url';
      ref.url = str(source['url']);
    } else if (str(source['path']) || str(source['directory'])) {
      ref.source = 'path';
      ref.url = str(source['path']) ?? str(source['directory']);
    }
    const sdist = isRecord(entry['sdist']) ? entry['sdist'] : undefined;
    const add = (h: unknown) => {
      if (typeof h === 'string') ref.hashes.push(normalizeHash(h));
    };
    if (sdist) add(sdist['hash']);
    if (Array.isArray(entry['wheels'])) for (const w of entry['wheels']) if (isRecord(w)) add(w['hash']);
    const markers = entry['resolution-markers'];
    if (Array.isArray(markers) && markers.length) ref.markers = markers.map(String).join(' or ');
    ref.hashes = [...new Set(ref.hashes)];
    packages.push(ref);
  });
  const result: LockfileResult = { file: path, format: 'uv', packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
}
