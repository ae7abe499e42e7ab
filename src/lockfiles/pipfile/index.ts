// Pipfile.lock (pipfile-spec 6): default + develop, "version": "==x", per-package index, git/path/file entries.
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { isMap, LineCounter, parseDocument } from 'yaml';
import {
  errorLine,
  errorResult,
  isRecord,
  jsonKeyLine,
  normalizeHash,
  normalizeName,
  str,
} from '../common.js';
import { indexSource } from '../toml.js';

export function parsePipfile(content: string, path: string): LockfileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = String((err as Error).message).split('\n')[0];
    return errorResult(path, 'pipfile', `invalid JSON: ${msg}`, jsonErrorLine(content, err));
  }
  if (!isRecord(doc) || !isRecord(doc['_meta']))
    return errorResult(path, 'pipfile', 'not a Pipfile.lock: no _meta');
  const meta = doc['_meta'];
  const lines = content.split(/\r?\n/);
  const spec = meta['pipfile-spec'];
  if (typeof spec === 'number' && spec > 6) {
    return errorResult(path, 'pipfile', `unknown pipfile-spec ${spec}`, jsonKeyLine(lines, 'pipfile-spec'));
  }
  const sources = new Map<string, string>();
  const indexUrls: string[] = [];
  if (Array.isArray(meta['sources'])) {
    for (const s of meta['sources']) {
      const name = isRecord(s) ? str(s['name']) : undefined;
      const url = isRecord(s) ? str(s['url']) : undefined;
      if (name && url) sources.set(name, url);
      if (url && !indexUrls.includes(url)) indexUrls.push(url);
    }
  }
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  for (const group of ['default', 'develop']) {
    const section = doc[group];
    if (section === undefined) continue;
    const groupLine = jsonKeyLine(lines, group) ?? 1;
    if (!isRecord(section)) {
      issues.push({ file: path, line: groupLine, kind: 'error', message: `"${group}" is not an object` });
      continue;
    }
    for (const [rawName, entry] of Object.entries(section)) {
      const line = jsonKeyLine(lines, rawName, groupLine - 1) ?? groupLine;
      if (!isRecord(entry)) {
        issues.push({ file: path, line, kind: 'error', message: `${rawName}: entry is not an object` });
        continue;
      }
      const version = str(entry['version']);
      const ref: PackageRef = {
        name: normalizeName(rawName),
        version: version ? version.replace(/^===?/, '') : null,
        hashes: Array.isArray(entry['hashes']) ? entry['hashes'].map((h) => normalizeHash(String(h))) : [],
        file: path,
        line,
        groups: [group],
      };
      if (version && !/^===?/.test(version)) {
        ref.version = null;
        ref.specifier = version === '*' ? '' : version;
      } else if (!version) ref.specifier = '';
      const markers = str(entry['markers']);
      if (markers) ref.markers = markers;
      if (Array.isArray(entry['extras']) && entry['extras'].length) ref.extras = entry['extras'].map(String);
      const index = str(entry['index']);
      if (index) {
        const s = indexSource(sources.get(index) ?? index);
        if (s) ref.source = s;
      }
      if (str(entry['git'])) {
        ref.source = 'vcs';
        ref.url = str(entry['git']);
      } else if (str(entry['path'])) {
        if (entry['editable'] === true && /^\.?\/?$/.test(str(entry['path'])!)) {
          issues.push({
            file: path,
            line,
            kind: 'skipped',
            message: `${rawName}: the project itself, nothing to download`,
          });
          continue;
        }
        ref.source = 'path';
        ref.url = str(entry['path']);
      } else if (str(entry['file'])) {
        ref.source = 'url';
        ref.url = str(entry['file']);
      }
      packages.push(ref);
    }
  }
  const result: LockfileResult = { file: path, format: 'pipfile', packages, issues, status: 'ok' };
  if (indexUrls.length) result.indexUrls = indexUrls;
  return result;
}

/**
 * Line of a JSON syntax error. Node 20 does not always give a position, so the text is re-read with the
 * yaml parser (JSON is YAML 1.2 flow syntax), whose errors carry one.
 */
function jsonErrorLine(content: string, err: unknown): number | undefined {
  const pos = /position (\d+)/.exec(String((err as Error).message));
  if (pos) return content.slice(0, Number(pos[1])).split('\n').length;
  const counter = new LineCounter();
  const doc = parseDocument(content, { lineCounter: counter, prettyErrors: false });
  const first = doc.errors[0];
  if (first) return counter.linePos(first.pos[0]).line;
  return isMap(doc.contents) ? errorLine(err) : 1;
}
