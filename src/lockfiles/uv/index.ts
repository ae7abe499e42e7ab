// uv.lock (version 1): registry/git/url/path sources, sdist and wheel hashes; the root project is not listed.
import { z } from 'zod';
import { normalizeName } from '../../names.js';
import type { LockfileResult, PackageRef } from '../../types.js';
import { errorResult, findLine, normalizeHash, shown, tableNameLines } from '../common.js';
import { type EntryAt, type EntryRead, namedEntry, readEntries, strings, text } from '../entry.js';
import { indexSource, readToml } from '../toml.js';

const Hashed = z.object({ hash: text });

const Package = z.object({
  name: text,
  version: text,
  source: z
    .object({
      registry: text,
      git: text,
      url: text,
      path: text,
      directory: text,
      editable: text,
      virtual: text,
    })
    .catch({}),
  sdist: Hashed.optional().catch(undefined),
  wheels: z.array(Hashed.optional().catch(undefined)).optional().catch(undefined),
  'resolution-markers': strings,
});

export function parseUv(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'uv');
  if ('error' in read) return read.error;
  const { doc } = read;
  const version = doc['version'];
  if (version !== 1) {
    const line = findLine(content.split(/\r?\n/), /^\s*version\s*=/);
    return errorResult(path, 'uv', `unknown uv.lock version ${shown(version)} (expected 1)`, line);
  }
  const nameLines = tableNameLines(content, 'package');
  const list = Array.isArray(doc['package']) ? doc['package'] : [];
  return readEntries('uv', path, list, nameLines, readPackage);
}

/** One [[package]] table: a ref, or the issue that says why it is not one. Its registry joins `indexUrls`. */
function readPackage(entry: unknown, at: EntryAt, indexUrls: string[]): EntryRead {
  const read = namedEntry(Package, entry, at);
  if ('issue' in read) return read;
  const { pkg } = read;
  const { file, line } = at;
  const { name, source } = pkg;
  if (source.editable !== undefined || source.virtual !== undefined) {
    const message = `${name}: local project (editable or virtual), nothing to download`;
    return { issue: { file, line, kind: 'skipped', message } };
  }
  const ref: PackageRef = { name: normalizeName(name), version: pkg.version ?? null, hashes: [], file, line };
  if (ref.version === null) ref.specifier = '';
  if (source.registry) {
    const s = indexSource(source.registry);
    if (s) ref.source = s;
    indexUrls.push(source.registry);
  } else if (source.git) {
    ref.source = 'vcs';
    ref.url = source.git;
  } else if (source.url) {
    ref.source = 'url';
    ref.url = source.url;
  } else if (source.path || source.directory) {
    ref.source = 'path';
    ref.url = source.path ?? source.directory;
  }
  for (const f of [pkg.sdist, ...(pkg.wheels ?? [])])
    if (f?.hash !== undefined) ref.hashes.push(normalizeHash(f.hash));
  const markers = pkg['resolution-markers'];
  if (markers?.length) ref.markers = markers.join(' or ');
  ref.hashes = [...new Set(ref.hashes)];
  return { ref };
}
