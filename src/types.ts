// The values that flow between pipeline stages. Each stage owns its folder; these types are the
// contract between them (see ARCHITECTURE in the README). Untrusted text stays raw here and is
// escaped only in src/report/escape.ts.

/** Formats a lockfile can be parsed as; the CLI's `--format` takes these ids. */
export type LockfileFormat =
  | 'requirements'
  | 'poetry'
  | 'pipfile'
  | 'uv'
  | 'pdm'
  | 'pylock'
  | 'pyproject'
  | 'conda';

/** Where a package comes from: an index URL, or a direct reference that no index serves. */
export type PackageSource = string | 'url' | 'vcs' | 'path';

export interface PackageRef {
  /** PEP 503 normalized name. */
  name: string;
  /** Exact pinned version, or null when unpinned (then `specifier` says what is allowed). */
  version: string | null;
  specifier?: string;
  /** "sha256:<hex>" (other algorithms keep their own prefix); may be empty. */
  hashes: string[];
  /** Path of the lockfile as given to the parser. */
  file: string;
  /** 1-based line that names the package. */
  line: number;
  /** Index URL when the file names one, else undefined (the default index); or a direct reference kind. */
  source?: PackageSource;
  /** For direct references: the URL or path as written. */
  url?: string;
  markers?: string;
  extras?: string[];
  /** Groups / categories the lockfile puts it in (dev, optional extras, dependency groups). */
  groups?: string[];
  /** 'file:line' of the pip constraint (-c) that pinned or redirected this requirement. */
  constrainedBy?: string;
}

/** Something in a file that could not be turned into a PackageRef: reported, never dropped. */
export interface LockfileIssue {
  file: string;
  line?: number;
  message: string;
  /** 'error' = the file or an entry could not be read; 'skipped' = read but not scannable (e.g. a VCS dep). */
  kind: 'error' | 'skipped';
}

export interface LockfileResult {
  file: string;
  format: LockfileFormat;
  packages: PackageRef[];
  /** Index URLs the file declares (requirements --index-url / --extra-index-url, Pipfile sources, ...). */
  indexUrls?: string[];
  issues: LockfileIssue[];
  /** 'error' when the file as a whole could not be parsed (then packages is empty). */
  status: 'ok' | 'error';
  error?: string;
}

export interface Change {
  kind: 'added' | 'changed' | 'removed';
  /** The package at head (for removed: at base). */
  ref: PackageRef;
  /** For changed: the version (and ref) at base. */
  previous?: PackageRef;
}

export interface DiffResult {
  added: PackageRef[];
  changed: { ref: PackageRef; previous: PackageRef }[];
  removed: PackageRef[];
}

/** A distribution file chosen for analysis and downloaded. */
export interface Artifact {
  ref: PackageRef;
  filename: string;
  kind: 'sdist' | 'wheel' | 'egg' | 'other';
  url: string;
  sha256: string;
  bytes: Uint8Array;
  uploadTime?: string;
}

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.bz2' | 'tar.xz' | 'zip' | 'unknown';

export interface ArchiveEntry {
  /**
   * Entry name as Python's tarfile / zipfile gives it (pax and GNU long names applied, a tar directory
   * without its trailing slash), decoded as UTF-8 with replacement.
   */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'device' | 'other';
  /** Uncompressed size as read (not as the header claims). */
  size: number;
  /**
   * The bytes pip would write at this path, up to the per-file read limit: a file's, a tar link's
   * target member's (links resolved inside the archive), a zip entry's whatever its recorded type.
   * Absent when there are none or they could not be read (the view then has a gap for it).
   */
  data?: Uint8Array;
  truncated?: boolean;
  /** Unix mode bits when the archive records them. */
  mode?: number;
  linkTarget?: string;
  encrypted?: boolean;
  /** Name problems: '..', absolute, NUL, control characters, etc. */
  nameFlags?: string[];
  /** The content starts with another archive's or compressed stream's magic bytes (noted, never opened). */
  nested?: 'gzip' | 'bzip2' | 'xz' | 'zip' | 'tar' | 'zstd' | '7z' | 'rar';
}

export interface ArchiveView {
  format: ArchiveFormat;
  /** What the content is: a wheel (has *.dist-info/WHEEL), an sdist, an egg. */
  kind: 'sdist' | 'wheel' | 'egg' | 'unknown';
  entries: ArchiveEntry[];
  status: 'ok' | 'error';
  error?: string;
  /**
   * Names of the limits that were hit ('totalBytes', 'ratio', 'entries', 'fileBytes', 'depth'). All but
   * 'fileBytes' stop the read and make the status 'error'; 'fileBytes' only cuts big files (`truncated`).
   */
  limitsHit: string[];
  /** Uncompressed bytes read in total. */
  bytesRead: number;
  /** What the reader noticed that is not an error: leading data, skipped corrupt headers, etc. */
  notes?: string[];
  /** Members pip would extract that the reader could not give in full (the package is then unscannable). */
  gaps?: Gap[];
}

/** Severities, weakest first (schemas and orderings use this list). */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** A severity's place in SEVERITIES (low 0 ... critical 3), for comparing and sorting. */
export const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

