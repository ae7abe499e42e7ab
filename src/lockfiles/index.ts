// Public API of lockfile resolution: parse, detect, discover, diff.
import type { LockfileResult } from '../types.js';
import { errorResult } from './common.js';
import { detectFormat } from './detect.js';
import type { ParseOptions } from './parser.js';
import { formatById } from './registry.js';

export { detectFormat, formatFromName } from './detect.js';
export { describeChange, diffPackages } from './diff.js';
export { discoverLockfiles, SKIP_DIRS, selectLockfiles } from './discover.js';
export type { ParseOptions } from './parser.js';
export { FORMATS } from './registry.js';

/**
 * Parses one dependency file. Pure: includes are read through opts.readFile. Never throws: a file
 * that cannot be read is a result with status 'error' and a message naming the file and line.
 */
export function parseLockfile(content: string, path: string, opts: ParseOptions = {}): LockfileResult {
  const id = opts.format ?? detectFormat(path, content);
  const def = id ? formatById(id) : undefined;
  if (!def) {
    return errorResult(
      path,
      opts.format ?? 'requirements',
      `cannot tell what kind of dependency file this is${id ? ` (format '${id}')` : ''}`,
    );
  }
  let result: LockfileResult;
  try {
    result = def.parse(content, path, opts);
  } catch (err) {
    // A parser bug must not end the run: it becomes this file's error.
    return errorResult(path, def.id, `internal error while parsing: ${(err as Error).message}`);
  }
  // A file that yields nothing but errors did not parse: say so rather than return an empty list.
  const ownErrors = result.issues.filter((i) => i.kind === 'error' && i.file === path);
  if (result.status === 'ok' && result.packages.length === 0 && ownErrors.length > 0) {
    result.status = 'error';
    const first = ownErrors[0]!;
    result.error = `${first.file}${first.line ? `:${first.line}` : ''}: ${first.message}`;
  }
  return result;
}
