// pdm.lock: [metadata] lock_version 3.x/4.x, per-package files = [{file|url, hash}], git/path/url packages.
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
import { readToml } from '../toml.js';

const KNOWN_MAJORS = new Set([3, 4]);

export function parsePdm(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pdm');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lines = content.split(/\r?\n/);
  const metadata = isRecord(doc['metadata']) ? doc['metadata'] : undefined;
  const lockVersion = metadata ? str(metadata['lock_version']) : undefined;
  if (!lockVersion) return errorResult(path, 'pdm', 'not a pdm.lock: no [metadata] lock_version');
  if (!KNOWN_MAJORS.has(Number(lockVersion.split('.')[0]))) {
    return errorResult(
      path,
      'pdm',
      `unknown pdm lock_version ${shown(lockVersion)}`,
      findLine(lines, /lock_version/),
    );
  }
  // Lock format 3 keeps hashes in [metadata.files] under "name version" keys.
  const legacy = isRecord(metadata!['files']) ? metadata!['files'] : {};
  const legacyFiles = new Map<string, unknown>();
  for (const [k, v] of Object.entries(legacy)) {
    const [n, ver] = k.split(' ');
    legacyFiles.set(`${normalizeName(n ?? '')} ${ver ?? ''}`, v);
  }
  const nameLines = tableNameLines(content, 'package');
  const packages: PackageRef[] = [];
  const seen = new Map<string, PackageRef>();
  const issues: LockfileIssue[] = [];
  const list = Array.isArray(doc['package']) ? doc['package'] : [];
  list.forEach((entry, i) => {
    const line = nameLines[i] ?? 1;
    const rawName = isRecord(entry) ? str(entry['name']) : undefined;
    if (!isRecord(entry) || !rawName) {
      issues.push({ file: path, line, kind: 'error', message: 'package entry without a name' });
      return;
    }
    // Old pdm writes extras into the name: 'requests[socks]'.
    const [, baseName, extraList] = /^([^[]+)(?:\[(.*)\])?$/.exec(rawName.trim()) ?? [
      undefined,
      rawName,
      undefined,
    ];
    if (!NAME_RE.test(baseName!.trim())) {
      issues.push({ file: path, line, kind: 'error', message: `invalid package name ${shown(rawName)}` });
      return;
    }
    const name = normalizeName(baseName!.trim());
    const version = str(entry['version']) ?? null;
    const extras = [
      ...(extraList ? extraList.split(',').map((e) => e.trim()) : []),
      ...(Array.isArray(entry['extras']) ? entry['extras'].map(String) : []),
    ].filter(Boolean);
    const marker = str(entry['marker']);
    const files = entry['files'] ?? legacyFiles.get(`${name} ${version ?? ''}`);
    const hashes = new Set<string>();
    // `pdm lock --static-urls` writes each file's URL: one off PyPI's file host is where pdm downloads
    // it from, which no index serves the gate.
    let offIndexUrl: string | undefined;
    if (Array.isArray(files)) {
      for (const f of files) {
        const h = isRecord(f) ? str(f['hash']) : undefined;
        if (h) hashes.add(normalizeHash(h));
        const url = isRecord(f) ? str(f['url']) : undefined;
        if (url && !offIndexUrl && !/^https:\/\/files\.pythonhosted\.org\//.test(url)) offIndexUrl = url;
      }
    }
    // pdm writes one entry per extras combination of the same package: list it once.
    const key = `${name}\u0000${version ?? ''}\u0000${marker ?? ''}`;
    const same = seen.get(key);
    if (same && extras.length) {
      same.extras = [...new Set([...(same.extras ?? []), ...extras])];
      return;
    }
    const ref: PackageRef = { name, version, hashes: [...hashes], file: path, line };
    if (version === null) ref.specifier = '';
    if (marker) ref.markers = marker;
    if (extras.length) ref.extras = extras;
    const groups = entry['groups'];
    if (Array.isArray(groups) && groups.length) ref.groups = groups.map(String);
    if (str(entry['git'])) {
      ref.source = 'vcs';
      ref.url = str(entry['git']);
    } else if (str(entry['path'])) {
      if (entry['editable'] === true && /^\.?\/?$/.test(str(entry['path'])!)) {
        issues.push({
          file: path,
          line,
          kind: 'skipped',
          message: `${name}: the project itself, nothing to download`,
        });
        return;
      }
      ref.source = 'path';
      ref.url = str(entry['path']);
    } else if (str(entry['url'])) {
      ref.source = 'url';
      ref.url = str(entry['url']);
    } else if (offIndexUrl) {
      ref.source = 'url';
      ref.url = offIndexUrl;
    }
    seen.set(key, ref);
    packages.push(ref);
  });
  return { file: path, format: 'pdm', packages, issues, status: 'ok' };
}
