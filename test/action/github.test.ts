import { describe, expect, it } from 'vitest';
import { type GitHubApi, upsertAuditIssue, upsertComment } from '../../src/action/github.js';
import { AUDIT_MARKER, MARKER } from '../../src/report/common.js';

function fakeApi(opts: { forbidden?: boolean } = {}) {
  const comments: { id: number; body: string }[] = [{ id: 1, body: 'unrelated' }];
  const issues: { number: number; body: string; state: string }[] = [];
  const calls: string[] = [];
  const deny = () => {
    if (opts.forbidden)
      throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 });
  };
  const api: GitHubApi = {
    listComments: async () => comments,
    createComment: async (_i, body) => {
      deny();
      calls.push('create');
      comments.push({ id: comments.length + 1, body });
    },
    updateComment: async (id, body) => {
      deny();
      calls.push(`update ${id}`);
      comments.find((c) => c.id === id)!.body = body;
    },
    getContent: async () => null,
    listOpenIssues: async () => issues.filter((i) => i.state === 'open'),
    createIssue: async (_t, body) => void issues.push({ number: issues.length + 1, body, state: 'open' }),
    updateIssue: async (n, f) => void Object.assign(issues.find((i) => i.number === n)!, f),
  };
  return { api, comments, issues, calls };
}

describe('upsertComment', () => {
  it('creates once on findings, edits in place after, turns to all-clear, and stays quiet when clean', async () => {
    const { api, comments, calls } = fakeApi();
    expect(await upsertComment(api, 7, `${MARKER}\nclean`, 'auto', false)).toEqual({ action: 'skipped' });
    expect(await upsertComment(api, 7, `${MARKER}\nbad`, 'auto', true)).toEqual({ action: 'created' });
    expect(await upsertComment(api, 7, `${MARKER}\nworse`, 'auto', true)).toEqual({ action: 'updated' });
    expect(await upsertComment(api, 7, `${MARKER}\nall clear`, 'auto', false)).toEqual({ action: 'updated' });
    expect(calls).toEqual(['create', 'update 2', 'update 2']);
    expect(comments.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
  });

  it('returns a fork token 403 as a value', async () => {
    const { api } = fakeApi({ forbidden: true });
    expect(await upsertComment(api, 7, `${MARKER}\nbad`, 'auto', true)).toMatchObject({
      action: 'failed',
      forbidden: true,
    });
  });

  it('never comments in never mode', async () => {
    const { api, calls } = fakeApi();
    expect(await upsertComment(api, 7, 'x', 'never', true)).toEqual({ action: 'skipped' });
    expect(calls).toEqual([]);
  });
});

describe('upsertAuditIssue', () => {
  it('keeps one issue, updates it, and closes it when clean', async () => {
    const { api, issues } = fakeApi();
    expect(await upsertAuditIssue(api, 'a', true)).toEqual({ action: 'created' });
    expect(await upsertAuditIssue(api, 'b', true)).toEqual({ action: 'updated' });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toBe(`${AUDIT_MARKER}\nb`);
    expect(await upsertAuditIssue(api, 'clean', false)).toEqual({ action: 'closed' });
    expect(issues[0]!.state).toBe('closed');
    expect(await upsertAuditIssue(api, 'clean', false)).toEqual({ action: 'skipped' });
  });
});
