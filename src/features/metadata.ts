// Package metadata, read statically: METADATA (wheels) or PKG-INFO (sdists), else setup() keywords, then
// setup.cfg and pyproject.toml. Only what the metadata says becomes a feature, never which file said it:
// whether PKG-INFO exists tells PyPI uploads from upstream tarballs, not malware from honest code.
import { parse as parseToml } from 'smol-toml';
import type { SetupCall } from '../python/index.js';

export interface PackageMetadata {
  name?: string;
  version?: string;
  summary?: string;
  description?: string;
  author?: string;
  authorEmail?: string;
  homepage?: string;
  projectUrls: string[];
  license?: string;
  classifiers: string[];
  requires: string[];
  keywords?: string;
}

const empty = (): PackageMetadata => ({ projectUrls: [], classifiers: [], requires: [] });

/** RFC 822-style core metadata (PKG-INFO / METADATA); the body after the headers is the description. */
export function parseCoreMetadata(text: string): PackageMetadata {
  const meta = empty();
  const split = text.search(/\r?\n\r?\n/);
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split).trim();
  const fields: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1]!;
      last[1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  for (const [key, value] of fields) {
    if (value === '' || value === 'UNKNOWN') continue;
    if (key === 'name') meta.name = value;
    else if (key === 'version') meta.version = value;
    else if (key === 'summary') meta.summary = value;
    else if (key === 'description') meta.description = value;
    else if (key === 'author') meta.author = value;
    else if (key === 'author-email' || key === 'maintainer-email') meta.authorEmail ??= value;
    else if (key === 'home-page') meta.homepage = value;
    else if (key === 'project-url' || key === 'download-url') meta.projectUrls.push(value);
    else if (key === 'license' || key === 'license-expression') meta.license = value;
    else if (key === 'classifier') meta.classifiers.push(value);
    else if (key === 'requires-dist') meta.requires.push(value);
    else if (key === 'keywords') meta.keywords = value;
  }
  if (body && !meta.description) meta.description = body;
  return meta;
}

/** Metadata from literal setup() keywords (sdists whose setup.py is the only source). */
export function metadataFromSetup(call: SetupCall): PackageMetadata {
  const s = call.strings;
  return {
    name: s.name,
    version: s.version,
    summary: s.description,
    description: s.long_description,
    author: s.author ?? s.maintainer,
    authorEmail: s.author_email ?? s.maintainer_email,
    homepage: s.url ?? s.home_page,
    projectUrls: s.download_url ? [s.download_url] : [],
    license: s.license,
    classifiers: call.lists.classifiers ?? [],
    requires: call.lists.install_requires ?? [],
    keywords: s.keywords,
  };
}

/** The [metadata] section of setup.cfg, read as INI (only the keys that matter). */
export function metadataFromSetupCfg(text: string): PackageMetadata {
  const meta = empty();
  let inMetadata = false;
  let inOptions = false;
  let current: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const section = /^\s*\[([^\]]+)\]/.exec(raw);
    if (section) {
      inMetadata = section[1]!.trim() === 'metadata';
      inOptions = section[1]!.trim() === 'options';
      current = undefined;
      continue;
    }
    if (!inMetadata && !inOptions) continue;
    const kv = /^([A-Za-z_-]+)\s*[=:]\s*(.*)$/.exec(raw);
    if (kv) {
      current = kv[1]!.replace(/-/g, '_');
      const value = kv[2]!.trim();
      if (value === '') continue;
      if (current === 'name') meta.name = value;
      else if (current === 'version') meta.version = value;
      else if (current === 'description') meta.summary = value;
      else if (current === 'long_description') meta.description = value;
      else if (current === 'author') meta.author = value;
      else if (current === 'author_email') meta.authorEmail = value;
      else if (current === 'url' || current === 'home_page') meta.homepage = value;
      else if (current === 'license') meta.license = value;
      continue;
    }
    const item = raw.trim();
    if (item && current === 'classifiers') meta.classifiers.push(item);
    if (item && current === 'install_requires') meta.requires.push(item);
    if (item && current === 'project_urls') meta.projectUrls.push(item);
  }
  return meta;
}

