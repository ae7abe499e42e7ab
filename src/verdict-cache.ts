// The verdict cache across runs: one small JSON file per artifact sha256 and model version, so a package
// scanned once is not downloaded and analysed again. A folder rather than @actions/cache (30 MB of
// dependencies and a start-up cost): on GitHub-hosted runners persist it with an actions/cache step on
// the folder (README); self-hosted runners keep it as is.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactAnalysis, VerdictCache } from './scan.js';

/** $PMG_CACHE_DIR, else $XDG_CACHE_HOME/pypi-malware-gate, else ~/.cache/pypi-malware-gate. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.PMG_CACHE_DIR) return env.PMG_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pypi-malware-gate');
}

const safeKey = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, '_');

/** A cache that never fails a scan: unreadable or unwritable entries are simply misses. */
export function folderVerdictCache(dir: string): VerdictCache {
  return {
    async get(key) {
      try {
        return JSON.parse(readFileSync(join(dir, `${safeKey(key)}.json`), 'utf8')) as ArtifactAnalysis;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${safeKey(key)}.json`);
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(value));
        renameSync(tmp, file);
      } catch {
        // A read-only or full disk costs speed, never the verdict.
      }
    },
  };
}
