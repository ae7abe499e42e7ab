// A loopback GitHub REST server with the few endpoints the action uses: issue comments (list, create,
// update), contents, issues (list, create, update), and who the token is (GraphQL viewer; GET /user
// answers 403 as it does for installation tokens). Comments and issues carry their author. Records every request; can answer 403 to writes
// (a fork PR's read-only token). Unknown routes answer 404 and are recorded, so tests can fail on them.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  body?: unknown;
}

export interface Author {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

/** GITHUB_TOKEN's bot user as REST shows it. */
export const ACTIONS_BOT: Author = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

export interface GitHubServerState {
  comments: { id: number; body: string; user: Author }[];
  issues: { number: number; title: string; body: string; state: string; user: Author }[];
  /** Who the token is: what writes are attributed to. */
  self: Author;
  /** false: the GraphQL endpoint errors too (then the action assumes GITHUB_TOKEN's bot). */
  graphqlViewer: boolean;
  /** path -> ref -> content */
  contents: Record<string, Record<string, string>>;
  readOnly: boolean;
  requests: Recorded[];
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startGitHubServer(initial: Partial<GitHubServerState> = {}) {
  const state: GitHubServerState = {
    comments: [],
    issues: [],
    self: ACTIONS_BOT,
    graphqlViewer: true,
    contents: {},
    readOnly: false,
    requests: [],
    ...initial,
  };
  let nextId = 100;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    state.requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
    const send = (status: number, data: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    if (url.pathname === '/graphql' && req.method === 'POST') {
      const query = String((body as { query?: string })?.query ?? '');
      if (!state.graphqlViewer || !/\bviewer\b/.test(query))
        return send(200, { errors: [{ message: 'Resource not accessible by integration' }] });
      // GraphQL names a bot without REST's "[bot]" suffix; the numeric id is the same.
      return send(200, {
        data: { viewer: { login: state.self.login.replace(/\[bot\]$/, ''), databaseId: state.self.id } },
      });
    }
    if (url.pathname === '/user' && req.method === 'GET')
      return send(403, { message: 'Resource not accessible by integration' });
    const write = req.method !== 'GET';
    if (write && state.readOnly) return send(403, { message: 'Resource not accessible by integration' });
    const route = (re: RegExp) => url.pathname.match(re);
    let m: RegExpMatchArray | null = null;
    m = route(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/);
    if (m) {
      if (req.method === 'GET') return send(200, state.comments);
      const c = { id: nextId++, body: (body as { body: string }).body, user: state.self };
      state.comments.push(c);
      return send(201, c);
    }
    m = route(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/);
    if (m && req.method === 'PATCH') {
      const c = state.comments.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = (body as { body: string }).body;
      return send(200, c);
    }
    m = route(/^\/repos\/[^/]+\/[^/]+\/contents\/(.+)$/);
    if (m && req.method === 'GET') {
      const content = state.contents[decodeURIComponent(m[1]!)]?.[url.searchParams.get('ref') ?? ''];
      if (content === undefined) return send(404, { message: 'Not Found' });
      return send(200, {
        type: 'file',
        encoding: 'base64',
        content: Buffer.from(content).toString('base64'),
      });
    }
    if (url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues$/)) {
      if (req.method === 'GET')
        return send(
          200,
          state.issues.filter((i) => i.state === 'open'),
        );
      const b = body as { title: string; body: string };
      const issue = {
        number: state.issues.length + 1,
        title: b.title,
        body: b.body,
        state: 'open',
        user: state.self,
      };
      state.issues.push(issue);
      return send(201, issue);
    }
    m = route(/^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/);
    if (m && req.method === 'PATCH') {
      const issue = state.issues.find((i) => i.number === Number(m![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      Object.assign(issue, body);
      return send(200, issue);
    }
    send(404, { message: `no route for ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
