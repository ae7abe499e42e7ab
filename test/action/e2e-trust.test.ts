// The bundled action against a hostile pull request (issue 10, items 6-10 and 13): the PR cannot configure
// its own gate, pull_request_target scans the PR head from git objects, reads and report writes stay in
// the workspace, the sticky comment and audit issue are adopted only from the token's own identity, and
// untrusted text cannot issue workflow commands or hide itself in the log. Progress lines stream per package.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { startOsvServer } from '../servers/osv-server.js';
import { honestRelease, maliciousRelease } from './fixtures.js';
import { cleanup, git, makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

const projects = () => ({
  'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
  'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
  'evil-pkg': { versions: [maliciousRelease('evil-pkg', '1.10')] },
});

const CONFIG = '.github/pypi-malware-gate.yml';
const allowEvil = (version: string) =>
  `allow:\n  - package: tidy-tabels\n    version: ${version}\n    reason: trust me\n`;

async function servers() {
  const gh = await startGitHubServer();
  const index = await startIndexServer({ projects: projects() });
  return {
    gh,
    index,
    close: async () => {
      await index.close();
      await gh.close();
    },
  };
}

/** Commits a symlink in the workspace (the head commit's checkout). */
function commitSymlink(dir: string, path: string, target: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  symlinkSync(target, join(dir, path));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'symlink');
  return git(dir, 'rev-parse', 'HEAD');
}

describe('a pull request cannot configure its own gate', () => {
  it('reads the config file from the base commit: an allow entry added by the PR does not apply, and the change is reported', async () => {
    const s = await servers();
    try {
      const ws = makeRepo(
        { 'requirements.txt': '' },
        { 'requirements.txt': 'tidy-tabels==1.4.2\n', [CONFIG]: `fail-on: never\n${allowEvil('"1.4.2"')}` },
      );
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: 1 malicious package/);
      expect(r.stdout).toMatch(
        /::warning title=pypi-malware-gate%3A configuration,file=\.github\/pypi-malware-gate\.yml::[^\n]*is added in this pull request \(changes allow, fail-on\)[^\n]*takes effect after merge/,
      );
      expect(r.summary).toMatch(/\*\*Configuration:\*\* [^\n]*is added in this pull request/);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('applies the base commit allow entry, an unquoted version 1.10 meaning 1.10', async () => {
    const s = await servers();
    try {
      const config = { [CONFIG]: 'allow:\n  - package: evil-pkg\n    version: 1.10\n    reason: reviewed\n' };
      const ws = makeRepo(
        { 'requirements.txt': '', ...config },
        { 'requirements.txt': 'evil-pkg==1.10\n', ...config },
      );
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url });
      expect(r.stdout).toMatch(/\[1\/1\] allowed\s+evil-pkg 1\.10/);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/configuration,file/);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('honours osv: false in the config file when the osv input is not set', async () => {
    const s = await servers();
    const osv = await startOsvServer({ advisories: [] });
    try {
      const config = { [CONFIG]: 'osv: false\n' };
      const ws = makeRepo(
        { 'requirements.txt': '', ...config },
        { 'requirements.txt': 'tidy-tables==1.4.2\n', ...config },
      );
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url, osv: '', 'osv-url': osv.url });
      expect(r.code).toBe(0);
      expect(osv.requests).toEqual([]);
      // And an input that is set wins over the file.
      const ws2 = makeRepo(
        { 'requirements.txt': '', ...config },
        { 'requirements.txt': 'tidy-tables==1.4.2\n', ...config },
      );
      await runAction(ws2, s.gh.url, { 'index-url': s.index.url, osv: 'true', 'osv-url': osv.url });
      expect(osv.requests.length).toBeGreaterThan(0);
    } finally {
      await osv.close();
      await s.close();
    }
  }, 120_000);
});

describe('pull_request_target', () => {
  it('scans the head lockfiles from git objects while the checkout is the base, fetching the head when missing', async () => {
    const s = await servers();
    try {
      // origin: main at base, the PR head only under refs/pull/7/head (as GitHub serves it).
      const origin = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
        {
          'requirements.txt': 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n',
        },
      );
      git(origin.dir, 'update-ref', 'refs/pull/7/head', origin.headSha);
      git(origin.dir, 'reset', '-q', '--hard', origin.baseSha);
      const dir = mkdtempSync(join(tmpdir(), 'pmg-target-'));
      cleanup.push(dir);
      git(dir, 'clone', '-q', '--no-local', '--single-branch', '--branch', 'main', origin.dir, '.');
      expect(() => git(dir, 'cat-file', '-e', `${origin.headSha}^{commit}`)).toThrow();
      const r = await runAction(
        { dir, baseSha: origin.baseSha, headSha: origin.headSha },
        s.gh.url,
        { 'index-url': s.index.url },
        'pull_request_target',
      );
      expect(r.stdout).toMatch(
        /diff mode: 1 lockfile\(s\), 1 package\(s\) to scan \(head commit [0-9a-f]{12}, read from git objects\)/,
      );
      expect(r.stdout).toMatch(/malicious\s+tidy-tabels 1\.4\.2/);
      expect(r.code).toBe(1);
      // Nothing of the head was checked out.
      expect(readFileSync(join(dir, 'requirements.txt'), 'utf8')).toBe('tidy-tables==1.4.2\n');
      expect(git(dir, 'rev-parse', 'HEAD')).toBe(origin.baseSha);
    } finally {
      await s.close();
    }
  }, 90_000);
});

