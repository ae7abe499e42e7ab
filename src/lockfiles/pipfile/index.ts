// Pipfile.lock (pipfile-spec 6): default + develop, "version": "==x", per-package index, git/path/file entries.
import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { normalizeName } from '../../names.js';
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import {
  errorLine,
  errorResult,
  isRecord,
  jsonLineKey,
  LineIndex,
  NAME_RE,
  normalizeHash,
  shown,
} from '../common.js';
import { setDirectSource, strings, text } from '../entry.js';
import { indexSource } from '../toml.js';

const Meta = z.object({
  'pipfile-spec': z.unknown().optional(),
  sources: z.array(z.object({ name: text, url: text }).catch({})).catch([]),
});

const Package = z.object({
  version: text,
  hashes: strings,
  markers: text,
  extras: strings,
  index: text,
  git: text,
  path: text,
  file: text,
  editable: z.unknown().optional(),
});

/** The indexes _meta.sources declares: by name, and the first (pipenv's for a package with no "index"). */
interface Sources {
  byName: Map<string, string>;
  first?: string;
  urls: string[];
}

export function parsePipfile(content: string, path: string): LockfileResult {
  const read = readJson(content, path);
  if ('error' in read) return read.error;
  const { doc } = read;
  const meta = isRecord(doc) ? Meta.safeParse(doc['_meta']).data : undefined;
  if (!isRecord(doc) || !meta) return errorResult(path, 'pipfile', 'not a Pipfile.lock: no _meta');
  const keys = new LineIndex(content.split(/\r?\n/), jsonLineKey);
  const spec = meta['pipfile-spec'];
  if (typeof spec === 'number' && spec > 6) {
    return errorResult(path, 'pipfile', `unknown pipfile-spec ${spec}`, keys.at('pipfile-spec'));
  }
  const sources = readSources(meta.sources);
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  for (const group of ['default', 'develop']) {
    const section = doc[group];
    if (section === undefined) continue;
    const groupLine = keys.at(group) ?? 1;
    if (!isRecord(section)) {
      issues.push({ file: path, line: groupLine, kind: 'error', message: `"${group}" is not an object` });
      continue;
    }
    for (const [rawName, entry] of Object.entries(section)) {
      const line = keys.at(rawName, groupLine) ?? groupLine;
      const read = readPackage(rawName, entry, { file: path, line, group }, sources);
      if ('issue' in read) issues.push(read.issue);
      else packages.push(read.ref);
    }
  }
  const result: LockfileResult = { file: path, format: 'pipfile', packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (sources.urls.length) result.indexUrls = [...new Set(sources.urls)];
  return result;
}

/** The document, or an error naming the line. */
function readJson(content: string, path: string): { doc: unknown } | { error: LockfileResult } {
  try {
    return { doc: JSON.parse(content.replace(/^\uFEFF/, '')) };
  } catch (err) {
    // V8's message quotes the text around the error (a token, a workflow command): never shown.
    const msg = /Unexpected end/.test(String((err as Error).message))
      ? 'unexpected end of input'
      : 'syntax error';
    return { error: errorResult(path, 'pipfile', `invalid JSON: ${msg}`, jsonErrorLine(content, err)) };
  }
}

function readSources(sources: z.infer<typeof Meta>['sources']): Sources {
  const found: Sources = { byName: new Map(), urls: [] };
  for (const { name, url } of sources) {
    if (name && url) found.byName.set(name, url);
    if (url && found.first === undefined) found.first = url;
    if (url) found.urls.push(url);
  }
  return found;
}

/** One entry of "default" or "develop": a ref, or the issue that says why it is not one. */
function readPackage(
  rawName: string,
  entry: unknown,
  where: { file: string; line: number; group: string },
  sources: Sources,
): { ref: PackageRef } | { issue: LockfileIssue } {
  const { file, line, group } = where;
  const issue = (message: string) => ({ issue: { file, line, kind: 'error' as const, message } });
  if (!NAME_RE.test(rawName)) return issue(`invalid package name ${shown(rawName)}`);
  const pkg = Package.safeParse(entry).data;
  if (!pkg) return issue(`${rawName}: entry is not an object`);
  const { version } = pkg;
  const ref: PackageRef = {
    name: normalizeName(rawName),
    version: version ? version.replace(/^===?/, '') : null,
    hashes: (pkg.hashes ?? []).map(normalizeHash),
    file,
    line,
    groups: [group],
  };
  if (version && !/^===?/.test(version)) {
    ref.version = null;
    ref.specifier = version === '*' ? '' : version;
  } else if (!version) ref.specifier = '';
  if (pkg.markers) ref.markers = pkg.markers;
  if (pkg.extras?.length) ref.extras = pkg.extras;
  const { index } = pkg;
  const indexUrl = index
    ? (sources.byName.get(index) ?? (/^https?:\/\//i.test(index) ? index : undefined))
    : sources.first;
  if (index && indexUrl === undefined && index !== 'pypi')
    return issue(
      `${rawName}: its index ${shown(index)} is not one of _meta.sources, so where it comes from is unknown`,
    );
  if (indexUrl) {
    const s = indexSource(indexUrl);
    if (s) ref.source = s;
  }
  const skipped = setDirectSource(
    ref,
    { git: pkg.git, path: pkg.path, url: pkg.file, editable: pkg.editable },
    rawName,
  );
  return skipped ? { issue: skipped } : { ref };
}

/**
 * Line of a JSON syntax error. Node 20 does not always give a position, so the text is re-read with the
 * yaml parser (JSON is YAML 1.2 flow syntax), whose errors carry one.
 */
function jsonErrorLine(content: string, err: unknown): number | undefined {
  const pos = /position (\d+)/.exec(String((err as Error).message));
  if (pos) return content.slice(0, Number(pos[1])).split('\n').length;
  if (/Unexpected end/.test(String((err as Error).message))) return content.split('\n').length;
  // The yaml parser takes seconds on a megabyte of nesting: past this size the message names the file only.
  if (content.length > 256 * 1024) return undefined;
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) return counter.linePos(first.pos[0]).line;
  return isMap(doc.contents) ? errorLine(err) : 1;
}
