// Where lockfiles and the config file are read from: the checkout on disk, or a commit's git objects.
// Both refuse what would leave the workspace: absolute paths, '..', anything under .git/, and (on disk)
// a symlink whose target is outside the checkout.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { glob } from 'tinyglobby';
import { SKIP_DIRS } from '../lockfiles/index.js';
import type { GitObjects } from './git.js';

export interface SourceTree {
  /** What the reads come from, for messages: "the checkout" or "commit 1a2b3c4d". */
  label: string;
  /** The commit sha, for a tree read from git objects. */
  sha?: string;
  /** Content of a workspace-relative path; undefined when absent or refused. */
  read(path: string): string | undefined;
  /** Workspace-relative posix paths of the regular files matching the globs (no symlinks followed). */
  glob(patterns: string[], ignore?: string[]): Promise<string[]>;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** A workspace-relative posix path with '.' segments removed, or undefined when it would leave the root. */
export function insidePath(path: string): string | undefined {
  if (path === '' || path.includes('\0') || isAbsolute(path) || /^[a-zA-Z]:/.test(path)) return undefined;
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  if (parts.length === 0 || parts[0]!.toLowerCase() === '.git') return undefined;
  return parts.join('/');
}

/** Text as pip reads a requirements file: a UTF-16 or UTF-8 byte-order mark decides, else UTF-8. */
export function decodeFileText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

const ignoreGlobs = (dirs: string[]) => dirs.map((d) => `**/${d}/**`);

/** The checkout on disk. A symlink is read only when its target stays inside the checkout. */
export function checkoutTree(root: string): SourceTree {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    realRoot = root;
  }
  const inside = (abs: string) => {
    const rel = relative(realRoot, abs);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  return {
    label: 'the checkout',
    read(path) {
      const rel = insidePath(path);
      if (rel === undefined) return undefined;
      try {
        const real = realpathSync(join(root, rel));
        if (!inside(real) || insidePath(relative(realRoot, real)) === undefined) return undefined;
        const stat = lstatSync(real);
        if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
        return decodeFileText(readFileSync(real));
      } catch {
        return undefined;
      }
    },
    async glob(patterns, ignore = SKIP_DIRS) {
      const found = await glob(patterns, {
        cwd: root,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        expandDirectories: false,
        ignore: ignoreGlobs(ignore),
      });
      // Regular files only: a symlink is not a lockfile the gate lists, wherever it points.
      return found
        .filter((p) => {
          if (insidePath(p) !== p) return false;
          try {
            return lstatSync(join(root, p)).isFile();
          } catch {
            return false;
          }
        })
        .sort();
    },
  };
}

/** A commit's files, read from git objects (never checked out). */
export function commitTree(git: GitObjects, sha: string): SourceTree {
  return {
    label: `commit ${sha.slice(0, 12)}`,
    sha,
    read(path) {
      const rel = insidePath(path);
      const id = rel === undefined ? undefined : git.files(sha).get(rel);
      if (id === undefined) return undefined;
      const bytes = git.blob(id);
      return bytes.length > MAX_FILE_BYTES ? undefined : decodeFileText(bytes);
    },
    async glob(patterns, ignore = SKIP_DIRS) {
      const match = picomatch(patterns, { dot: true, ignore: ignoreGlobs(ignore) });
      return [...git.files(sha).keys()].filter((p) => match(p)).sort();
    },
  };
}
