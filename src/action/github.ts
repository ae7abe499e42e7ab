// The few GitHub REST calls the action makes, behind a small interface so the logic (sticky comment,
// audit issue) is testable with fakes and the end-to-end tests with the loopback server.
import type { getOctokit } from '@actions/github';
import { AUDIT_MARKER, MARKER } from '../report/common.js';

export interface GitHubApi {
  listComments(issue: number): Promise<{ id: number; body?: string | null }[]>;
  createComment(issue: number, body: string): Promise<void>;
  updateComment(id: number, body: string): Promise<void>;
  /** File content at a ref, or null when the file does not exist there (404). */
  getContent(path: string, ref: string): Promise<string | null>;
  listOpenIssues(): Promise<{ number: number; body?: string | null; pull_request?: unknown }[]>;
  createIssue(title: string, body: string): Promise<void>;
  updateIssue(
    issue: number,
    fields: { body?: string; state?: 'open' | 'closed'; title?: string },
  ): Promise<void>;
}

type Octokit = ReturnType<typeof getOctokit>;

export function octokitApi(octokit: Octokit, owner: string, repo: string): GitHubApi {
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
    async getContent(path, ref) {
      try {
        const res = await octokit.rest.repos.getContent({ owner, repo, path, ref });
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
  };
}

export type CommentResult =
  | { action: 'created' | 'updated' | 'skipped' }
  | { action: 'failed'; forbidden: boolean; message: string };

/**
 * One sticky comment, found by the hidden marker and edited in place. auto: post when there are findings,
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
    const existing = (await api.listComments(issue)).find((c) => c.body?.includes(MARKER));
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

/** Keep one open issue with the current audit findings (found by marker); close it when clean. */
export async function upsertAuditIssue(
  api: GitHubApi,
  body: string,
  hasFindings: boolean,
): Promise<AuditResult> {
  try {
    const existing = (await api.listOpenIssues()).find(
      (i) => !i.pull_request && i.body?.includes(AUDIT_MARKER),
    );
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
