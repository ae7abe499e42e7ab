// TOML reading for the lock formats: smol-toml, with its errors turned into a file+line message.
import { parse } from 'smol-toml';
import type { LockfileFormat, LockfileResult } from '../types.js';
import { errorLine, errorResult } from './common.js';

/** The parsed document, or an error result naming the file and line. */
export function readToml(
  content: string,
  path: string,
  format: LockfileFormat,
): { doc: Record<string, unknown> } | { error: LockfileResult } {
  try {
    return { doc: parse(content.replace(/^\uFEFF/, '')) as Record<string, unknown> };
  } catch (err) {
    const first = String((err as Error).message).split('\n')[0];
    return { error: errorResult(path, format, `invalid TOML: ${first}`, errorLine(err)) };
  }
}

/** The default index: packages from it keep `source` undefined. */
export function indexSource(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\/(pypi\.org|pypi\.python\.org)\/(simple|pypi)\/?$/.test(url) ? undefined : url;
}