describe('a shallow checkout', () => {
  it('fetches the base commit it lacks and reads the base lockfiles and config from git, not the contents API', async () => {
    const s = await servers();
    try {
      const origin = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n', [CONFIG]: 'fail-on: malicious\n' },
        { 'requirements.txt': 'tidy-tables==1.4.2\ntidy-tabels==1.4.2\n', [CONFIG]: 'fail-on: never\n' },
      );
      const dir = mkdtempSync(join(tmpdir(), 'pmg-shallow-'));
      cleanup.push(dir);
      git(dir, 'clone', '-q', '--depth=1', `file://${origin.dir}`, '.');
      expect(() => git(dir, 'cat-file', '-e', `${origin.baseSha}^{commit}`)).toThrow();
      const r = await runAction({ dir, baseSha: origin.baseSha, headSha: origin.headSha }, s.gh.url, {
        'index-url': s.index.url,
      });
      expect(s.gh.state.requests.filter((q) => q.path.includes('/contents/'))).toEqual([]);
      expect(r.stdout).toMatch(/diff mode: 1 lockfile\(s\), 1 package\(s\) to scan/);
      expect(r.stdout).toMatch(/changes fail-on/);
      expect(r.code).toBe(1);
    } finally {
      await s.close();
    }
  }, 90_000);
});

describe('reads and writes stay inside the workspace', () => {
  it('refuses to write a report through a symlink committed in the pull request', async () => {
    const s = await servers();
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'tidy-tables==1.4.2\n' });
      const outside = join(ws.dir, '..', `${ws.headSha}-victim.json`);
      writeFileSync(outside, 'precious\n');
      cleanup.push(outside);
      const headSha = commitSymlink(ws.dir, 'pypi-malware-gate.json', outside);
      const r = await runAction({ ...ws, headSha }, s.gh.url, { 'index-url': s.index.url });
      expect(readFileSync(outside, 'utf8')).toBe('precious\n');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/pypi-malware-gate\.json: refusing to write through a symlink/);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('lists no lockfile through a symlink, and writes a sarif-file into a new folder', async () => {
    const s = await servers();
    try {
      const outsideDir = mkdtempSync(join(tmpdir(), 'pmg-outside-'));
      cleanup.push(outsideDir);
      writeFileSync(join(outsideDir, 'requirements.txt'), 'tidy-tabels==1.4.2\n');
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'tidy-tables==1.4.2\n' });
      let headSha = commitSymlink(ws.dir, 'linked/requirements.txt', join(outsideDir, 'requirements.txt'));
      headSha = commitSymlink(ws.dir, 'dirlink', outsideDir);
      const r = await runAction({ ...ws, headSha }, s.gh.url, {
        'index-url': s.index.url,
        lockfiles: '**/requirements.txt',
        'sarif-file': 'reports/out.sarif',
      });
      expect(r.stdout).toMatch(/diff mode: 1 lockfile\(s\), 1 package\(s\) to scan/);
      expect(r.stdout).not.toMatch(/tidy-tabels/);
      expect(r.code).toBe(0);
      expect(existsSync(join(ws.dir, 'reports/out.sarif'))).toBe(true);
      const elsewhere = join(outsideDir, 'abs.sarif');
      const abs = await runAction({ ...ws, headSha }, s.gh.url, {
        'index-url': s.index.url,
        'sarif-file': elsewhere,
      });
      expect(abs.code).toBe(0);
      expect(JSON.parse(readFileSync(elsewhere, 'utf8')).version).toBe('2.1.0');
      expect(abs.outputs).toContain(elsewhere);
      const viaLink = await runAction({ ...ws, headSha }, s.gh.url, {
        'index-url': s.index.url,
        'sarif-file': 'dirlink/x.sarif',
      });
      expect(viaLink.code).toBe(1);
      expect(viaLink.stdout).toMatch(/dirlink\/x\.sarif: its folder resolves outside the workspace/);
    } finally {
      await s.close();
    }
  }, 90_000);
});

