// Parses a Simple Repository API project page: PEP 691 JSON or PEP 503 HTML, with PEP 592 yanked,
// PEP 658/714 core metadata and PEP 700 versions/upload-time/size. Hand-written: no maintained npm
// library reads the Simple API, and the HTML form is a flat list of anchors.
import { type DistKind, parseFilename } from './filename.js';

export interface IndexFile {
  filename: string;
  url: string;
  hashes: Record<string, string>;
  version: string | null;
  kind: DistKind;
  requiresPython?: string;
  yanked: boolean | string;
  uploadTime?: string;
  size?: number;
  coreMetadata?: boolean | Record<string, string>;
}

export interface ParsedPage {
  files: IndexFile[];
  versions: string[];
}

interface JsonFile {
  filename?: unknown;
  url?: unknown;
  hashes?: unknown;
  'requires-python'?: unknown;
  yanked?: unknown;
  'upload-time'?: unknown;
  size?: unknown;
  'core-metadata'?: unknown;
  'dist-info-metadata'?: unknown;
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

function withVersions(files: IndexFile[], versions?: string[]): ParsedPage {
  const fromFiles = files.map((f) => f.version).filter((v): v is string => v !== null);
  return { files, versions: versions ?? [...new Set(fromFiles)] };
}

/** Parses a PEP 691 JSON page; relative file URLs resolve against pageUrl. Throws on invalid JSON: the caller turns that into a per-package error. */
export function parseJsonPage(text: string, pageUrl: string, project: string): ParsedPage {
  const data = JSON.parse(text) as { files?: JsonFile[]; versions?: unknown };
  const files: IndexFile[] = [];
  for (const f of data.files ?? []) {
    if (typeof f.filename !== 'string' || typeof f.url !== 'string') continue;
    const parsed = parseFilename(f.filename, project);
    const metadata = f['core-metadata'] ?? f['dist-info-metadata'];
    files.push({
      filename: f.filename,
      url: new URL(f.url, pageUrl).toString(),
      hashes: stringRecord(f.hashes),
      version: parsed.version,
      kind: parsed.kind,
      ...(typeof f['requires-python'] === 'string' ? { requiresPython: f['requires-python'] } : {}),
      yanked: typeof f.yanked === 'string' ? f.yanked : f.yanked === true,
      ...(typeof f['upload-time'] === 'string' ? { uploadTime: f['upload-time'] } : {}),
      ...(typeof f.size === 'number' ? { size: f.size } : {}),
      ...(metadata === true ? { coreMetadata: true } : {}),
      ...(metadata && typeof metadata === 'object' ? { coreMetadata: stringRecord(metadata) } : {}),
    });
  }
  const versions = Array.isArray(data.versions)
    ? data.versions.filter((v): v is string => typeof v === 'string')
    : undefined;
  return withVersions(files, versions);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(
    /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g,
  )) {
    const name = m[1];
    if (name) attrs.set(name.toLowerCase(), decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

function hashesFromFragment(value: string | undefined): Record<string, string> {
  if (!value || value === 'true') return {};
  const eq = value.indexOf('=');
  return eq === -1 ? {} : { [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Parses a PEP 503 HTML page. */
export function parseHtmlPage(text: string, pageUrl: string, project: string): ParsedPage {
  const files: IndexFile[] = [];
  // Anchors found by a forward scan: one regex for `<a ...>...</a>` tried again at every `<a` that has no
  // closing tag after it is quadratic (a hostile 64 MB page of `<a href=x>` would take hours).
  const opens = /<a\b/gi;
  const closes = /<\/a\s*>/gi;
  for (let open = opens.exec(text); open; open = opens.exec(text)) {
    const tagEnd = text.indexOf('>', open.index + 2);
    if (tagEnd === -1) break;
    closes.lastIndex = tagEnd + 1;
    const close = closes.exec(text);
    if (!close) break; // no closing tag anywhere after: no later anchor can close either
    opens.lastIndex = close.index + close[0].length;
    const attrs = attributes(text.slice(open.index + 2, tagEnd));
    const inner = text.slice(tagEnd + 1, close.index);
    const href = attrs.get('href');
    if (!href) continue;
    const url = new URL(href, pageUrl);
    const fragment = url.hash.slice(1);
    url.hash = '';
    const filename = decodeEntities(inner.replace(/<[^>]*>/g, '').trim());
    const parsed = parseFilename(filename, project);
    const yanked = attrs.get('data-yanked');
    const metadata = attrs.get('data-core-metadata') ?? attrs.get('data-dist-info-metadata');
    const requiresPython = attrs.get('data-requires-python');
    files.push({
      filename,
      url: url.toString(),
      hashes: hashesFromFragment(fragment),
      version: parsed.version,
      kind: parsed.kind,
      ...(requiresPython ? { requiresPython } : {}),
      yanked: yanked === undefined ? false : yanked === '' ? true : yanked,
      ...(metadata === undefined
        ? {}
        : { coreMetadata: metadata === 'true' ? true : hashesFromFragment(metadata) }),
    });
  }
  return withVersions(files);
}
