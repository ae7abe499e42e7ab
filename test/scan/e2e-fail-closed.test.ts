// The fail-closed rule through the bundled action (issue 10 items 1 and 4): a release whose sdist is
// honest and whose wheel the reader refuses (a compression-ratio bomb, an encrypted member) is
// `unscannable`, fails the check with the reason in every report, passes with an allow entry that leaves
// a trace, and only warns with fail-on-unscannable: false. Built archives, loopback index and GitHub API.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSdist, makeWheel, makeZip } from '../fixtures/archives.js';
import { honestRelease } from '../action/fixtures.js';
import { makeRepo, runAction, useBundledAction } from '../action/harness.js';
import { startGitHubServer } from '../servers/github-server.js';
import { type ServedVersion, startIndexServer } from '../servers/index-server.js';

useBundledAction();

const MiB = 1024 * 1024;
const HONEST_FILES = {
  'packed_tables/__init__.py': '"""Packed tables."""\n__version__ = "1.0"\n',
  'README.md': '# packed-tables\n\nPrints tables.\n',
};

/** An honest sdist next to a wheel holding 4 MiB of zeros: over the reader's 100:1 ratio limit. */
function bombRelease(): ServedVersion {
  const p = { name: 'packed-tables', version: '1.0', files: HONEST_FILES };
  return {
    version: '1.0',
    files: [
      { filename: 'packed_tables-1.0.tar.gz', bytes: makeSdist(p) },
      {
        filename: 'packed_tables-1.0-py3-none-any.whl',
        bytes: makeWheel({
          ...p,
          files: { ...HONEST_FILES, 'packed_tables/table.bin': Buffer.alloc(4 * MiB) },
        }),
      },
    ],
  };
}

/** An honest sdist next to a wheel whose module is an encrypted zip member (no reader can open it). */
function lockedRelease(): ServedVersion {
  const p = { name: 'locked-tables', version: '1.0', files: { 'locked_tables/__init__.py': 'X = 1\n' } };
  const dist = 'locked_tables-1.0.dist-info';
  const wheel = makeZip([
    { path: 'locked_tables/__init__.py', data: 'import os\nos.system("id")\n', encrypted: true },
    { path: `${dist}/METADATA`, data: 'Metadata-Version: 2.1\nName: locked-tables\nVersion: 1.0\n' },
    { path: `${dist}/WHEEL`, data: 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n' },
    { path: `${dist}/RECORD`, data: '' },
  ]);
  return {
    version: '1.0',
    files: [
      { filename: 'locked_tables-1.0.tar.gz', bytes: makeSdist(p) },
      { filename: 'locked_tables-1.0-py3-none-any.whl', bytes: wheel },
    ],
  };
}

const projects = () => ({
  'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
  'packed-tables': { versions: [bombRelease()] },
  'locked-tables': { versions: [lockedRelease()] },
});

const WHEEL = 'packed_tables-1.0-py3-none-any.whl';
const head = 'tidy-tables==1.4.2\npacked-tables==1.0\n';

async function withServers<T>(
  fn: (index: string, gh: Awaited<ReturnType<typeof startGitHubServer>>) => Promise<T>,
) {
  const gh = await startGitHubServer();
  const index = await startIndexServer({ projects: projects() });
  try {
    return await fn(index.url, gh);
  } finally {
    await index.close();
    await gh.close();
  }
}

const jsonReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'pypi-malware-gate.json'), 'utf8'));
const sarifReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'pypi-malware-gate.sarif'), 'utf8'));
// Markdown escapes, zero-width joiners (summary) and code-span fences (comment) taken out to read the text.
const plain = (md: string) => md.replace(/\\|\u200d/g, '').replace(/`+ | `+/g, '');

