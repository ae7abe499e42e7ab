import { describe, expect, it } from 'vitest';
import {
  type Author,
  GITHUB_ACTIONS_BOT,
  type GitHubApi,
  type Identity,
  upsertAuditIssue,
  upsertComment,
  writtenBy,
} from '../../src/action/github.js';
import { AUDIT_MARKER, MARKER } from '../../src/report/common.js';

const bot: Author = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
const prAuthor: Author = { login: 'mallory', id: 666, type: 'User' };

function fakeApi(opts: { forbidden?: boolean; self?: Identity; others?: boolean } = {}) {
  const self: Author = opts.self ? { login: opts.self.login, id: opts.self.id } : bot;
  const comments: { id: number; body: string; user: Author }[] = [
    { id: 1, body: 'unrelated', user: prAuthor },
  ];
  const issues: { number: number; body: string; state: string; user: Author }[] = [];
  if (opts.others) {
    comments.push({ id: 2, body: `${MARKER}\nall clear, trust me`, user: prAuthor });
    issues.push({ number: 1, body: `${AUDIT_MARKER}\nnothing to see`, state: 'open', user: prAuthor });
  }
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
      comments.push({ id: comments.length + 1, body, user: self });
    },
    updateComment: async (id, body) => {
      deny();
      calls.push(`update ${id}`);
      comments.find((c) => c.id === id)!.body = body;
    },
    getContent: async () => null,
    listOpenIssues: async () => issues.filter((i) => i.state === 'open'),
    createIssue: async (_t, body) =>
      void issues.push({ number: issues.length + 1, body, state: 'open', user: self }),
    updateIssue: async (n, f) => {
      calls.push(`update issue ${n}`);
      Object.assign(issues.find((i) => i.number === n)!, f);
    },
    identity: async () => opts.self,
  };
  return { api, comments, issues, calls };
}

describe('writtenBy', () => {
  it('matches by user id when both sides know it, else by login with or without [bot]', () => {
    expect(writtenBy(bot, GITHUB_ACTIONS_BOT)).toBe(true);
    expect(writtenBy({ login: 'github-actions[bot]', id: 1 }, GITHUB_ACTIONS_BOT)).toBe(false);
    expect(writtenBy({ login: 'my-gate[bot]' }, { login: 'my-gate' })).toBe(true);
    expect(writtenBy(prAuthor, GITHUB_ACTIONS_BOT)).toBe(false);
    expect(writtenBy(null, GITHUB_ACTIONS_BOT)).toBe(false);
  });
});

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

  it("never edits a pull request author's comment that carries the marker: posts its own", async () => {
    const { api, comments, calls } = fakeApi({ others: true });
    expect(await upsertComment(api, 7, `${MARKER}\nbad`, 'auto', true)).toEqual({ action: 'created' });
    expect(calls).toEqual(['create']);
    expect(comments.find((c) => c.id === 2)!.body).toBe(`${MARKER}\nall clear, trust me`);
    expect(await upsertComment(api, 7, `${MARKER}\nworse`, 'auto', true)).toEqual({ action: 'updated' });
    expect(calls).toEqual(['create', 'update 3']);
  });

  it('adopts what an app token wrote when the token names that app', async () => {
    const self = { login: 'pmg-app[bot]', id: 5150 };
    const { api, calls } = fakeApi({ self });
    await upsertComment(api, 7, `${MARKER}\nbad`, 'auto', true);
    await upsertComment(api, 7, `${MARKER}\nworse`, 'auto', true);
    expect(calls).toEqual(['create', 'update 2']);
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
  it('leaves an open issue with the marker that someone else wrote alone', async () => {
    const { api, issues, calls } = fakeApi({ others: true });
    expect(await upsertAuditIssue(api, 'a', true)).toEqual({ action: 'created' });
    expect(issues[0]!.body).toBe(`${AUDIT_MARKER}\nnothing to see`);
    expect(await upsertAuditIssue(api, 'clean', false)).toEqual({ action: 'closed' });
    expect(calls).toEqual(['update issue 2']);
    expect(issues[0]!.state).toBe('open');
  });

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