/** [project] of pyproject.toml (PEP 621), and [tool.poetry]. */
export function metadataFromPyproject(text: string): PackageMetadata {
  const meta = empty();
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return meta;
  }
  const tool = (doc.tool as Record<string, unknown> | undefined)?.poetry as
    | Record<string, unknown>
    | undefined;
  const project = (doc.project as Record<string, unknown> | undefined) ?? tool;
  if (!project) return meta;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  meta.name = str(project.name);
  meta.version = str(project.version);
  meta.summary = str(project.description);
  const readme = project.readme;
  if (readme && typeof readme === 'object') meta.description = str((readme as { text?: unknown }).text);
  const authors = Array.isArray(project.authors) ? project.authors : [];
  for (const a of authors) {
    if (typeof a === 'string') {
      const m = /<([^>]+)>/.exec(a);
      meta.author ??= a.replace(/<[^>]*>/, '').trim();
      if (m) meta.authorEmail ??= m[1];
    } else if (a && typeof a === 'object') {
      meta.author ??= str((a as { name?: unknown }).name);
      meta.authorEmail ??= str((a as { email?: unknown }).email);
    }
  }
  const urls = project.urls;
  if (urls && typeof urls === 'object')
    meta.projectUrls.push(...Object.values(urls).filter((u): u is string => typeof u === 'string'));
  meta.homepage = str(project.homepage);
  const license = project.license;
  meta.license = str(license) ?? str((license as { text?: unknown } | undefined)?.text);
  if (Array.isArray(project.classifiers))
    meta.classifiers.push(...project.classifiers.filter((c): c is string => typeof c === 'string'));
  if (Array.isArray(project.dependencies))
    meta.requires.push(...project.dependencies.filter((c): c is string => typeof c === 'string'));
  return meta;
}

/** Fills the gaps of `first` from `rest`, in order. */
export function mergeMetadata(first: PackageMetadata, ...rest: PackageMetadata[]): PackageMetadata {
  const out = { ...first, projectUrls: [...first.projectUrls], classifiers: [...first.classifiers] };
  for (const m of rest) {
    for (const key of [
      'name',
      'version',
      'summary',
      'description',
      'author',
      'authorEmail',
      'homepage',
      'license',
      'keywords',
    ] as const) {
      out[key] ??= m[key];
    }
    if (out.projectUrls.length === 0) out.projectUrls = [...m.projectUrls];
    if (out.classifiers.length === 0) out.classifiers = [...m.classifiers];
    if (out.requires.length === 0) out.requires = [...m.requires];
  }
  return out;
}

const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$/;
const DISPOSABLE =
  /@(mailinator|guerrillamail|10minutemail|temp-?mail|yopmail|sharklasers|trashmail|getnada|dispostable|maildrop|mailnesia|tempmail|throwawaymail|fakeinbox|moakt|emailondeck|mohmal|tmpmail|inboxkitten|mail\.tm|cock\.li)\b/i;
const PLACEHOLDER_EMAIL =
  /@(example\.(com|org|net)|test\.com|email\.com|domain\.com|gmail\.co)$|^(a|test|x+|none|no)@/i;
const URL = /^https?:\/\/[^\s/]+\.[^\s/]+/i;

/** Metadata features; every one describes what the package says about itself. */
export function metadataFeatures(meta: PackageMetadata, licenseFile: boolean): Record<string, number> {
  const email =
    (meta.authorEmail ?? '')
      .split(',')[0]
      ?.trim()
      .replace(/^.*<([^>]+)>.*$/, '$1') ?? '';
  const urls = [meta.homepage, ...meta.projectUrls].filter((u): u is string => Boolean(u));
  const description = meta.description ?? '';
  const summary = meta.summary ?? '';
  const version = meta.version ?? '';
  const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? Number.NaN);
  const name = meta.name ?? '';
  return {
    'meta.author_present': meta.author || email ? 1 : 0,
    'meta.email_present': email ? 1 : 0,
    'meta.email_wellformed': EMAIL.test(email) ? 1 : 0,
    'meta.email_disposable': DISPOSABLE.test(email) || PLACEHOLDER_EMAIL.test(email) ? 1 : 0,
    'meta.email_freemail': /@(gmail|yahoo|hotmail|outlook|proton(mail)?|mail\.ru|qq|163|yandex)\./i.test(
      email,
    )
      ? 1
      : 0,
    'meta.url_present': urls.length > 0 ? 1 : 0,
    'meta.url_wellformed': urls.some((u) => URL.test(u.replace(/^[^,]*,\s*/, ''))) ? 1 : 0,
    'meta.url_repo_host': urls.some((u) => /github\.com|gitlab\.com|bitbucket\.org|codeberg\.org/i.test(u))
      ? 1
      : 0,
    'meta.summary_len': summary.length,
    'meta.description_len': description.length,
    'meta.description_empty': description.trim().length < 20 && summary.trim().length < 5 ? 1 : 0,
    'meta.license_declared': meta.license || meta.classifiers.some((c) => c.startsWith('License ::')) ? 1 : 0,
    'meta.license_file': licenseFile ? 1 : 0,
    'meta.classifiers': meta.classifiers.length,
    'meta.requires': meta.requires.length,
    'meta.version_zero': /^0+(\.0+)*$/.test(version) ? 1 : 0,
    'meta.version_major_huge': Number.isFinite(major) && major >= 99 ? 1 : 0,
    'meta.version_dev': /dev|a\d|b\d|rc\d/i.test(version) ? 1 : 0,
    'meta.name_len': name.length,
    'meta.name_digits': (name.match(/\d/g) ?? []).length,
  };
}
