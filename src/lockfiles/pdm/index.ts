// pdm.lock: [metadata] lock_version 3.x/4.x, per-package files = [{file|url, hash}], git/path/url packages.
import { z } from 'zod';
import { normalizeName } from '../../names.js';
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { errorResult, findLine, NAME_RE, normalizeHash, shown, tableNameLines } from '../common.js';
import { type DirectFields, fileTables, setDirectSource, strings, text } from '../entry.js';
import { readToml } from '../toml.js';

const KNOWN_MAJORS = new Set([3, 4]);

const Metadata = z.object({
  lock_version: text,
  // Lock format 3 keeps hashes here, under "name version" keys.
  files: z.record(z.string(), z.unknown()).catch({}),
});

const Package = z.object({
  name: text,
  version: text,
  marker: text,
  extras: strings,
  groups: strings,
  // Not parsed here: a `files` of the wrong type still hides the [metadata.files] entry.
  files: z.unknown().optional(),
  git: text,
  path: text,
  url: text,
  editable: z.unknown().optional(),
});

export function parsePdm(content: string, path: string): LockfileResult {
  const read = readToml(content, path, 'pdm');
  if ('error' in read) return read.error;
  const { doc } = read;
  const metadata = Metadata.safeParse(doc['metadata']).data;
  const lockVersion = metadata?.lock_version;
  if (!metadata || !lockVersion)
    return errorResult(path, 'pdm', 'not a pdm.lock: no [metadata] lock_version');
  if (!KNOWN_MAJORS.has(Number(lockVersion.split('.')[0]))) {
    const line = findLine(content.split(/\r?\n/), /lock_version/);
    return errorResult(path, 'pdm', `unknown pdm lock_version ${shown(lockVersion)}`, line);
  }
  const legacyFiles = new Map<string, unknown>();
  for (const [k, v] of Object.entries(metadata.files)) {
    const [n, ver] = k.split(' ');
    legacyFiles.set(`${normalizeName(n ?? '')} ${ver ?? ''}`, v);
  }
  const nameLines = tableNameLines(content, 'package');
  const packages: PackageRef[] = [];
  const seen = new Map<string, PackageRef>();
  const issues: LockfileIssue[] = [];
  const list = Array.isArray(doc['package']) ? doc['package'] : [];
  for (const [i, entry] of list.entries()) {
    const read = readPackage(entry, path, nameLines[i] ?? 1, legacyFiles);
    if ('issue' in read) {
      issues.push(read.issue);
      continue;
    }
    const { ref, direct } = read;
    // pdm writes one entry per extras combination of the same package: list it once.
    const key = `${ref.name}\u0000${ref.version ?? ''}\u0000${ref.markers ?? ''}`;
    const same = seen.get(key);
    if (same && ref.extras) {
      same.extras = [...new Set([...(same.extras ?? []), ...ref.extras])];
      continue;
    }
    const skipped = setDirectSource(ref, direct, ref.name);
    if (skipped) issues.push(skipped);
    else {
      seen.set(key, ref);
      packages.push(ref);
    }
  }
  return { file: path, format: 'pdm', packages, issues, status: 'ok' };
}

/** One [[package]] table as a ref (source not yet set) and the fields that may make it a direct reference. */
function readPackage(
  entry: unknown,
  file: string,
  line: number,
  legacyFiles: Map<string, unknown>,
): { ref: PackageRef; direct: DirectFields } | { issue: LockfileIssue } {
  const pkg = Package.safeParse(entry).data;
  if (!pkg?.name) return { issue: { file, line, kind: 'error', message: 'package entry without a name' } };
  // Old pdm writes extras into the name: 'requests[socks]'.
  const [, baseName, extraList] = /^([^[]+)(?:\[(.*)\])?$/.exec(pkg.name.trim()) ?? [undefined, pkg.name];
  if (!NAME_RE.test(baseName!.trim()))
    return { issue: { file, line, kind: 'error', message: `invalid package name ${shown(pkg.name)}` } };
  const name = normalizeName(baseName!.trim());
  const version = pkg.version ?? null;
  const extras = [
    ...(extraList ? extraList.split(',').map((e) => e.trim()) : []),
    ...(pkg.extras ?? []),
  ].filter(Boolean);
  const { hashes, offIndexUrl } = readFiles(pkg.files ?? legacyFiles.get(`${name} ${version ?? ''}`));
  const ref: PackageRef = { name, version, hashes, file, line };
  if (version === null) ref.specifier = '';
  if (pkg.marker) ref.markers = pkg.marker;
  if (extras.length) ref.extras = extras;
  if (pkg.groups?.length) ref.groups = pkg.groups;
  return {
    ref,
    direct: { git: pkg.git, path: pkg.path, url: pkg.url || offIndexUrl, editable: pkg.editable },
  };
}

/**
 * A package's hashes, and the first file URL off PyPI's file host: `pdm lock --static-urls` writes each
 * file's URL, and one elsewhere is where pdm downloads it from, which no index serves the gate.
 */
function readFiles(files: unknown): { hashes: string[]; offIndexUrl?: string } {
  const hashes = new Set<string>();
  let offIndexUrl: string | undefined;
  for (const f of fileTables.parse(files)) {
    if (f.hash) hashes.add(normalizeHash(f.hash));
    if (f.url && !offIndexUrl && !/^https:\/\/files\.pythonhosted\.org\//.test(f.url)) offIndexUrl = f.url;
  }
  return { hashes: [...hashes], offIndexUrl };
}