describe('fail closed, end to end (bundled action, loopback index)', () => {
  it('an honest sdist does not vouch for a wheel the reader refuses: unscannable, the check fails, every report says why', async () => {
    await withServers(async (indexUrl, gh) => {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': head });
      const r = await runAction(ws, gh.url, { 'index-url': indexUrl });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: 1 unscannable package\(s\)/);
      expect(r.outputs).toMatch(/unscannable<<\S+\n1\n/);
      expect(r.stdout).toMatch(
        /::error title=pypi-malware-gate%3A packed-tables 1\.0 is unscannable,file=requirements\.txt,line=2::[^\n]*packed_tables-1\.0-py3-none-any\.whl: archive: [^\n]*ratio/,
      );
      const report = jsonReport(ws.dir);
      expect(report.counts).toMatchObject({ scanned: 1, unscannable: 1, malicious: 0 });
      const packed = report.packages.find((p: { ref: { name: string } }) => p.ref.name === 'packed-tables');
      expect(packed.verdict).toBe('unscannable');
      expect(packed.artifacts.map((a: { filename: string }) => a.filename)).toContain(
        'packed_tables-1.0.tar.gz',
      );
      expect(packed.gaps).toEqual([
        expect.objectContaining({
          stage: 'archive',
          artifact: WHEEL,
          reason: expect.stringMatching(/ratio/),
        }),
      ]);
      const comment = plain(gh.state.comments[0]!.body);
      expect(comment).toMatch(/1 unscannable/);
      expect(comment).toMatch(new RegExp(`not analysed: ${WHEEL.replace(/\./g, '\\.')}: archive: `));
      expect(plain(r.summary)).toMatch(/\| packed-tables \| 1\.0 \| unscannable \|[^\n]*ratio/);
      const result = sarifReport(ws.dir).runs[0].results.find(
        (x: { ruleId: string }) => x.ruleId === 'unscannable',
      );
      expect(result.level).toBe('error');
      expect(result.message.text).toMatch(/packed_tables-1\.0-py3-none-any\.whl: archive: .*ratio/);
    });
  }, 120_000);

  it('an allow entry in the base config lets it through, and the reports keep what was not analysed', async () => {
    await withServers(async (indexUrl, gh) => {
      const config = [
        'allow:',
        '  - package: packed-tables',
        '    version: "1.0"',
        '    reason: wheel data file reviewed by hand',
        '',
      ].join('\n');
      const ws = makeRepo(
        { 'requirements.txt': '', '.github/pypi-malware-gate.yml': config },
        { 'requirements.txt': head, '.github/pypi-malware-gate.yml': config },
      );
      const r = await runAction(ws, gh.url, { 'index-url': indexUrl, comment: 'always' });
      expect(r.code).toBe(0);
      const packed = jsonReport(ws.dir).packages.find(
        (p: { ref: { name: string } }) => p.ref.name === 'packed-tables',
      );
      expect(packed).toMatchObject({ verdict: 'allowed', allowedBy: 'wheel data file reviewed by hand' });
      expect(packed.gaps).toHaveLength(1);
      expect(plain(r.summary)).toMatch(
        /not analysed: packed_tables-1\.0-py3-none-any\.whl: archive: .*allowed: wheel data file reviewed by hand/,
      );
      expect(plain(gh.state.comments[0]!.body)).toMatch(
        /allowed: wheel data file reviewed by hand\)<br>not analysed: packed_tables/,
      );
    });
  }, 120_000);

  it('fail-on-unscannable: false warns instead of failing, never silently', async () => {
    await withServers(async (indexUrl, gh) => {
      const ws = makeRepo({ 'requirements.txt': '' }, { 'requirements.txt': head });
      const r = await runAction(ws, gh.url, { 'index-url': indexUrl, 'fail-on-unscannable': 'false' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /::warning ?::pypi-malware-gate: 1 unscannable package\(s\) \(not failing: fail-on-unscannable is false\)/,
      );
      expect(r.stdout).toMatch(
        /::warning title=pypi-malware-gate%3A packed-tables 1\.0 is unscannable,file=requirements\.txt,line=2::/,
      );
      expect(sarifReport(ws.dir).runs[0].results[0].level).toBe('warning');
      expect(plain(gh.state.comments[0]!.body)).toMatch(/1 unscannable/);
    });
  }, 120_000);

  it('a wheel member the reader cannot read (encrypted) and a direct git reference are unscannable too', async () => {
    await withServers(async (indexUrl, gh) => {
      const ws = makeRepo(
        { 'requirements.txt': 'tidy-tables==1.4.2\n' },
        {
          'requirements.txt':
            'tidy-tables==1.4.2\nlocked-tables==1.0\ngitdep @ git+https://example.org/gitdep.git@v1\n',
        },
      );
      const r = await runAction(ws, gh.url, { 'index-url': indexUrl });
      expect(r.code).toBe(1);
      const packages = jsonReport(ws.dir).packages as {
        ref: { name: string };
        verdict: string;
        gaps?: { stage: string; artifact?: string; path?: string; reason: string }[];
      }[];
      const locked = packages.find((p) => p.ref.name === 'locked-tables')!;
      expect(locked.verdict).toBe('unscannable');
      expect(locked.gaps).toEqual([
        expect.objectContaining({
          artifact: 'locked_tables-1.0-py3-none-any.whl',
          path: 'locked_tables/__init__.py',
        }),
      ]);
      const gitdep = packages.find((p) => p.ref.name === 'gitdep')!;
      expect(gitdep.verdict).toBe('unscannable');
      expect(gitdep.gaps![0]!.reason).toMatch(/direct vcs reference/);
      // tidy-tables is unchanged (diff mode), so nothing at all was analysed: that fails whatever the settings.
      expect(r.stdout).toMatch(/::error::pypi-malware-gate: nothing was scanned: 2 unscannable package\(s\)/);
    });
  }, 120_000);
});
