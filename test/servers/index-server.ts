// A loopback Python package index speaking the Simple Repository API: PEP 691 JSON or PEP 503 HTML chosen
// by the Accept header (or HTML only, like old Artifactory/devpi), with PEP 592 yanked, PEP 700 versions,
// upload-time and size, sha256 hashes, and the archives tests build with test/fixtures/archives.ts.
// Faults can be switched on per test: 429 with Retry-After, a 5xx storm, slow or stalled responses,
// bytes that differ from the stated hash, no Content-Length; basic auth; request log and concurrency
// tracking; and a strict mode where any request for something the index does not know is a test failure.
//
//   const server = await startIndexServer({ projects: { demo: { versions: [servedRelease('demo', '1.0')] } } });
//   ... createIndexClient({ indexUrl: server.url }) ...
//   await server.close();
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeSdist, makeWheel, type PackageFixture } from '../fixtures/archives.js';

export interface ServedFile {
  filename: string;
  bytes: Uint8Array;
  /** PEP 592: true, or the reason. */
  yanked?: boolean | string;
  /** PEP 700 upload-time (ISO 8601). */
  uploadTime?: string;
  requiresPython?: string;
  /** The sha256 the index states instead of the real one (a wrong hash); false states no hash at all. */
  sha256?: string | false;
}

export interface ServedVersion {
  version: string;
  files: ServedFile[];
}

export interface ServedProject {
  versions: ServedVersion[];
  /** PEP 700 `versions` as stated, when it should differ from the versions that have files. */
  listedVersions?: string[];
}

export type RequestKind = 'root' | 'page' | 'file' | 'other';

export type Fault = (
  | { kind: 'rate-limit'; retryAfter?: string }
  | { kind: 'server-error'; status?: number }
  /** Wait before sending the headers. */
  | { kind: 'slow'; delayMs: number }
  /** Send the headers and half the body, then wait. */
  | { kind: 'stall'; delayMs: number }
  /** Serve other bytes than the ones the hash was stated for (a tampered mirror). */
  | { kind: 'tamper' }
  /** Send files chunked, without Content-Length (size caps must be counted while streaming). */
  | { kind: 'chunked' }
  /** Answer 302 to the same path on another origin (or a path on this one when `to` starts with '/'). */
  | { kind: 'redirect'; to: string }
) & {
  /** Which requests it hits: default 'any'. */
  on?: 'page' | 'file' | 'any';
  /** Only requests for this project (normalized). */
  project?: string;
  /** How many requests it hits before it clears itself; default unlimited. */
  times?: number;
};

export interface RecordedRequest {
  method: string;
  path: string;
  kind: RequestKind;
  project?: string;
  accept?: string;
  /** Whether the request carried an Authorization header, and whether it was the right one. */
  hadAuth: boolean;
  /** The Authorization header as received. */
  authorization?: string;
  authorized: boolean;
  status: number;
  format?: 'json' | 'html';
}

export interface IndexServerOptions {
  /** Keys are project names (normalized here); null is a project the index has removed (404, not unexpected). */
  projects: Record<string, ServedProject | null>;
  /** Answer every page in HTML whatever the Accept header says (old Artifactory, devpi, static mirrors). */
  htmlOnly?: boolean;
  /** Require HTTP basic auth on every request. */
  auth?: { username: string; password: string };
  /** Record requests for unknown routes, projects or files in `unexpected`, and make close() reject. */
  failOnUnexpected?: boolean;
  /** Delay every response by this much (to make concurrent requests overlap). */
  latencyMs?: number;
  /** Send links in HTML pages relative to the page (default) or absolute. JSON always uses absolute URLs. */
  absoluteHtmlLinks?: boolean;
  /** Address to listen on; default 127.0.0.1 (127.0.0.2 is another loopback host for credential tests). */
  bind?: string;
  /** Host name to put in the server's URLs (e.g. 'localhost' for a server bound to 127.0.0.1). */
  hostname?: string;
  /** Origin to put in file links instead of this server's own (files hosted elsewhere, like PyPI's). */
  filesAt?: string;
}

export interface IndexServer {
  /** The Simple API root, ending in '/': what index-url should be. */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  /** Requests the strict mode did not expect (method and path). */
  unexpected: string[];
  /** Most requests in flight at once so far. */
  readonly maxConcurrent: number;
  /** Replace the active faults (none when called without arguments). */
  setFault(...faults: Fault[]): void;
  /** Add, replace or (with null) remove a project while the server runs. */
  setProject(name: string, project: ServedProject | null): void;
  /** URL of a served file and its real sha256. */
  fileUrl(project: string, filename: string): string;
  sha256(bytes: Uint8Array): string;
  /** Rejects when failOnUnexpected is on and unexpected requests came in. */
  close(): Promise<void>;
}

