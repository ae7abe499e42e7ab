// pylock.toml / pylock.*.toml (PEP 751, lock-version 1.x): [[packages]] with index, sdist/wheels hashes, vcs/directory/archive.
import { z } from 'zod';
import { normalizeName } from '../../names.js';
import type { LockfileResult, PackageRef } from '../../types.js';
import { errorResult, findLine, isRecord, shown, str, tableNameLines } from '../common.js';
import { asString, type EntryAt, type EntryRead, namedEntry, readEntries, text } from '../entry.js';
import { indexSource, readToml } from '../toml.js';

const Package = z.object({
  name: text,
  version: text,
  marker: text,
  index: text,
  sdist: z.unknown().optional(),
  wheels: z.array(z.unknown()).optional().catch(undefined),
  vcs: z.object({ url: text, path: text }).optional().catch(undefined),
  directory: z.object({ path: text, editable: z.unknown().optional() }).optional().catch(undefined),
  archive: z.object({ url: text, path: text, hashes: z.unknown().optional() }).optional().catch(undefined),
});

export function parsePylock(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pylock');
  if ('error' in read) return read.error;
  const { doc } = read;
  const lockVersion = str(doc['lock-version']);
  if (!lockVersion) return errorResult(path, 'pylock', 'not a pylock.toml: no lock-version');
  if (lockVersion.split('.')[0] !== '1') {
    const line = findLine(content.split(/\r?\n/), /^\s*lock-version/);
    return errorResult(path, 'pylock', `unknown lock-version ${shown(lockVersion)}`, line);
  }
  const nameLines = tableNameLines(content, 'packages');
  const list = Array.isArray(doc['packages']) ? doc['packages'] : [];
  return readEntries('pylock', path, list, nameLines, readPackage);
}

/** One [[packages]] table: a ref, or the issue that says why it is not one. Its index joins `indexUrls`. */
function readPackage(entry: unknown, at: EntryAt, indexUrls: string[]): EntryRead {
  const read = namedEntry(Package, entry, at);
  if ('issue' in read) return read;
  const { pkg } = read;
  const { file, line } = at;
  const { name } = pkg;
  const ref: PackageRef = { name: normalizeName(name), version: pkg.version ?? null, hashes: [], file, line };
  if (ref.version === null) ref.specifier = '';
  if (pkg.marker) ref.markers = pkg.marker;
  if (pkg.index) {
    const s = indexSource(pkg.index);
    if (s) ref.source = s;
    indexUrls.push(pkg.index);
  }
  ref.hashes.push(...fileHashes(pkg.sdist));
  for (const w of pkg.wheels ?? []) ref.hashes.push(...fileHashes(w));
  const { vcs, directory, archive } = pkg;
  if (vcs) {
    ref.source = 'vcs';
    ref.url = vcs.url ?? vcs.path;
  } else if (directory) {
    const dir = directory.path ?? '';
    if (directory.editable === true && /^\.?\/?$/.test(dir))
      return {
        issue: { file, line, kind: 'skipped', message: `${name}: the project itself, nothing to download` },
      };
    ref.source = 'path';
    ref.url = dir;
  } else if (archive) {
    ref.hashes.push(...fileHashes(archive));
    ref.source = archive.url ? 'url' : 'path';
    ref.url = archive.url ?? archive.path;
  }
  ref.hashes = [...new Set(ref.hashes)];
  return { ref };
}

/**
 * A file table's `hashes = {algo = hex}`, each as algo:hex. Read by hand: a zod record drops a
 * `__proto__` key, and no hash the file states may go unchecked.
 */
function fileHashes(file: unknown): string[] {
  if (!isRecord(file) || !isRecord(file['hashes'])) return [];
  return Object.entries(file['hashes']).map(([algo, hex]) => `${algo.toLowerCase()}:${asString(hex)}`);
}
