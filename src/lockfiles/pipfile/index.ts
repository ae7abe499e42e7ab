// Pipfile.lock (pipfile-spec 6): default + develop, "version": "==x", per-package index, git/path/file entries.
import type { LockfileIssue, LockfileResult, PackageRef } from '../../types.js';
import { normalizeName } from '../../names.js';
import { isMap, LineCounter, parseDocument } from 'yaml';
import {
  errorLine,
  errorResult,
  isRecord,
  jsonLineKey,
  LineIndex,
  NAME_RE,
  normalizeHash,
  shown,
  str,
} from '../common.js';
import { indexSource } from '../toml.js';

export function parsePipfile(content: string, path: string): LockfileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch (err) {
    // V8's message quotes the text around the error (a token, a workflow command): never shown.
    const msg = /Unexpected end/.test(String((err as Error).message))
      ? 'unexpected end of input'
      : 'syntax error';
    return errorResult(path, 'pipfile', `invalid JSON: ${msg}`, jsonErrorLine(content, err));
  }
  if (!isRecord(doc) || !isRecord(doc['_meta']))
    return errorResult(path, 'pipfile', 'not a Pipfile.lock: no _meta');
  const meta = doc['_meta'];
  const lines = content.split(/\r?\n/);
  const keys = new LineIndex(lines, jsonLineKey);
  const spec = meta['pipfile-spec'];
  if (typeof spec === 'number' && spec > 6) {
    return errorResult(path, 'pipfile', `unknown pipfile-spec ${spec}`, keys.at('pipfile-spec'));
  }
  const sources = new Map<string, string>();
  const indexUrls: string[] = [];
  // pipenv installs a package with no "index" from the first source.
  let defaultIndex: string | undefined;
  if (Array.isArray(meta['sources'])) {
    for (const s of meta['sources']) {
      const name = isRecord(s) ? str(s['name']) : undefined;
      const url = isRecord(s) ? str(s['url']) : undefined;
      if (name && url) sources.set(name, url);
      if (url && defaultIndex === undefined) defaultIndex = url;
      if (url) indexUrls.push(url);
    }
  }
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
      if (!NAME_RE.test(rawName)) {
        issues.push({ file: path, line, kind: 'error', message: `invalid package name ${shown(rawName)}` });
        continue;
      }
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
      const indexUrl = index
        ? (sources.get(index) ?? (/^https?:\/\//i.test(index) ? index : undefined))
        : defaultIndex;
      if (index && indexUrl === undefined && index !== 'pypi') {
        issues.push({
          file: path,
          line,
          kind: 'error',
          message: `${rawName}: its index ${shown(index)} is not one of _meta.sources, so where it comes from is unknown`,
        });
        continue;
      }
      if (indexUrl) {
        const s = indexSource(indexUrl);
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
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
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