describe('requirements includes cannot read outside the workspace', () => {
  it('never reads .git/config (where checkout keeps the token) or a path above the workspace', async () => {
    const s = await servers();
    try {
      const secret = 'c2VjcmV0LXRva2Vu';
      const ws = makeRepo(
        { 'requirements.txt': '' },
        {
          'requirements.txt':
            '-r .git/config\n-r ../../../../proc/self/environ\n-r ../outside.txt\ntidy-tables==1.4.2\n',
        },
      );
      git(ws.dir, 'config', 'http.extraheader', `AUTHORIZATION: basic ${secret}`);
      writeFileSync(join(ws.dir, '..', 'outside.txt'), `${secret}==1.0\n`);
      cleanup.push(join(ws.dir, '..', 'outside.txt'));
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url, comment: 'always' });
      const report = readFileSync(join(ws.dir, 'pypi-malware-gate.json'), 'utf8');
      for (const out of [r.stdout, r.summary, report, JSON.stringify(s.gh.state.comments)]) {
        expect(out).not.toContain(secret);
        expect(out).not.toMatch(/extraheader|HOSTNAME=|PATH=/i);
      }
      expect(r.stdout).toMatch(/\[1\/1\] benign\s+tidy-tables 1\.4\.2/);
    } finally {
      await s.close();
    }
  }, 90_000);
});

describe('the comment and the audit issue are adopted only from the token itself', () => {
  it("posts its own comment instead of editing a PR author's comment that carries the marker", async () => {
    const s = await servers();
    try {
      const forged = {
        id: 1,
        body: '<!-- pypi-malware-gate -->\nall clear',
        user: { login: 'mallory', id: 666, type: 'User' as const },
      };
      s.gh.state.comments.push(forged);
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'tidy-tabels==1.4.2\n' });
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url });
      expect(r.code).toBe(1);
      expect(s.gh.state.comments).toHaveLength(2);
      expect(s.gh.state.comments[0]).toEqual(forged);
      expect(s.gh.state.comments[1]!.user.login).toBe('github-actions[bot]');
      expect(s.gh.state.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/comments/1'))).toBe(
        false,
      );
      // The next run edits the gate's own comment (here holding an older report).
      s.gh.state.comments[1]!.body = '<!-- pypi-malware-gate -->\nan older report';
      await runAction(ws, s.gh.url, { 'index-url': s.index.url });
      expect(s.gh.state.comments).toHaveLength(2);
      expect(s.gh.state.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('opens its own audit issue instead of writing into one someone else opened with the marker', async () => {
    const s = await servers();
    try {
      const forged = {
        number: 1,
        title: 'audit',
        body: '<!-- pypi-malware-gate:audit -->\nnothing to see',
        state: 'open',
        user: { login: 'mallory', id: 666, type: 'User' as const },
      };
      s.gh.state.issues.push(forged);
      const req = 'tidy-tabels==1.4.2\n';
      const ws = makeRepo({ 'requirements.txt': req }, { 'requirements.txt': req });
      await runAction(ws, s.gh.url, { 'index-url': s.index.url, 'audit-issue': 'true' }, 'schedule');
      expect(s.gh.state.issues).toHaveLength(2);
      expect(s.gh.state.issues[0]).toEqual(forged);
    } finally {
      await s.close();
    }
  }, 90_000);
});

describe('the log', () => {
  it('prints one progress line per package inside a group per lockfile, and keeps hostile paths inert', async () => {
    const s = await servers();
    try {
      const hostile = 'x##[stop-commands]tok\u202eevil';
      const ws = makeRepo(
        { 'requirements.txt': '' },
        {
          'requirements.txt': 'tidy-tables==1.4.2\n',
          [`${hostile}/requirements.txt`]: 'tidy-tabels==1.4.2\n',
        },
      );
      const r = await runAction(ws, s.gh.url, { 'index-url': s.index.url });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/##\[/);
      expect(r.stdout).not.toMatch(/\u202e/);
      expect(r.stdout).toMatch(/x##\\\[stop-commands\]tok\\u202eevil/);
      expect(r.stdout).toMatch(
        /::group::requirements\.txt \(requirements, ok, 1 to scan\)\n(?:[^\n]*\n)*?\[\d\/2\] benign\s+tidy-tables 1\.4\.2 \(\d+\.\d s\)\n::endgroup::/,
      );
      expect(r.stdout).toMatch(/\[\d\/2\] malicious\s+tidy-tabels 1\.4\.2/);
      expect(r.stdout).toMatch(
        /::error title=[^\n]*tidy-tabels[^\n]*,file=x##\\\[stop-commands\]tok\\u202eevil\/requirements\.txt,line=1::/,
      );
    } finally {
      await s.close();
    }
  }, 90_000);
});