const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A release with an sdist and a py3-none-any wheel built on the fly (extra files go into both). */
export function servedRelease(
  name: string,
  version: string,
  extra: Omit<PackageFixture, 'name' | 'version'> & Omit<ServedFile, 'filename' | 'bytes' | 'sha256'> = {},
): ServedVersion {
  const { yanked, uploadTime, requiresPython, ...fixture } = extra;
  const stem = `${name.replace(/[-.]/g, '_')}-${version}`;
  const meta: Omit<ServedFile, 'filename' | 'bytes'> = {
    ...(yanked !== undefined ? { yanked } : {}),
    ...(uploadTime !== undefined ? { uploadTime } : {}),
    ...(requiresPython !== undefined ? { requiresPython } : {}),
  };
  return {
    version,
    files: [
      { filename: `${stem}.tar.gz`, bytes: makeSdist({ name, version, ...fixture }), ...meta },
      { filename: `${stem}-py3-none-any.whl`, bytes: makeWheel({ name, version, ...fixture }), ...meta },
    ],
  };
}

function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  let json = 0;
  let html = 0;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    const t = type.trim().toLowerCase();
    if (t === 'application/vnd.pypi.simple.v1+json' || t === 'application/vnd.pypi.simple.latest+json')
      json = Math.max(json, q);
    else if (t === 'text/html' || t.startsWith('application/vnd.pypi.simple.') || t === '*/*')
      html = Math.max(html, q);
  }
  return json > 0 && json >= html;
}

