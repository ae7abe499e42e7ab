// The verdict cache across runs: one small JSON file per artifact, so a package scanned once is not
// downloaded and analysed again. A folder rather than @actions/cache (30 MB of dependencies and a
// start-up cost): on GitHub-hosted runners persist it with an actions/cache step on the folder (README);
// self-hosted runners keep it as is.
//
// The cache is as hostile as anything else the gate reads (a poisoned actions/cache entry, a shared
// runner): an entry is keyed by the tool version, a digest of the reader, parser, rules and extractor
// (src/analysis-digest.ts), the model version and the artifact's sha256, and it is validated on read:
// an entry that does not parse, does not match the schema, or names another key or sha256 is a miss
// (the artifact is analysed again), never trusted as written.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ANALYSIS_DIGEST } from './analysis-digest.js';
import { PACKAGE_VERSION } from './version.js';
import type { ArtifactAnalysis, VerdictCache, VerdictKey } from './scan.js';
import { EVIDENCE_CATEGORIES, GAP_STAGES, SEVERITIES } from './types.js';

/** $PMG_CACHE_DIR, else $XDG_CACHE_HOME/pypi-malware-gate, else ~/.cache/pypi-malware-gate. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  if (env.PMG_CACHE_DIR) return env.PMG_CACHE_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pypi-malware-gate');
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Everything an entry's validity depends on, in one string. */
export function verdictKeyText(key: VerdictKey): string {
  return `v${PACKAGE_VERSION}:${ANALYSIS_DIGEST}:${key.modelVersion ?? 'no-model'}:${key.sha256.toLowerCase()}`;
}

const evidenceSchema = z.object({
  rule: z.string(),
  category: z.enum(EVIDENCE_CATEGORIES),
  severity: z.enum(SEVERITIES),
  path: z.string(),
  line: z.number().int(),
  snippet: z.string(),
  context: z.enum(['install', 'import', 'runtime', 'test']).optional(),
  message: z.string().optional(),
});

const gapSchema = z.object({
  stage: z.enum(GAP_STAGES),
  artifact: z.string().optional(),
  path: z.string().optional(),
  reason: z.string(),
});

const entrySchema = z.object({
  key: z.string(),
  sha256: z.string().regex(SHA256),
  analysis: z.object({
    score: z.number().min(0).max(1).optional(),
    evidence: z.array(evidenceSchema),
    notes: z.array(z.string()),
    gaps: z.array(gapSchema),
  }),
});

/** File name: a digest of the key text (fixed length, no characters a file system could object to). */
const fileName = (keyText: string): string => `${createHash('sha256').update(keyText).digest('hex')}.json`;

/** Parses a stored entry and returns its analysis only when it is well formed and is the entry asked for. */
export function validEntry(text: string, key: VerdictKey): ArtifactAnalysis | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = entrySchema.safeParse(value);
  if (!parsed.success) return undefined;
  const entry = parsed.data;
  if (entry.key !== verdictKeyText(key) || entry.sha256 !== key.sha256.toLowerCase()) return undefined;
  return entry.analysis as ArtifactAnalysis;
}

/** A cache that never fails a scan: unreadable, unwritable or invalid entries are simply misses. */
export function folderVerdictCache(dir: string): VerdictCache {
  return {
    async get(key) {
      if (!SHA256.test(key.sha256.toLowerCase())) return undefined;
      try {
        return validEntry(readFileSync(join(dir, fileName(verdictKeyText(key))), 'utf8'), key);
      } catch {
        return undefined;
      }
    },
    async set(key, analysis) {
      if (!SHA256.test(key.sha256.toLowerCase())) return;
      try {
        mkdirSync(dir, { recursive: true });
        const keyText = verdictKeyText(key);
        const file = join(dir, fileName(keyText));
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        writeFileSync(tmp, JSON.stringify({ key: keyText, sha256: key.sha256.toLowerCase(), analysis }));
        renameSync(tmp, file);
      } catch {
        // A read-only or full disk costs speed, never the verdict.
      }
    },
  };
}
