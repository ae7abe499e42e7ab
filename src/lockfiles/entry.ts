// Reading one package entry of a lock file: lenient zod field shapes, and the git/path/url direct reference
// pdm.lock and Pipfile.lock write alike.
import { z } from 'zod';
import type { LockfileFormat, LockfileIssue, LockfileResult, PackageRef } from '../types.js';
import { NAME_RE, shown } from './common.js';

// A field of the wrong type reads as absent rather than failing its entry, so one odd field costs the
// entry nothing it would not cost pip; an entry that is not a table or object fails on its own (the parser
// reports it at its line) and the rest of the file still parses.

/** A string field, or undefined. */
export const text = z.string().optional().catch(undefined);

/**
 * String(), except for what it cannot convert: smol-toml's tables have no prototype, and String() threw on
 * one (making a whole pdm.lock an internal error); such an item reads as a JSON object does.
 */
export const asString = (item: unknown): string => {
  try {
    return String(item);
  } catch {
    return '[object Object]';
  }
};

/** An array field with each item as a string, or undefined. */
export const strings = z
  .array(z.unknown())
  .transform((items) => items.map(asString))
  .optional()
  .catch(undefined);

/** `files = [{url, hash}]` (pdm, poetry): an item that is not a table reads as empty. */
export const fileTables = z.array(z.object({ hash: text, url: text }).catch({})).catch([]);

/** Where an entry is: the file, and the line of its table's name. */
export interface EntryAt {
  file: string;
  line: number;
}

export type EntryRead = { ref: PackageRef } | { issue: LockfileIssue };

/**
 * A lock file's result from its list of package tables: each entry read at its line into a ref or an issue
 * (one bad entry never fails the file), and each index an entry names (`read` adds them) listed once.
 */
export function readEntries(
  format: LockfileFormat,
  file: string,
  list: unknown[],
  lines: number[],
  read: (entry: unknown, at: EntryAt, indexUrls: string[]) => EntryRead,
): LockfileResult {
  const packages: PackageRef[] = [];
  const issues: LockfileIssue[] = [];
  const indexUrls: string[] = [];
  for (const [i, entry] of list.entries()) {
    const one = read(entry, { file, line: lines[i] ?? 1 }, indexUrls);
    if ('issue' in one) issues.push(one.issue);
    else packages.push(one.ref);
  }
  const result: LockfileResult = { file, format, packages, issues, status: 'ok' };
  // Deduplicated once: an includes() per package was quadratic in distinct indexes.
  if (indexUrls.length) result.indexUrls = [...new Set(indexUrls)];
  return result;
}

/** An entry read through its schema, when it has a valid `name`; else the error at its line. */
export function namedEntry<T extends { name?: string }>(
  schema: z.ZodType<T>,
  entry: unknown,
  { file, line }: EntryAt,
): { pkg: T & { name: string } } | { issue: LockfileIssue } {
  const pkg = schema.safeParse(entry).data;
  const name = pkg?.name;
  if (!pkg || !name || !NAME_RE.test(name)) {
    const message = name ? `invalid package name ${shown(name)}` : 'package entry without a name';
    return { issue: { file, line, kind: 'error', message } };
  }
  return { pkg: { ...pkg, name } };
}

/** The fields that make an entry a direct reference. */
export interface DirectFields {
  git?: string;
  path?: string;
  /** The archive URL or file (pdm `url`, Pipfile.lock `file`). */
  url?: string;
  editable?: unknown;
}

/**
 * Sets `source` and `url` from a git, path or url field (checked in that order; empty means absent). The
 * project itself (an editable path `.`) is not a package to download: that is returned as a skipped issue.
 */
export function setDirectSource(
  ref: PackageRef,
  fields: DirectFields,
  label: string,
): LockfileIssue | undefined {
  if (fields.git) {
    ref.source = 'vcs';
    ref.url = fields.git;
  } else if (fields.path) {
    if (fields.editable === true && /^\.?\/?$/.test(fields.path))
      return {
        file: ref.file,
        line: ref.line,
        kind: 'skipped',
        message: `${label}: the project itself, nothing to download`,
      };
    ref.source = 'path';
    ref.url = fields.path;
  } else if (fields.url) {
    ref.source = 'url';
    ref.url = fields.url;
  }
  return undefined;
}
