// The values the registry's parts hand each other and its callers: files from index pages, merged project
// pages, resolutions, and the trusted indexes they come from.
import type { Gap } from '../types.js';
import type { IndexFile } from './page.js';

/** A file from an index page, with the (masked) index it came from. */
export interface RegistryFile extends IndexFile {
  index: string;
}

export interface ProjectPage {
  /** PEP 503 normalized. */
  name: string;
  files: RegistryFile[];
  /** PEP 700 versions merged across indexes (HTML pages contribute their files' versions). */
  versions: string[];
  /** Masked URLs of the indexes that know the project (empty: a 404 everywhere). */
  foundOn: string[];
}

export interface Resolution {
  /** What pip would install on the targets: sdists first, then each distinct wheel picked. */
  files: RegistryFile[];
  releaseUrl?: string;
  /** The version chosen: the pinned one, or the newest satisfying one for an unpinned ref. */
  version: string;
  /** Masked URLs of the indexes asked for this ref. */
  indexes: string[];
  /** What the user should see: the files of the release that were not analysed, and why. */
  notes: string[];
  /** What pip could install and the gate will not analyse (over the per-release cap). */
  gaps: Gap[];
}

/** An index the trusted configuration names. */
export interface IndexInfo {
  /** Without credentials, ending in '/'. */
  base: string;
  /** indexKey(base): what lockfile URLs are compared by. */
  key: string;
  origin: string;
  /** The masked URL, ending in '/': what messages and health show. */
  label: string;
  authorization?: string;
}
