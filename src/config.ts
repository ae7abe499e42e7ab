// Configuration, parsed and validated once: the config file (YAML), then action inputs or CLI flags on
// top. Defaults live here, in the schema, not in action.yml: the runner passes every action.yml default
// as if the user had set it, so a default there would always override the config file.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { AllowEntry } from './policy.js';
import { DEFAULT_PLATFORMS, KNOWN_PLATFORMS } from './registry/tags.js';
import { SEVERITIES } from './types.js';

/** A user mistake in configuration: reported as one clear message, exit code 2 in the CLI. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The levels of fail-on (config file, action input, CLI flag). */
export const FAIL_ON = ['malicious', 'suspicious', 'never'] as const;
const failOn = z.enum(FAIL_ON);
const commentMode = z.enum(['auto', 'always', 'never']);
const severity = z.enum(SEVERITIES);
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => !Number.isNaN(new Date(v).getTime()), 'expires must be a date (YYYY-MM-DD)');

const allowEntry = z.strictObject({
  package: z.string().min(1),
  version: z.union([z.string(), z.number()]).transform(String).optional(),
  sha256: z
    .string()
    .regex(/^(sha256:)?[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits')
    .optional(),
  reason: z.string().min(1, 'every allow entry needs a reason'),
  expires: isoDate.optional(),
});

const ruleSetting = z.strictObject({ enabled: z.boolean().optional(), severity: severity.optional() });

/** The config file: every key optional; unknown keys are errors. */
export const fileSchema = z.strictObject({
  'fail-on': failOn.optional(),
  'fail-on-unscannable': z.boolean().optional(),
  comment: commentMode.optional(),
  'index-url': z.url().optional(),
  'extra-index-urls': z.array(z.url()).optional(),
  /** Indexes a lockfile may lock packages to besides index-url and extra-index-urls (they get no token). */
  'allowed-indexes': z.array(z.url()).optional(),
  /** Where the project runs: pip's pick of wheel for each is analysed. */
  platforms: z
    .array(z.enum(KNOWN_PLATFORMS as [string, ...string[]]))
    .min(1)
    .optional(),
  'max-artifact-mb': z.number().positive().optional(),
  /** CPU seconds one package's analysis may take before it stops and the package is unscannable. */
  'analysis-budget-seconds': z.number().positive().max(3600).optional(),
  lockfiles: z.array(z.string()).optional(),
  /** Packages (PEP 503 name globs) or lockfiles (path globs) not to scan; each one left out is reported. */
  exclude: z.array(z.string().min(1)).optional(),
  osv: z.boolean().optional(),
  allow: z.array(allowEntry).optional(),
  rules: z.record(z.string(), ruleSetting).optional(),
});
export type FileConfig = z.infer<typeof fileSchema>;

export interface Config {
  lockfiles: string[];
  mode: 'auto' | 'diff' | 'full';
  baseRef?: string;
  headRef?: string;
  failOn: z.infer<typeof failOn>;
  /** Whether an unscannable package (not analysed completely) fails the check; false makes it a warning. */
  failOnUnscannable: boolean;
  comment: z.infer<typeof commentMode>;
  indexUrl: string;
  extraIndexUrls: string[];
  /** Config file only: further indexes a lockfile may name (never sent the token). */
  allowedIndexes: string[];
  /** Config file only: target platform ids (src/registry/tags.ts). */
  platforms: string[];
  indexToken?: string;
  sarifFile: string;
  maxArtifactMb: number;
  /** CPU seconds per package's analysis (src/features/budget.ts); past it the package is unscannable. */
  analysisBudgetSeconds: number;
  cache: boolean;
  auditIssue: boolean;
  osv: boolean;
  osvUrl: string;
  /** Package-name or lockfile-path globs left out of the scan (reported, never silent). */
  exclude: string[];
  /** Scan only this part of the package list (1-based index of count), for a matrix of jobs. */
  shard?: { index: number; count: number };
  /** Where the config file was read from (relative to the workspace). */
  configFile: string;
  allow: AllowEntry[];
  rules: Record<string, { enabled?: boolean; severity?: z.infer<typeof severity> }>;
}

export const DEFAULTS = {
  mode: 'auto',
  failOn: 'malicious',
  failOnUnscannable: true,
  comment: 'auto',
  indexUrl: 'https://pypi.org/simple/',
  sarifFile: 'pypi-malware-gate.sarif',
  maxArtifactMb: 50,
  analysisBudgetSeconds: 120,
  cache: true,
  auditIssue: false,
  osv: true,
  osvUrl: 'https://api.osv.dev',
  configFile: '.github/pypi-malware-gate.yml',
} as const;

/**
 * Every setting an action input or a CLI flag can give, by its RawSettings key: the input's name (the CLI
 * flag has the same name), how a flag takes it, and what its default is called in the docs. A meta-test
 * holds this, action.yml and the CLI's flags together; the runtime defaults are DEFAULTS above.
 */
export const SETTINGS: Record<
  keyof RawSettings,
  {
    input: string;
    /** bool: `--x` / `--no-x`; list: the flag repeats; string: one value. */
    kind: 'string' | 'list' | 'bool';
    /** Other CLI spellings (kept from earlier releases or shorter to type). */
    aliases?: string[];
    /** The default as the README states it. */
    doc: string;
    /** What the CLI does when the flag is not given, where that differs from the action. */
    cliDoc?: string;
    /** Set only where the action publishes to GitHub: the CLI has no flag for it. */
    actionOnly?: true;
  }
> = {
  lockfiles: { input: 'lockfiles', kind: 'list', aliases: ['lockfile'], doc: 'discover' },
  mode: { input: 'mode', kind: 'string', doc: `\`${DEFAULTS.mode}\`` },
  baseRef: {
    input: 'base-ref',
    kind: 'string',
    aliases: ['base'],
    doc: 'the pull request base',
    cliDoc: 'none: scan every pin',
  },
  headRef: {
    input: 'head-ref',
    kind: 'string',
    aliases: ['head'],
    doc: 'the checkout (`pull_request_target`: the pull request head, read from git objects)',
    cliDoc: 'the folder',
  },
  failOn: { input: 'fail-on', kind: 'string', doc: `\`${DEFAULTS.failOn}\`` },
  failOnUnscannable: {
    input: 'fail-on-unscannable',
    kind: 'bool',
    doc: `\`${DEFAULTS.failOnUnscannable}\``,
  },
  comment: { input: 'comment', kind: 'string', doc: `\`${DEFAULTS.comment}\``, actionOnly: true },
  indexUrl: { input: 'index-url', kind: 'string', doc: `\`${DEFAULTS.indexUrl}\`` },
  extraIndexUrls: { input: 'extra-index-urls', kind: 'list', doc: 'none' },
  indexToken: { input: 'index-token', kind: 'string', doc: 'none' },
  sarifFile: {
    input: 'sarif-file',
    kind: 'string',
    doc: `\`${DEFAULTS.sarifFile}\``,
    cliDoc: 'none (SARIF is written only when asked)',
  },
  maxArtifactMb: { input: 'max-artifact-mb', kind: 'string', doc: `\`${DEFAULTS.maxArtifactMb}\`` },
  analysisBudgetSeconds: {
    input: 'analysis-budget-seconds',
    kind: 'string',
    doc: `\`${DEFAULTS.analysisBudgetSeconds}\``,
  },
  cache: { input: 'cache', kind: 'bool', doc: `\`${DEFAULTS.cache}\`` },
  auditIssue: { input: 'audit-issue', kind: 'bool', doc: `\`${DEFAULTS.auditIssue}\``, actionOnly: true },
  osv: { input: 'osv', kind: 'bool', doc: `\`${DEFAULTS.osv}\`` },
  osvUrl: { input: 'osv-url', kind: 'string', doc: `\`${DEFAULTS.osvUrl}\`` },
  configFile: {
    input: 'config-file',
    kind: 'string',
    aliases: ['config'],
    doc: `\`${DEFAULTS.configFile}\``,
  },
  exclude: { input: 'exclude', kind: 'list', doc: 'none' },
  shard: { input: 'shard', kind: 'string', doc: 'none: every package' },
};

/**
 * An unquoted allow `version: 1.10` is the YAML number 1.1: take what was written instead, so the entry
 * matches release 1.10 and not 1.1.
 */
function keepVersionsAsWritten(doc: ReturnType<typeof parseDocument>): void {
  const allow = isMap(doc.contents) ? doc.contents.get('allow', true) : undefined;
  if (!isSeq(allow)) return;
  for (const item of allow.items) {
    const version = isMap(item) ? item.get('version', true) : undefined;
    if (isScalar(version) && typeof version.value === 'number')
      version.value = version.source ?? String(version.value);
  }
}

/** Parse and validate the config file; errors name the file and line. */
export function parseConfigFile(text: string, file: string): FileConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
    throw new ConfigurationError(`${file}:${line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  keepVersionsAsWritten(doc);
  const value = doc.toJS() ?? {};
  const parsed = fileSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    let path = issue.path as (string | number)[];
    let what = issue.message;
    if (issue.code === 'unrecognized_keys') {
      path = [...path, issue.keys[0]!];
      what = `unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    // Point at the key (for unknown keys) or the value's node.
    let line: number | undefined;
    for (let depth = path.length; depth >= 0 && line === undefined; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
    }
    if (issue.code === 'unrecognized_keys') {
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
      const pair = (
        parent as { items?: { key: { value?: unknown; range?: [number, number, number] } }[] }
      )?.items?.find((p) => p.key?.value === path[path.length - 1]);
      if (pair?.key.range) line = lineCounter.linePos(pair.key.range[0]).line;
    }
    return `${file}:${line ?? 1}: ${path.join('.') || '(top level)'}: ${what}`;
  });
  throw new ConfigurationError(messages.join('\n'));
}

