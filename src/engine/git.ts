// Reads git objects of the checkout without checking anything out: a commit's files are listed with
// `git ls-tree` and read by blob id, so no file of that commit is written to disk or run, and a symlink
// in it is never followed (it is not listed).
import { execFileSync } from 'node:child_process';

export interface GitObjects {
  /** The commit sha a rev names, or undefined when the checkout does not have it. */
  commit(rev: string): string | undefined;
  /** Fetches a commit (a sha or a ref) from origin without checking it out; false when that fails. */
  fetch(rev: string): boolean;
  /** The regular files of a commit: posix path -> blob id (symlinks and submodules left out). */
  files(sha: string): Map<string, string>;
  blob(id: string): Buffer;
}

const MAX_BLOB_BYTES = 64 * 1024 * 1024;

/** The git CLI in `cwd`; no hooks, filters or text conversions run for these plumbing commands. */
export function gitCli(cwd: string): GitObjects {
  const git = (args: string[], maxBuffer = MAX_BLOB_BYTES) =>
    execFileSync('git', args, {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer,
      // A fetch never waits for a password prompt: no credentials means no fetch.
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      timeout: 120_000,
    });
  const listed = new Map<string, Map<string, string>>();
  return {
    commit(rev) {
      if (rev.startsWith('-')) return undefined;
      try {
        return git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
          .toString('utf8')
          .trim();
      } catch {
        return undefined;
      }
    },
    fetch(rev) {
      if (rev.startsWith('-')) return false;
      try {
        // One commit on a shallow checkout (the default); a full clone stays full.
        const shallow = git(['rev-parse', '--is-shallow-repository']).toString('utf8').trim() === 'true';
        git([
          'fetch',
          '--quiet',
          '--no-tags',
          '--no-recurse-submodules',
          ...(shallow ? ['--depth=1'] : []),
          'origin',
          rev,
        ]);
        return true;
      } catch {
        return false;
      }
    },
    files(sha) {
      let files = listed.get(sha);
      if (files) return files;
      files = new Map();
      const out = git(['ls-tree', '-r', '-z', '--full-tree', sha], 1024 * 1024 * 1024).toString('utf8');
      for (const record of out.split('\0')) {
        // "<mode> <type> <id>\t<path>"
        const tab = record.indexOf('\t');
        if (tab < 0) continue;
        const [mode, type, id] = record.slice(0, tab).split(' ');
        if (type === 'blob' && (mode === '100644' || mode === '100755') && id)
          files.set(record.slice(tab + 1), id);
      }
      listed.set(sha, files);
      return files;
    },
    blob(id) {
      return git(['cat-file', 'blob', id]);
    },
  };
}
