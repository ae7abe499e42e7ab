// A central config file (issue 14): `config-file: OWNER/REPO/PATH@REF` is read from that repository with
// the action's token, so an organisation's repositories share one policy that a pull request cannot edit;
// one that does not exist fails the run naming it; the CLI says it takes a local file.
import { describe, expect, it } from 'vitest';
import { scanCommand } from '../../src/cli/commands/scan.js';
import { CliError } from '../../src/cli/io.js';
import { externalConfig } from '../../src/engine/config-source.js';
import { startGitHubServer } from '../servers/github-server.js';
import { startIndexServer } from '../servers/index-server.js';
import { honestRelease, maliciousRelease } from './fixtures.js';
import { makeRepo, runAction, useBundledAction } from './harness.js';

useBundledAction();

describe('central config file', () => {
  it('parses OWNER/REPO/PATH@REF and leaves local paths alone', () => {
    expect(externalConfig('my-org/policies/pypi-malware-gate.yml@main')).toEqual({
      owner: 'my-org',
      repo: 'policies',
      path: 'pypi-malware-gate.yml',
      ref: 'main',
    });
    expect(externalConfig('.github/pypi-malware-gate.yml')).toBeUndefined();
    expect(externalConfig('my-org/policies/../../etc/passwd@main')).toBeUndefined();
  });

  it('is read from the other repository with the token, and a pull request cannot change it', async () => {
    const gh = await startGitHubServer();
    const index = await startIndexServer({
      projects: {
        'tidy-tables': { versions: [honestRelease('tidy-tables', '1.4.2')] },
        'tidy-tabels': { versions: [maliciousRelease('tidy-tabels', '1.4.2')] },
      },
    });
    try {
      gh.state.contents['org-policy/pypi-malware-gate.yml'] = {
        v1: 'allow:\n  - package: tidy-tabels\n    version: "1.4.2"\n    reason: reviewed centrally\n',
      };
      const ws = makeRepo(
        { 'requirements.txt': '' },
        {
          'requirements.txt': 'tidy-tabels==1.4.2\n',
          // The PR's own config is not the one in use.
          '.github/pypi-malware-gate.yml': 'fail-on: never\n',
        },
      );
      const config = 'my-org/security/org-policy/pypi-malware-gate.yml@v1';
      const r = await runAction(ws, gh.url, { 'index-url': index.url, 'config-file': config, osv: 'false' });
      expect(r.code).toBe(0);
      expect(
        gh.state.requests.some(
          (q) =>
            q.method === 'GET' &&
            q.path.startsWith('/repos/my-org/security/contents/') &&
            q.path.endsWith('ref=v1'),
        ),
      ).toBe(true);
      const missing = await runAction(ws, gh.url, {
        'index-url': index.url,
        'config-file': 'my-org/security/nope.yml@v1',
        osv: 'false',
      });
      expect(missing.code).not.toBe(0);
      expect(missing.stdout).toMatch(/config-file my-org\/security\/nope\.yml@v1 does not exist/);
    } finally {
      await index.close();
      await gh.close();
    }
  }, 120_000);

  it('is refused by the CLI with a message (exit 2)', async () => {
    const err = await scanCommand
      .run(['--config-file', 'my-org/security/p.yml@v1', '--no-osv'], {
        stdout: () => {},
        stderr: () => {},
        cwd: process.cwd(),
        env: {},
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as CliError).message).toMatch(/the CLI takes a local file/);
  });
});
