// The bundled action run as the runner runs it (see harness.ts): scenarios without the scanning engine.
import { describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

describe('action end to end (bundled)', () => {
  it('passes a PR that changes no pinned package, and posts no comment', async () => {
    const gh = await startGitHubServer();
    try {
      const req = 'requests==2.32.3\n';
      const ws = makeRepo({ 'requirements.txt': req }, { 'requirements.txt': req, 'README.md': 'docs\n' });
      const r = await runAction(ws, gh.url);
      expect(r.stdout).toMatch(/diff mode: 1 lockfile\(s\), 0 package\(s\) to scan/);
      expect(r.code).toBe(0);
      expect(r.outputs).toMatch(/scanned<<\S+\n0\n/);
      expect(gh.state.requests.filter((q) => q.method !== 'GET')).toEqual([]);
      expect(gh.state.comments).toEqual([]);
    } finally {
      await gh.close();
    }
  }, 60_000);

  it('fails on a broken lockfile with a message naming the file', async () => {
    const gh = await startGitHubServer();
    try {
      const ws = makeRepo({}, { 'poetry.lock': '[[package]\nname = "x"\n' });
      const r = await runAction(ws, gh.url, { lockfiles: 'poetry.lock' });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::warning title=pypi-malware-gate%3A lockfile problem,file=poetry\.lock/);
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: nothing was scanned/);
      expect(r.summary).toMatch(/Lockfile problems/);
    } finally {
      await gh.close();
    }
  }, 60_000);

  it('reads the base from the contents API when the checkout lacks the base commit', async () => {
    const req = 'requests==2.32.3\n';
    const missingBase = 'f'.repeat(40);
    const gh = await startGitHubServer({ contents: { 'requirements.txt': { [missingBase]: req } } });
    try {
      const ws = makeRepo({}, { 'requirements.txt': req });
      const r = await runAction({ ...ws, baseSha: missingBase }, gh.url);
      expect(gh.state.requests.map((q) => q.path)).toContain(
        `/repos/owner/repo/contents/requirements.txt?ref=${missingBase}`,
      );
      expect(r.stdout).toMatch(/0 package\(s\) to scan/);
      expect(r.code).toBe(0);
    } finally {
      await gh.close();
    }
  }, 60_000);

  it('rejects an unknown key in the config file at the base commit, with its line', async () => {
    const gh = await startGitHubServer();
    try {
      const config = { '.github/pypi-malware-gate.yml': 'comment: auto\nfial-on: never\n' };
      const ws = makeRepo({ 'requirements.txt': '', ...config }, { 'requirements.txt': '', ...config });
      const r = await runAction(ws, gh.url);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/configuration error: \.github\/pypi-malware-gate\.yml:2: .*unknown key/);
    } finally {
      await gh.close();
    }
  }, 60_000);
});
