// Which config file a run trusts. On a pull request the file comes from the base commit: the PR's own
// version could allowlist its package, set fail-on: never or point lockfiles at nothing. The head's
// version is compared with it and a change is reported (it takes effect after merge). Without a base
// (a push, a schedule, the CLI without --base) the checkout is the trusted commit.
import {
  type Config,
  ConfigurationError,
  type FileConfig,
  parseConfigFile,
  type RawSettings,
  resolveConfig,
} from '../config.js';
import { insidePath, type SourceTree } from './tree.js';

export interface ConfigSources {
  /** The tree the lockfiles are read from (the PR head on pull requests). */
  head: SourceTree;
  /** The base commit's content of a path (null: absent), when there is a base. */
  readBase?: (path: string) => Promise<string | null>;
  baseLabel?: string;
  /** A file in another repository (the action's contents API), for a central config file. */
  readExternal?: (
    repository: { owner: string; repo: string },
    path: string,
    ref: string,
  ) => Promise<string | null>;
}

/**
 * `OWNER/REPO/PATH@REF`: a config file kept in another repository (as dependency-review-action allows), so
 * an organisation's repositories share one policy. A pull request cannot change it.
 */
const EXTERNAL = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/([^@\s]+)@([^@\s]+)$/;

export function externalConfig(
  configFile: string,
): { owner: string; repo: string; path: string; ref: string } | undefined {
  const m = EXTERNAL.exec(configFile);
  if (!m) return undefined;
  const path = insidePath(m[3]!);
  if (path === undefined) return undefined;
  return { owner: m[1]!, repo: m[2]!, path, ref: m[4]! };
}

export async function loadTrustedConfig(
  settings: RawSettings,
  configFile: string,
  sources: ConfigSources,
): Promise<{ config: Config; change?: string }> {
  const external = externalConfig(configFile);
  if (external) {
    const where = `${external.owner}/${external.repo}/${external.path}@${external.ref}`;
    if (!sources.readExternal)
      throw new ConfigurationError(
        `config-file ${where} is in another repository: the action reads it with github-token; the CLI takes a local file`,
      );
    let text: string | null;
    try {
      text = await sources.readExternal(external, external.path, external.ref);
    } catch (err) {
      throw new ConfigurationError(
        `cannot read config-file ${where} (does github-token have contents: read on ${external.owner}/${external.repo}?): ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (text === null) throw new ConfigurationError(`config-file ${where} does not exist`);
    return { config: resolveConfig(settings, parseConfigFile(text, where)) };
  }
  const path = insidePath(configFile);
  if (path === undefined)
    throw new ConfigurationError(
      `config-file must be a path inside the workspace, got ${JSON.stringify(configFile)}`,
    );
  let trustedText: string | undefined;
  if (sources.readBase) {
    try {
      trustedText = (await sources.readBase(path)) ?? undefined;
    } catch (err) {
      throw new Error(
        `cannot read ${path} at ${sources.baseLabel ?? 'the base commit'}, the configuration a pull request is checked with: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  } else trustedText = sources.head.read(path);
  const file: FileConfig = trustedText === undefined ? {} : parseConfigFile(trustedText, path);
  const config = resolveConfig(settings, file);
  if (!sources.readBase) return { config };
  const headText = sources.head.read(path);
  if (headText === trustedText) return { config };
  return { config, change: describeChange(path, trustedText, headText, sources.baseLabel) };
}

function describeChange(
  path: string,
  base: string | undefined,
  head: string | undefined,
  baseLabel = 'the base commit',
): string {
  const used = `this run uses the version at ${baseLabel}; the change takes effect after merge`;
  if (head === undefined) return `${path} is deleted in this pull request: ${used}`;
  let headFile: FileConfig;
  try {
    headFile = parseConfigFile(head, path);
  } catch (err) {
    return `${path} is changed in this pull request and the new version is invalid (${err instanceof Error ? err.message : String(err)}): ${used}`;
  }
  let baseFile: FileConfig = {};
  try {
    baseFile = base === undefined ? {} : parseConfigFile(base, path);
  } catch {
    // The base's own file is valid (it was just used), or absent.
  }
  const keys = [...new Set([...Object.keys(baseFile), ...Object.keys(headFile)])].filter(
    (k) =>
      JSON.stringify(baseFile[k as keyof FileConfig]) !== JSON.stringify(headFile[k as keyof FileConfig]),
  );
  const what =
    keys.length > 0 ? `changes ${keys.sort().join(', ')}` : 'changes only its formatting or comments';
  return `${path} ${base === undefined ? 'is added' : 'is changed'} in this pull request (${what}): ${used}`;
}