export const EVIDENCE_CATEGORIES = [
  'process',
  'network',
  'filesystem',
  'sysinfo',
  'credentials',
  'dynamic-code',
  'encoding',
  'obfuscation',
  'persistence',
  'indicator',
  'metadata',
  'files',
  'install-hook',
  'signal',
  'integrity',
] as const;
export type EvidenceCategory = (typeof EVIDENCE_CATEGORIES)[number];

/** One rule hit, located in the package (path inside the archive, 1-based line). */
export interface Evidence {
  rule: string;
  category: EvidenceCategory;
  severity: Severity;
  path: string;
  line: number;
  /** At most 200 characters, raw (escaped by reporters). */
  snippet: string;
  /** Where the code runs: install time, import time, or elsewhere. */
  context?: 'install' | 'import' | 'runtime' | 'test';
  message?: string;
}

export const GAP_STAGES = [
  'resolve',
  'download',
  'archive',
  'decode',
  'parse',
  'analysis',
  'budget',
] as const;
export type GapStage = (typeof GAP_STAGES)[number];

/**
 * Part of what pip could install that the gate did not analyse completely (an unreadable archive or
 * member, a file too large to parse, an undecodable encoding, a budget that ran out, a wheel that was
 * not fetched). A package with any gap cannot be `benign`: its verdict is `unscannable` (fail closed).
 */
export interface Gap {
  /** The stage that could not finish. */
  stage: GapStage;
  /** The artifact's filename, when one artifact is concerned. */
  artifact?: string;
  /** The path inside the artifact, when one member is concerned. */
  path?: string;
  /** What a user can act on: what was not analysed and why. */
  reason: string;
}

export interface Analysis {
  /** Named numeric features, in the order of FEATURE_NAMES (src/features). */
  features: Record<string, number>;
  /** Hashed text-token counts: bucket index -> count. */
  tokens: Record<number, number>;
  evidence: Evidence[];
  /** Files that could not be parsed or decoded, with reasons. */
  notes: string[];
  /** What was not analysed completely; any gap makes the package `unscannable`. */
  gaps?: Gap[];
  /**
   * The file of the strongest located evidence analysed alone with the package's metadata
   * (src/features/unit.ts), when the package has other Python files: the model scores both and keeps the
   * higher, so an implant is not diluted by the project around it.
   */
  unit?: { path: string; features: Record<string, number>; tokens: Record<number, number> };
}

export type VerdictLevel = 'malicious' | 'suspicious' | 'benign';

/** Something the index, OSV or the project's history says about a package (issue: signals). */
export interface Signal {
  id: string;
  severity: Severity;
  message: string;
  /** Whether this signal alone decides 'malicious' (known malware, hash mismatch). */
  decisive?: boolean;
  evidence?: Evidence[];
}

/**
 * What the registry answers when the answer itself can be evidence: the value asked for, or a finding
 * instead of it (a pinned release the index no longer has, bytes that differ from a stated hash, an index
 * the configuration does not name), which goes to policy as a signal. A failure to get any answer
 * (network, HTTP status, size limit, deadline) is thrown and becomes a gap.
 */
export type OrFinding<T> = { ok: true; value: T } | { ok: false; finding: Signal };

export interface ModelScore {
  score: number;
  /** The file scored alone when its score is the package's (src/features/unit.ts). */
  unit?: string;
  /** Feature name -> contribution to the score, largest first (for explaining verdicts). */
  contributions: { feature: string; value: number; weight: number }[];
}

export interface PackageVerdict {
  ref: PackageRef;
  change?: 'added' | 'changed' | 'unchanged';
  previousVersion?: string;
  /** The release scanned for an unpinned ref (the newest that satisfies its specifier). */
  resolvedVersion?: string;
  status: 'ok' | 'error';
  error?: string;
  /**
   * 'unscannable': part of what pip could install was not analysed (see `gaps`); fails by default.
   * Failures outside a package (a bad lockfile entry) are the lockfile's issues, not a verdict.
   */
  verdict: VerdictLevel | 'allowed' | 'unscannable';
  score?: number;
  artifacts: { filename: string; sha256: string; kind: Artifact['kind']; url?: string; score?: number }[];
  evidence: Evidence[];
  signals: Signal[];
  reasons: string[];
  allowedBy?: string;
  /** What was not analysed, when the verdict is (or would be, before an allow entry) 'unscannable'. */
  gaps?: Gap[];
  ms?: number;
}

export interface ScanReport {
  tool: { name: string; version: string; modelVersion?: string };
  mode: 'diff' | 'full';
  lockfiles: LockfileResult[];
  packages: PackageVerdict[];
  counts: {
    /** Packages analysed completely (or malicious from what was read); not unscannable ones. */
    scanned: number;
    malicious: number;
    suspicious: number;
    /** Packages left unscannable (not counting those an allow entry let through). */
    unscannable: number;
    /** Lockfile errors: files that could not be parsed and entries that could not be read. */
    errors: number;
  };
  startedAt: string;
  ms: number;
  /** Packages the configuration's `exclude` left out (not scanned, so not judged). */
  excluded?: { name: string; version: string; file: string; line: number; pattern: string }[];
  /** Set when this run scanned one shard of the package list (`shard: i/n`). */
  shard?: { index: number; count: number; otherShards: number };
  /** Set by `pypi-malware-gate merge`: the reports combined into this one. */
  merged?: { file: string; shard?: string }[];
}
