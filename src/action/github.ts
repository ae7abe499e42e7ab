// The few GitHub REST calls the action makes, behind a small interface so the logic (sticky comment,
// audit issue) is testable with fakes and the end-to-end tests with the loopback server.
import type { getOctokit } from '@actions/github';
import { AUDIT_MARKER, MARKER } from '../report/common.js';

/** The author of a comment or issue, as the REST API gives it. */
export interface Author {
  login?: string;
  id?: number;
  type?: string;
}

/** Who the token acts as: a user (a personal token) or an app's bot user (GITHUB_TOKEN, an app token). */
export interface Identity {
  login: string;
  /** The numeric user id (REST `user.id`, GraphQL `databaseId`), when known: the reliable key. */
  id?: number;
}

/**
 * The workflow's GITHUB_TOKEN acts as the GitHub Actions app, whose bot user is this one. Used when the
 * token cannot say who it is; a pull request author cannot be this user.
 */
export const GITHUB_ACTIONS_BOT: Identity = { login: 'github-actions[bot]', id: 41898282 };

export interface GitHubApi {
  listComments(issue: number): Promise<{ id: number; body?: string | null; user?: Author | null }[]>;
  createComment(issue: number, body: string): Promise<void>;
  updateComment(id: number, body: string): Promise<void>;
  /** File content at a ref, or null when the file does not exist there (404). */
  /** A file at a ref of this repository, or of another one (a central config file); null when absent. */
  getContent(path: string, ref: string, repository?: { owner: string; repo: string }): Promise<string | null>;
  listOpenIssues(): Promise<
    { number: number; body?: string | null; pull_request?: unknown; user?: Author | null }[]
  >;
  createIssue(title: string, body: string): Promise<void>;
  updateIssue(
    issue: number,
    fields: { body?: string; state?: 'open' | 'closed'; title?: string },
  ): Promise<void>;
  /** Who the token acts as, or undefined when the API will not say. */
  identity(): Promise<Identity | undefined>;
}

const bareLogin = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');

/** Whether the token's own identity wrote it: by user id when both are known, else by login. */
export function writtenBy(author: Author | null | undefined, self: Identity): boolean {
  if (!author) return false;
  if (self.id !== undefined && author.id !== undefined) return author.id === self.id;
  return author.login !== undefined && bareLogin(author.login) === bareLogin(self.login);
}

/**
 * Who an installation token is. GET /user answers 403 for installation tokens (GITHUB_TOKEN included) and
 * GET /app needs the app's JWT; GraphQL `viewer` answers for both user and installation tokens with the
 * login and the numeric id. When neither answers, GITHUB_TOKEN's bot user is assumed.
 */
async function whoAmI(octokit: Octokit): Promise<Identity> {
  try {
    const { viewer } = await octokit.graphql<{ viewer: { login: string; databaseId?: number | null } }>(
      'query { viewer { login databaseId } }',
    );
    if (viewer?.login) return { login: viewer.login, id: viewer.databaseId ?? undefined };
  } catch {
    // fall through to REST
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return { login: data.login, id: data.id };
  } catch {
    return GITHUB_ACTIONS_BOT;
  }
}

type Octokit = ReturnType<typeof getOctokit>;

export function octokitApi(octokit: Octokit, owner: string, repo: string): GitHubApi {
  let identity: Promise<Identity> | undefined;
  return {
    async listComments(issue) {
      return octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issue,
        per_page: 100,
      });
    },
    async createComment(issue, body) {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body });
    },
    async updateComment(id, body) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    },
    async getContent(path, ref, repository) {
      try {
        const res = await octokit.rest.repos.getContent({
          owner: repository?.owner ?? owner,
          repo: repository?.repo ?? repo,
          path,
          ref,
        });
        const data = res.data as { type?: string; content?: string; encoding?: string };
        if (Array.isArray(res.data) || data.type !== 'file' || data.content === undefined) {
          throw new Error(`${path} at ${ref} is not a file`);
        }
        return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    async listOpenIssues() {
      return octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: 'open', per_page: 100 });
    },
    async createIssue(title, body) {
      await octokit.rest.issues.create({ owner, repo, title, body });
    },
    async updateIssue(issue, fields) {
      await octokit.rest.issues.update({ owner, repo, issue_number: issue, ...fields });
    },
    identity() {
      identity ??= whoAmI(octokit);
      return identity;
    },
  };
}

export type CommentResult =
  | { action: 'created' | 'updated' | 'skipped' }
  | { action: 'failed'; forbidden: boolean; message: string };

/**
 * One sticky comment, found by the hidden marker and its author (the token's identity), edited in place. auto: post when there are findings,
 * and turn an earlier comment into all-clear when they are gone; always: post or update every run.
 * A 403 (fork PRs get a read-only token) is returned as a value, never thrown.
 */
export async function upsertComment(
  api: GitHubApi,
  issue: number,
  body: string,
  mode: 'auto' | 'always' | 'never',
  hasFindings: boolean,
): Promise<CommentResult> {
  if (mode === 'never') return { action: 'skipped' };
  try {
    // Only a comment the token's own identity wrote is adopted: a pull request author can post the marker
    // too, and editing their comment would put the gate's verdict under their name.
    const marked = (await api.listComments(issue)).filter((c) => c.body?.includes(MARKER));
    const self = marked.length > 0 ? ((await api.identity()) ?? GITHUB_ACTIONS_BOT) : undefined;
    const existing = self && marked.find((c) => writtenBy(c.user, self));
    if (existing) {
      if (existing.body === body) return { action: 'skipped' };
      await api.updateComment(existing.id, body);
      return { action: 'updated' };
    }
    if (mode === 'auto' && !hasFindings) return { action: 'skipped' };
    await api.createComment(issue, body);
    return { action: 'created' };
  } catch (err) {
    const status = (err as { status?: number }).status;
    return {
      action: 'failed',
      forbidden: status === 403,
      message: err instanceof Error ? err.message : String(err),
    };
  }
}

export type AuditResult =
  | { action: 'created' | 'updated' | 'closed' | 'skipped' }
  | { action: 'failed'; message: string };

/** Keep one open issue with the current audit findings (found by marker and author); close it when clean. */
export async function upsertAuditIssue(
  api: GitHubApi,
  body: string,
  hasFindings: boolean,
): Promise<AuditResult> {
  try {
    const candidates = (await api.listOpenIssues()).filter(
      (i) => !i.pull_request && i.body?.includes(AUDIT_MARKER),
    );
    const self = candidates.length > 0 ? ((await api.identity()) ?? GITHUB_ACTIONS_BOT) : undefined;
    const existing = self && candidates.find((i) => writtenBy(i.user, self));
    const marked = `${AUDIT_MARKER}\n${body}`;
    if (!hasFindings) {
      if (!existing) return { action: 'skipped' };
      await api.updateIssue(existing.number, { body: marked, state: 'closed' });
      return { action: 'closed' };
    }
    if (existing) {
      await api.updateIssue(existing.number, { body: marked });
      return { action: 'updated' };
    }
    await api.createIssue('pypi-malware-gate: malicious or suspicious packages in lockfiles', marked);
    return { action: 'created' };
  } catch (err) {
    return { action: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}
