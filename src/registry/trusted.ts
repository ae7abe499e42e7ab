// The indexes the trusted configuration names (index-url, extra-index-urls, allowed-indexes), with the
// credentials each may receive, and which of them a ref is asked: the gate never asks an index the
// configuration does not name. Credentials go only to their own index's origin, over https or to a
// loopback host; the token only to the first configured index that is not public PyPI.
import type { OrFinding, PackageRef } from '../types.js';
import { found, RegistryError, untrustedIndex } from './errors.js';
import { credentialsAllowed } from './http.js';
import { indexKey, isPublicPypi } from './indexes.js';
import { maskUrl, type SecretList } from './mask.js';
import type { IndexInfo, RegistryFile } from './types.js';

export interface TrustSettings {
  /** index-url then extra-index-urls, in the order pip asks them. */
  configured: string[];
  allowedIndexes?: string[];
  token?: string;
  secrets: SecretList;
  /** Said once per message: a credential that is not sent. */
  noticeOnce: (message: string) => void;
}

export interface TrustedIndexes {
  /** index-url, then extra-index-urls. */
  readonly configured: IndexInfo[];
  /**
   * The indexes pip would ask for this ref: the one its lockfile locks it to (else index-url) with the
   * lockfile's and the configuration's extra indexes, or only the locked one for formats that pin a
   * package to one index (uv, poetry, Pipfile, pdm, pylock: `declared` is then absent). An untrusted one
   * among them is an untrusted-index finding, and none is asked.
   */
  indexesFor(ref: PackageRef | undefined, declared: string[] | undefined): OrFinding<IndexInfo[]>;
  isTrusted(url: string): boolean;
  /** Where to GET a file and with which credentials: only its own index's, and only on that index's origin. */
  fileRequest(file: RegistryFile): { url: string; authorization?: string };
}

const DIRECT_SOURCES = new Set(['url', 'vcs', 'path']);

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Splits credentials off a URL: fetch refuses URLs that carry them, and they must never be printed. */
function splitCredentials(raw: string): { url: URL; user: string; password: string } {
  const url = new URL(raw);
  const user = safeDecode(url.username);
  const password = safeDecode(url.password);
  url.username = '';
  url.password = '';
  return { url, user, password };
}

/** The token's index: the first configured one that is not public PyPI; only its origin gets the token. */
function tokenOriginOf(configured: string[]): string | undefined {
  for (const raw of configured) {
    try {
      const url = new URL(raw);
      if (!isPublicPypi(url.hostname)) return url.origin;
    } catch {
      // reported by makeIndex
    }
  }
  return undefined;
}

export function trustedIndexes(settings: TrustSettings): TrustedIndexes {
  const { secrets, token } = settings;
  if (token) secrets.add(token);
  const tokenOrigin = tokenOriginOf(settings.configured);

  /** An index from the trusted configuration; `withToken`: index-url and extra-index-urls, not allowed-indexes. */
  function makeIndex(raw: string, withToken: boolean): IndexInfo {
    let split: ReturnType<typeof splitCredentials>;
    try {
      split = splitCredentials(raw);
    } catch {
      throw new RegistryError(`not a URL: ${secrets.mask(maskUrl(raw))}`);
    }
    const { url, user } = split;
    let { password } = split;
    secrets.add(password);
    if (!password && withToken && token && url.origin === tokenOrigin) password = token;
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    const info: IndexInfo = {
      base: url.toString(),
      key: indexKey(url.toString()),
      origin: url.origin,
      label: maskUrl(raw),
    };
    if (!info.label.endsWith('/')) info.label += '/';
    if (user || password) {
      if (credentialsAllowed(url)) {
        info.authorization = basic(user || '__token__', password);
        secrets.add(info.authorization.slice('Basic '.length));
      } else {
        settings.noticeOnce(
          `${info.label}: credentials are not sent over plain http to another machine; use https`,
        );
      }
    }
    return info;
  }

  const configured = settings.configured.map((raw) => makeIndex(raw, true));
  const trusted = new Map<string, IndexInfo>();
  for (const index of configured) if (!trusted.has(index.key)) trusted.set(index.key, index);
  for (const raw of settings.allowedIndexes ?? []) {
    const index = makeIndex(raw, false);
    if (!trusted.has(index.key)) trusted.set(index.key, index);
  }
  const byLabel = new Map<string, IndexInfo>();
  for (const index of trusted.values()) if (!byLabel.has(index.label)) byLabel.set(index.label, index);

  function indexesFor(ref: PackageRef | undefined, declared: string[] | undefined): OrFinding<IndexInfo[]> {
    // Any source but a direct reference names an index: one that is not an http(s) URL (a file:// or
    // relative registry a uv.lock can name) is never trusted, so a wheel committed with the PR is not
    // what pip installs while the gate analyses the configured index's file.
    const locked = ref?.source !== undefined && !DIRECT_SOURCES.has(ref.source) ? ref.source : undefined;
    if (locked === undefined && !declared?.length) return found(configured);
    const wanted =
      locked !== undefined && declared === undefined
        ? [locked]
        : [locked ?? configured[0]!.base, ...(declared ?? []), ...configured.slice(1).map((i) => i.base)];
    const out: IndexInfo[] = [];
    const untrusted: string[] = [];
    for (const raw of wanted) {
      let key: string;
      try {
        key = indexKey(raw);
      } catch {
        untrusted.push(raw);
        continue;
      }
      const index = trusted.get(key);
      if (!index) untrusted.push(raw);
      else if (!out.includes(index)) out.push(index);
    }
    if (untrusted.length > 0) {
      const where = ref ? `${ref.file}:${ref.line}` : 'the lockfile';
      const names = untrusted.map((u) => secrets.mask(maskUrl(u))).join(', ');
      return untrustedIndex(
        `${ref?.name ?? 'a package'}: ${where} has pip fetch it from ${names}, which the configuration does not name ` +
          '(index-url, extra-index-urls, allowed-indexes in the base branch): the index was not asked; add it there if it is trusted',
      );
    }
    return found(out);
  }

  function fileRequest(file: RegistryFile): { url: string; authorization?: string } {
    let split: ReturnType<typeof splitCredentials>;
    try {
      split = splitCredentials(file.url);
    } catch {
      throw new RegistryError(
        secrets.mask(`${file.filename}: the index gives an unusable URL ${maskUrl(file.url)}`),
      );
    }
    const { url, user, password } = split;
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new RegistryError(
        `${file.filename}: the index gives a ${url.protocol} URL; only http(s) is fetched`,
      );
    }
    if ((user || password) && credentialsAllowed(url)) {
      // Credentials the index itself wrote into the link: they are the index's to give, for that URL only.
      secrets.add(password);
      const authorization = basic(user, password);
      secrets.add(authorization.slice('Basic '.length));
      return { url: url.toString(), authorization };
    }
    const index = byLabel.get(file.index);
    if (index?.authorization && index.origin === url.origin && credentialsAllowed(url))
      return { url: url.toString(), authorization: index.authorization };
    return { url: url.toString() };
  }

  return {
    configured,
    indexesFor,
    isTrusted: (url) => {
      try {
        return trusted.has(indexKey(url));
      } catch {
        return false;
      }
    },
    fileRequest,
  };
}
