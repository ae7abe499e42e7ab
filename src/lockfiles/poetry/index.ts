// poetry.lock, lock formats 1.x (hashes in [metadata.files]) and 2.x (hashes in each package's files).
import { z } from 'zod';
import { normalizeName } from '../../names.js';
import type { LockfileResult, PackageRef } from '../../types.js';
import { errorResult, normalizeHash, shown, tableNameLines } from '../common.js';
import { type EntryAt, type EntryRead, fileTables, namedEntry, readEntries, text } from '../entry.js';
import { indexSource, readToml } from '../toml.js';

const KNOWN_MAJORS = new Set([1, 2]);

const Metadata = z
  .object({
    'lock-version': text,
    // Lock format 1.x keeps hashes here, by package name.
    files: z.record(z.string(), z.unknown()).catch({}),
  })
  .catch({ files: {} });

const Package = z.object({
  name: text,
  version: text,
  // Not parsed here: a `files` of the wrong type still hides the [metadata.files] entry.
  files: z.unknown().optional(),
  groups: z
    .array(z.unknown())
    .transform((groups) => groups.filter((g) => typeof g === 'string'))
    .optional()
    .catch(undefined),
  category: text,
  markers: text,
  source: z.object({ type: text, url: text }).optional().catch(undefined),
});

export function parsePoetry(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'poetry');
  if ('error' in read) return read.error;
  const { doc } = read;
  const metadata = Metadata.parse(doc['metadata']);
  const lockVersion = metadata['lock-version'];
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
  const legacyFiles = new Map<string, unknown>();
  for (const [k, v] of Object.entries(metadata.files)) legacyFiles.set(normalizeName(k), v);
  return readEntries('poetry', path, doc['package'], nameLines, (entry, at, indexUrls) =>
    readPackage(entry, at, indexUrls, legacyFiles),
  );
}

/** One [[package]] table: a ref, or the issue that says why it is not one. Its index joins `indexUrls`. */
function readPackage(
  entry: unknown,
  at: EntryAt,
  indexUrls: string[],
  legacyFiles: Map<string, unknown>,
): EntryRead {
  const read = namedEntry(Package, entry, at);
  if ('issue' in read) return read;
  const { pkg } = read;
  const { file, line } = at;
  const { name } = pkg;
  const ref: PackageRef = {
    name: normalizeName(name),
    version: pkg.version ?? null,
    hashes: hashesOf(pkg.files ?? legacyFiles.get(normalizeName(name))),
    file,
    line,
  };
  if (!pkg.version) ref.specifier = '';
  if (pkg.groups?.length) ref.groups = pkg.groups;
  else if (pkg.category) ref.groups = [pkg.category];
  if (pkg.markers) ref.markers = pkg.markers;
  const { source } = pkg;
  if (source) {
    const { type, url } = source;
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
  return { ref };
}

function hashesOf(files: unknown): string[] {
  const hashes = fileTables.parse(files).flatMap((f) => (f.hash ? [normalizeHash(f.hash)] : []));
  return [...new Set(hashes)];
}
