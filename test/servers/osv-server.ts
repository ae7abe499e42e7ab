// A loopback OSV server: POST /v1/querybatch (with per-query paging via next_page_token, pageSize ids per
// page) and GET /v1/vulns/<id>. Records every request. Unknown routes answer 404.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OsvAdvisory {
  id: string;
  summary?: string;
  /** PyPI name (normalized) and the versions it affects. */
  affected: { name: string; versions: string[] }[];
}

export interface OsvServerOptions {
  advisories: OsvAdvisory[];
  /** Advisory ids per page of one query's results. */
  pageSize?: number;
  /** Answer every querybatch with this HTTP status instead (e.g. 503). */
  failWith?: number;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

interface BatchQuery {
  package?: { name?: string; ecosystem?: string };
  version?: string;
  page_token?: string;
}

export async function startOsvServer(options: OsvServerOptions) {
  const requests: { method: string; path: string; body?: unknown }[] = [];
  const pageSize = options.pageSize ?? 1000;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    requests.push({ method: req.method ?? 'GET', path, body });
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && path === '/v1/querybatch') {
      if (options.failWith) return send(options.failWith, { message: 'unavailable' });
      const queries = ((body as { queries?: BatchQuery[] })?.queries ?? []) as BatchQuery[];
      if (queries.length > 1000) return send(400, { message: 'too many queries' });
      const results = queries.map((query) => {
        if (query.package?.ecosystem !== 'PyPI') return {};
        const ids = options.advisories
          .filter((advisory) =>
            advisory.affected.some(
              (a) => a.name === query.package?.name && a.versions.includes(query.version ?? ''),
            ),
          )
          .map((advisory) => advisory.id);
        const start = query.page_token ? Number(query.page_token) : 0;
        const page = ids.slice(start, start + pageSize);
        const result: { vulns?: { id: string; modified: string }[]; next_page_token?: string } = {};
        if (page.length > 0) result.vulns = page.map((id) => ({ id, modified: '2024-01-01T00:00:00Z' }));
        if (start + pageSize < ids.length) result.next_page_token = String(start + pageSize);
        return result;
      });
      return send(200, { results });
    }
    const vuln = /^\/v1\/vulns\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && vuln) {
      const advisory = options.advisories.find((a) => a.id === decodeURIComponent(vuln[1]!));
      if (!advisory) return send(404, { message: 'Bug not found' });
      return send(200, { id: advisory.id, summary: advisory.summary, affected: [] });
    }
    send(404, { message: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
