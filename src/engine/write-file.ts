// Report files are created, never written through: a temp file made with O_EXCL in the target's folder,
// then renamed over the target. A symlink at the target (committed in a pull request to redirect the
// report outside the workspace) is refused, and so is a folder that resolves outside the root.
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { insidePath } from './tree.js';

export class UnsafeOutputError extends Error {
  override name = 'UnsafeOutputError';
}

/**
 * Writes `content` to `path` as a new file. With `root`, `path` is relative to it and must stay inside
 * it (through symlinked folders too); without, `path` is the user's own choice (the CLI's --output).
 * Returns the absolute path written.
 */
export function writeNewFile(path: string, content: string, root?: string): string {
  let target: string;
  if (root !== undefined) {
    const rel = insidePath(path);
    if (rel === undefined)
      throw new UnsafeOutputError(`${path}: a report path must stay inside the workspace`);
    target = join(root, rel);
    mkdirSync(dirname(target), { recursive: true });
    const realRoot = realpathSync(root);
    const realDir = realpathSync(dirname(target));
    const fromRoot = relative(realRoot, realDir);
    if (fromRoot.startsWith('..') || isAbsolute(fromRoot))
      throw new UnsafeOutputError(`${path}: its folder resolves outside the workspace`);
  } else {
    target = resolve(path);
    mkdirSync(dirname(target), { recursive: true });
  }
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(target);
  } catch {
    existing = undefined;
  }
  if (existing?.isSymbolicLink()) throw new UnsafeOutputError(`${path}: refusing to write through a symlink`);
  if (existing && !existing.isFile()) throw new UnsafeOutputError(`${path}: exists and is not a file`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
    renameSync(temp, target);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  return target;
}