/** Settings from action inputs or CLI flags; empty strings and undefined mean "not set". */
export interface RawSettings {
  lockfiles?: string;
  mode?: string;
  baseRef?: string;
  headRef?: string;
  failOn?: string;
  failOnUnscannable?: string;
  comment?: string;
  indexUrl?: string;
  extraIndexUrls?: string;
  indexToken?: string;
  sarifFile?: string;
  maxArtifactMb?: string;
  analysisBudgetSeconds?: string;
  cache?: string;
  auditIssue?: string;
  osv?: string;
  osvUrl?: string;
  configFile?: string;
  exclude?: string;
  shard?: string;
}

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
const set = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === '' ? undefined : s.trim();

function pick<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  const v = set(value);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new ConfigurationError(`${name} must be one of ${allowed.join(' | ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  const v = set(value)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new ConfigurationError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function url(name: string, value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    return value;
  } catch {
    throw new ConfigurationError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
}

/** `i/n` (1 <= i <= n <= 1000): the i-th of n deterministic parts of the package list. */
function shard(value: string | undefined): Config['shard'] {
  const v = set(value);
  if (v === undefined) return undefined;
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(v);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count > 1000 || index > count)
    throw new ConfigurationError(
      `shard must be i/n with 1 <= i <= n <= 1000 (e.g. 2/4), got ${JSON.stringify(v)}`,
    );
  return { index, count };
}

/** The per-package analysis budget in CPU seconds: the input or flag over the file over the default. */
function budgetSeconds(value: string | undefined, file: FileConfig): number {
  const v = set(value);
  if (v === undefined) return file['analysis-budget-seconds'] ?? DEFAULTS.analysisBudgetSeconds;
  const seconds = Number(v);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new ConfigurationError(
      `analysis-budget-seconds must be a number of seconds above 0 and at most 3600, got ${JSON.stringify(v)}`,
    );
  return seconds;
}

/** Merge: settings (inputs / flags) over the config file over the defaults. */
export function resolveConfig(raw: RawSettings, file: FileConfig = {}): Config {
  const maxMb = set(raw.maxArtifactMb);
  const maxArtifactMb =
    maxMb === undefined ? (file['max-artifact-mb'] ?? DEFAULTS.maxArtifactMb) : Number(maxMb);
  if (!Number.isFinite(maxArtifactMb) || maxArtifactMb <= 0) {
    throw new ConfigurationError(`max-artifact-mb must be a positive number, got ${JSON.stringify(maxMb)}`);
  }
  const extra = list(raw.extraIndexUrls);
  return {
    lockfiles: list(raw.lockfiles).length > 0 ? list(raw.lockfiles) : (file.lockfiles ?? []),
    mode: pick('mode', raw.mode, ['auto', 'diff', 'full'] as const) ?? DEFAULTS.mode,
    baseRef: set(raw.baseRef),
    headRef: set(raw.headRef),
    failOn: pick('fail-on', raw.failOn, failOn.options) ?? file['fail-on'] ?? DEFAULTS.failOn,
    failOnUnscannable: bool(
      'fail-on-unscannable',
      raw.failOnUnscannable,
      file['fail-on-unscannable'] ?? DEFAULTS.failOnUnscannable,
    ),
    comment: pick('comment', raw.comment, commentMode.options) ?? file.comment ?? DEFAULTS.comment,
    indexUrl: url('index-url', set(raw.indexUrl) ?? file['index-url'] ?? DEFAULTS.indexUrl),
    extraIndexUrls: (extra.length > 0 ? extra : (file['extra-index-urls'] ?? [])).map((u) =>
      url('extra-index-urls', u),
    ),
    allowedIndexes: (file['allowed-indexes'] ?? []).map((u) => url('allowed-indexes', u)),
    platforms: file.platforms ?? [...DEFAULT_PLATFORMS],
    indexToken: set(raw.indexToken),
    sarifFile: set(raw.sarifFile) ?? DEFAULTS.sarifFile,
    maxArtifactMb,
    analysisBudgetSeconds: budgetSeconds(raw.analysisBudgetSeconds, file),
    cache: bool('cache', raw.cache, DEFAULTS.cache),
    auditIssue: bool('audit-issue', raw.auditIssue, DEFAULTS.auditIssue),
    osv: bool('osv', raw.osv, file.osv ?? DEFAULTS.osv),
    osvUrl: url('osv-url', set(raw.osvUrl) ?? DEFAULTS.osvUrl),
    configFile: set(raw.configFile) ?? DEFAULTS.configFile,
    exclude: list(raw.exclude).length > 0 ? list(raw.exclude) : (file.exclude ?? []),
    shard: shard(raw.shard),
    allow: (file.allow ?? []) as AllowEntry[],
    rules: file.rules ?? {},
  };
}
