// pylock.toml / pylock.*.toml (PEP 751, lock-version 1.x): [[packages]] with index, sdist/wheels hashes, vcs/directory/archive.
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import { errorResult, findLine, isRecord, NAME_RE, shown, str, tableNameLines } from '../common.js';
import { indexSource, readToml } from '../toml.js';

export function parsePylock(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pylock');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lines = content.split(/\r?\n/);
  const lockVersion = str(doc['lock-version']);
  if (!lockVersion) return errorResult(path, 'pylock', 'not a pylock.toml: no lock-version');
  if (lockVersion.split('.')[0] !== '1') {
    return errorResult(
      path,
      'pylock',
      `unknown lock-version ${shown(lockVersion)}`,
      findLine(lines, /^\s*lock-version/),
    );
  }
  const nameLines = tableNameLines(content, 'packages');
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const indexUrls: string[] = [];
  const list = Array.isArray(doc['packages']) ? doc['packages'] : [];
  list.forEach((entry, i) => {
    const line = nameLines[i] ?? 1;
    const name = isRecord(entry) ? str(entry['name']) : undefined;
    if (!isRecord(entry) || !name || !NAME_RE.test(name)) {
      const message = name ? `invalid package name ${shown(name)}` : 'package entry without a name';
      issues.push({ file: path, line, kind: 'error', message });
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
    const marker = str(entry['marker']);
    if (marker) ref.markers = marker;
    const index = str(entry['index']);
    if (index) {
      const s = indexSource(index);
      if (s) ref.source = s;
      indexUrls.push(index);
    }
    const addHashes = (file: unknown) => {
      if (!isRecord(file) || !isRecord(file['hashes'])) return;
      for (const [algo, hex] of Object.entries(file['hashes'])) {
        const h = `${algo.toLowerCase()}:${String(hex)}`;
        ref.hashes.push(h);
      }
    };
    addHashes(entry['sdist']);
    if (Array.isArray(entry['wheels'])) for (const w of entry['wheels']) addHashes(w);
    const vcs = isRecord(entry['vcs']) ? entry['vcs'] : undefined;
    const directory = isRecord(entry['directory']) ? entry['directory'] : undefined;
    const archive = isRecord(entry['archive']) ? entry['archive'] : undefined;
    if (vcs) {
      ref.source = 'vcs';
      ref.url = str(vcs['url']) ?? str(vcs['path']);
    } else if (directory) {
      const dir = str(directory['path']) ?? '';
      if (directory['editable'] === true && /^\.?\/?$/.test(dir)) {
        issues.push({
          file: path,
          line,
          kind: 'skipped',
          message: `${name}: the project itself, nothing to download`,
        });
        return;
      }
      ref.source = 'path';
      ref.url = dir;
    } else if (archive) {
      addHashes(archive);
      ref.source = str(archive['url']) ? 'url' : 'path';
      ref.url = str(archive['url']) ?? str(archive['path']);
    }
    ref.hashes = [...new Set(ref.hashes)];
    packages.push(ref);
  });
  const result: LockfileResult = { file: path, format: 'pylock', packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
}
