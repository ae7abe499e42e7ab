// The bundled action with the real engine, end to end: lockfiles at base and head, the loopback index
// serving archives built by the test, the bundled model, policy, annotations, the sticky comment, the summary,
// SARIF and outputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { honestRelease, maliciousRelease } from './fixtures.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

const projects = () => ({
  'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
  'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
  'inj-pkg': {
    versions: [
      maliciousRelease('inj-pkg', '0.1', ' # </details> @octocat [x](javascript:alert(1)) ` <img src=x>'),
    ],
  },
});

describe('action end to end with the engine (bundled, loopback index)', () => {
  it('passes a PR that adds an honest package, with no comment', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: projects() });
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'tidy-tables==1.4.2\n' });
      const r = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(r.stdout).toMatch(/1 package\(s\) to scan/);
      expect(r.outputs).toMatch(/scanned<<\S+\n1\n/);
      expect(r.outputs).toMatch(/malicious<<\S+\n0\n/);
      expect(r.code).toBe(0);
      expect(gh.state.comments).toEqual([]);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 60_000);

  it('fails a PR that adds a malicious package: annotation on its line, one comment, edited on the next run, all-clear after the fix', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: projects() });
    try {
      const head = 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n';
      const ws = makeRepo({ 'requirements.txt': 'tidy-tables==1.4.2\n' }, { 'requirements.txt': head });
      const r = await runAction(ws, gh.url, { 'index-url': index.url });
      console.log(r.stdout);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error title=[^\n]*tidy-tabels[^\n]*,file=requirements\.txt,line=2::/);
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: 1 malicious package/);
      expect(gh.state.comments).toHaveLength(1);
      const comment = gh.state.comments[0]!.body;
      expect(comment).toMatch(/tidy\\?-tabels/);
      expect(comment).toMatch(/setup\.py:8/);
      expect(r.summary).toMatch(/tidy\\?-tabels/);
      const sarif = JSON.parse(readFileSync(join(ws.dir, 'pypi-malware-gate.sarif'), 'utf8'));
      const located = sarif.runs[0].results.find((x: { locations: unknown[] }) => x.locations.length > 0);
      expect(located.locations[0].physicalLocation.region.startLine).toBe(2);
      const report = JSON.parse(readFileSync(join(ws.dir, 'pypi-malware-gate.json'), 'utf8'));
      const flagged = report.packages.find((p: { ref: { name: string } }) => p.ref.name === 'tidy-tabels');
      expect(flagged.verdict).toBe('malicious');
      expect(flagged.evidence[0].path).toMatch(/setup\.py$/);

      // The same findings again: the comment is left as it is (same body, warm cache or cold).
      const same = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(same.code).toBe(1);
      expect(gh.state.comments).toHaveLength(1);
      expect(gh.state.requests.some((q) => q.method === 'PATCH')).toBe(false);
      // An older report in the comment is edited in place, not posted again.
      gh.state.comments[0]!.body = `${gh.state.comments[0]!.body.split('\n')[0]}\nan older report`;
      const again = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(again.code).toBe(1);
      expect(gh.state.comments).toHaveLength(1);
      expect(gh.state.requests.some((q) => q.method === 'PATCH')).toBe(true);

      const fixed = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
      );
      const clean = await runAction({ ...fixed, dir: fixed.dir }, gh.url, { 'index-url': index.url });
      expect(clean.code).toBe(0);
      expect(gh.state.comments).toHaveLength(1);
      expect(gh.state.comments[0]!.body).not.toMatch(/tidy\\?-tabels/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);

  it("still reports when a fork's read-only token cannot comment", async () => {
    const gh = await startGitHubServer({ readOnly: true });
    const index = await startIndexServer({ projects: projects() });
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'tidy-tabels==1.4.2\n' });
      const r = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/Cannot comment on this pull request/);
      expect(r.stdout).toMatch(/::error [^\n]*file=requirements\.txt,line=1/);
      expect(r.summary).toMatch(/tidy\\?-tabels/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 60_000);

  it('scans every pinned package in full mode (scheduled audit)', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: projects() });
    try {
      const req = 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n';
      const ws = makeRepo({ 'requirements.txt': req }, { 'requirements.txt': req });
      const r = await runAction(ws, gh.url, { 'index-url': index.url, 'audit-issue': 'true' }, 'schedule');
      expect(r.stdout).toMatch(/full mode: 1 lockfile\(s\), 2 package\(s\) to scan/);
      expect(r.outputs).toMatch(/scanned<<\S+\n2\n/);
      expect(r.code).toBe(1);
      expect(gh.state.issues).toHaveLength(1);
      expect(gh.state.issues[0]!.body).toMatch(/tidy\\?-tabels/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 60_000);

  it('keeps hostile text from the package inert in the comment', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: projects() });
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'inj-pkg==0.1\n' });
      const r = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(r.code).toBe(1);
      const body = gh.state.comments[0]!.body;
      expect(body).not.toMatch(/<img/);
      expect(body).not.toMatch(/(^|[^`\w])@octocat/);
      expect(body).not.toMatch(/\]\(javascript:/);
      expect(body.match(/<details>/g)?.length ?? 0).toBe(body.match(/<\/details>/g)?.length ?? 0);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 60_000);
});
