// A project's Simple Repository API pages (PEP 691 JSON, falling back to PEP 503 HTML by Content-Type),
// each index's page fetched once per client and merged over the indexes a ref is asked, as pip does.
import { normalizeName } from '../names.js';
import { RegistryError } from './errors.js';
import { type HttpSettings, httpGet } from './http.js';
import type { SecretList } from './mask.js';
import { type ParsedPage, parseHtmlPage, parseJsonPage } from './page.js';
import type { IndexInfo, ProjectPage } from './types.js';

const ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1';

export interface PageSettings {
  http: HttpSettings;
  userAgent: string;
  maxPageBytes: number;
  secrets: SecretList;
}

/** One index's page of a project, parsed; null when the index does not know the project (404, 410). */
async function fetchPage(index: IndexInfo, name: string, settings: PageSettings): Promise<ParsedPage | null> {
  const url = `${index.base}${encodeURIComponent(name)}/`;
  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': settings.userAgent };
  if (index.authorization) headers.authorization = index.authorization;
  const answer = await httpGet(
    { url, headers, maxBytes: settings.maxPageBytes, limitName: 'index page size' },
    settings.http,
  );
  if (answer.status === 404 || answer.status === 410) return null;
  const text = new TextDecoder().decode(answer.body);
  const json =
    /json/i.test(answer.contentType) || (answer.contentType === '' && text.trimStart().startsWith('{'));
  try {
    return (json ? parseJsonPage : parseHtmlPage)(text, answer.url, name);
  } catch (err) {
    throw new RegistryError(
      settings.secrets.mask(
        `${index.label}${name}/: unreadable ${json ? 'JSON' : 'HTML'} page: ${(err as Error).message}`,
      ),
    );
  }
}

/** The merged page of a project over some indexes; pages and merges are each fetched or made once. */
export function projectPages(
  settings: PageSettings,
): (name: string, indexes: IndexInfo[]) => Promise<ProjectPage> {
  const pages = new Map<string, Promise<ParsedPage | null>>();
  const projects = new Map<string, Promise<ProjectPage>>();

  function page(index: IndexInfo, name: string): Promise<ParsedPage | null> {
    const key = `${index.key}\n${name}`;
    let pending = pages.get(key);
    if (!pending) {
      pending = fetchPage(index, name, settings);
      pages.set(key, pending);
    }
    return pending;
  }

  async function loadProject(name: string, indexes: IndexInfo[]): Promise<ProjectPage> {
    // Every index is asked, as pip does: a name on an extra index is a candidate even when the main one has it.
    const answers = await Promise.all(indexes.map((index) => page(index, name)));
    const merged: ProjectPage = { name, files: [], versions: [], foundOn: [] };
    const versions = new Set<string>();
    answers.forEach((answer, i) => {
      if (!answer) return;
      const index = indexes[i]!;
      merged.foundOn.push(index.label);
      // A loop, not push(...spread): a page can list more files than a call takes arguments.
      for (const f of answer.files) merged.files.push({ ...f, index: index.label });
      for (const v of answer.versions) versions.add(v);
    });
    merged.versions = [...versions];
    return merged;
  }

  return (name, indexes) => {
    const normalized = normalizeName(name);
    const key = `${indexes.map((i) => i.key).join(' ')}\n${normalized}`;
    let pending = projects.get(key);
    if (!pending) {
      pending = loadProject(normalized, indexes);
      projects.set(key, pending);
    }
    return pending;
  };
}