export async function startIndexServer(options: IndexServerOptions): Promise<IndexServer> {
  const projects = new Map<string, ServedProject | null>();
  for (const [name, project] of Object.entries(options.projects)) projects.set(normalize(name), project);
  const requests: RecordedRequest[] = [];
  const unexpected: string[] = [];
  let faults: Fault[] = [];
  let inFlight = 0;
  let maxConcurrent = 0;
  const expectedAuth = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : undefined;
  let origin = '';

  const fileHref = (project: string, filename: string) =>
    `/files/${encodeURIComponent(project)}/${encodeURIComponent(filename)}`;

  /** The first active fault for this request, counted down. */
  function takeFault(
    kind: RequestKind,
    project: string | undefined,
    kinds: Fault['kind'][],
  ): Fault | undefined {
    const fault = faults.find(
      (f) =>
        kinds.includes(f.kind) &&
        (f.on === undefined || f.on === 'any' || f.on === kind) &&
        (f.project === undefined || normalize(f.project) === project) &&
        (f.times === undefined || f.times > 0),
    );
    if (fault?.times !== undefined) fault.times--;
    return fault;
  }

  function renderJson(name: string, project: ServedProject): string {
    return JSON.stringify({
      meta: { 'api-version': '1.1' },
      name,
      versions: project.listedVersions ?? project.versions.map((v) => v.version),
      files: project.versions.flatMap((v) =>
        v.files.map((f) => ({
          filename: f.filename,
          url: `${options.filesAt ?? origin}${fileHref(name, f.filename)}`,
          hashes: f.sha256 === false ? {} : { sha256: f.sha256 ?? sha256(f.bytes) },
          ...(f.requiresPython ? { 'requires-python': f.requiresPython } : {}),
          yanked: f.yanked ?? false,
          ...(f.uploadTime ? { 'upload-time': f.uploadTime } : {}),
          size: f.bytes.byteLength,
        })),
      ),
    });
  }

  function renderHtml(name: string, project: ServedProject): string {
    const links = project.versions.flatMap((v) =>
      v.files.map((f) => {
        const path = fileHref(name, f.filename);
        const href =
          (options.filesAt || options.absoluteHtmlLinks
            ? `${options.filesAt ?? origin}${path}`
            : `../..${path}`) + (f.sha256 === false ? '' : `#sha256=${f.sha256 ?? sha256(f.bytes)}`);
        const attrs = [`href="${escapeHtml(href)}"`];
        if (f.requiresPython) attrs.push(`data-requires-python="${escapeHtml(f.requiresPython)}"`);
        if (f.yanked === true) attrs.push('data-yanked');
        else if (typeof f.yanked === 'string') attrs.push(`data-yanked="${escapeHtml(f.yanked)}"`);
        return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br/>`;
      }),
    );
    return [
      '<!DOCTYPE html>',
      '<html>',
      '  <head>',
      '    <meta name="pypi:repository-version" content="1.0">',
      `    <title>Links for ${escapeHtml(name)}</title>`,
      '  </head>',
      '  <body>',
      `    <h1>Links for ${escapeHtml(name)}</h1>`,
      ...links,
      '  </body>',
      '</html>',
      '',
    ].join('\n');
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const send = (status: number, body: string | Uint8Array, headers: Record<string, string> = {}) => {
      record.status = status;
      if (res.destroyed) return;
      res.writeHead(status, headers);
      res.end(body);
    };
    const surprise = (why: string) => {
      if (options.failOnUnexpected) unexpected.push(`${req.method} ${record.path} (${why})`);
    };
    if (options.latencyMs) await sleep(options.latencyMs);
    if (expectedAuth && !record.authorized) {
      return send(401, 'unauthorized', { 'www-authenticate': 'Basic realm="index"' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      surprise('method');
      return send(405, 'method not allowed');
    }
    const limited = takeFault(record.kind, record.project, ['rate-limit']);
    if (limited?.kind === 'rate-limit') {
      return send(429, 'too many requests', limited.retryAfter ? { 'retry-after': limited.retryAfter } : {});
    }
    const moved = takeFault(record.kind, record.project, ['redirect']);
    if (moved?.kind === 'redirect') {
      return send(302, '', { location: moved.to.startsWith('/') ? moved.to : `${moved.to}${record.path}` });
    }
    const broken = takeFault(record.kind, record.project, ['server-error']);
    if (broken?.kind === 'server-error') return send(broken.status ?? 503, 'service unavailable');
    const slow = takeFault(record.kind, record.project, ['slow']);
    if (slow?.kind === 'slow') await sleep(slow.delayMs);
    if (res.destroyed) return;

    const path = record.path;
    if (path === '/simple/') {
      const names = [...projects].filter(([, p]) => p !== null).map(([n]) => n);
      const body = names.map((n) => `<a href="${escapeHtml(n)}/">${escapeHtml(n)}</a>`).join('\n');
      return send(200, `<!DOCTYPE html><html><body>\n${body}\n</body></html>\n`, {
        'content-type': 'text/html; charset=utf-8',
      });
    }
    if (record.kind === 'page') {
      const requested = decodeURIComponent(path.slice('/simple/'.length, -1));
      const name = normalize(requested);
      if (name !== requested) return send(301, '', { location: `/simple/${encodeURIComponent(name)}/` });
      const project = projects.get(name);
      if (project === undefined) surprise('unknown project');
      if (!project) return send(404, 'not found');
      const json = !options.htmlOnly && prefersJson(record.accept);
      record.format = json ? 'json' : 'html';
      return send(200, json ? renderJson(name, project) : renderHtml(name, project), {
        'content-type': json ? 'application/vnd.pypi.simple.v1+json' : 'text/html; charset=utf-8',
      });
    }
    if (record.kind === 'file') {
      const [, , rawProject = '', rawFile = ''] = path.split('/');
      const project = projects.get(normalize(decodeURIComponent(rawProject)));
      const filename = decodeURIComponent(rawFile);
      const file = project?.versions.flatMap((v) => v.files).find((f) => f.filename === filename);
      if (!file) {
        surprise('unknown file');
        return send(404, 'not found');
      }
      let bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
      if (takeFault('file', record.project, ['tamper'])) {
        bytes = Buffer.from(bytes); // a copy: tampering must not change the fixture
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
      }
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      const chunked = takeFault('file', record.project, ['chunked']);
      const stall = takeFault('file', record.project, ['stall']);
      if (!chunked) headers['content-length'] = String(bytes.byteLength);
      record.status = 200;
      if (res.destroyed) return;
      res.writeHead(200, headers);
      if (req.method === 'HEAD') return void res.end();
      if (stall?.kind === 'stall') {
        res.write(bytes.subarray(0, bytes.length >> 1));
        await sleep(stall.delayMs);
        if (res.destroyed) return;
        res.end(bytes.subarray(bytes.length >> 1));
        return;
      }
      if (chunked) {
        // Several writes, so the client sees the body arrive in pieces.
        for (let i = 0; i < bytes.length; i += 16 * 1024) res.write(bytes.subarray(i, i + 16 * 1024));
        res.end();
        return;
      }
      res.end(bytes);
      return;
    }
    surprise('unknown route');
    return send(404, 'not found');
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const auth = req.headers.authorization;
    const kind: RequestKind =
      path === '/simple/'
        ? 'root'
        : /^\/simple\/[^/]+\/$/.test(path)
          ? 'page'
          : /^\/files\/[^/]+\/[^/]+$/.test(path)
            ? 'file'
            : 'other';
    const segment = path.split('/')[2];
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      kind,
      ...(segment && (kind === 'page' || kind === 'file')
        ? { project: normalize(decodeURIComponent(segment)) }
        : {}),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      hadAuth: auth !== undefined,
      ...(auth !== undefined ? { authorization: auth } : {}),
      authorized: expectedAuth === undefined || auth === expectedAuth,
      status: 0,
    };
    requests.push(record);
    inFlight++;
    maxConcurrent = Math.max(maxConcurrent, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res, record).catch((err: unknown) => {
      record.status = 500;
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  const bind = options.bind ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, bind, resolve));
  origin = `http://${options.hostname ?? bind}:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/simple/`,
    origin,
    requests,
    unexpected,
    get maxConcurrent() {
      return maxConcurrent;
    },
    setFault(...next) {
      faults = next.map((f) => ({ ...f }));
    },
    setProject(name, project) {
      projects.set(normalize(name), project);
    },
    fileUrl: (project, filename) => `${origin}${fileHref(normalize(project), filename)}`,
    sha256,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (options.failOnUnexpected && unexpected.length > 0) {
        throw new Error(`index server got unexpected requests:\n${unexpected.join('\n')}`);
      }
    },
  };
}
