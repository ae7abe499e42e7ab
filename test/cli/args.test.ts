// The argument handling the commands share (src/cli/args.ts): a parse error names the command's usage, and
// --fail-on takes the config file's levels with scan's default.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failOnOption, parseCommandLine } from '../../src/cli/args.js';
import { CliError } from '../../src/cli/io.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pmg-args-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCommandLine', () => {
  const config = {
    args: ['--json', 'a'],
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  } as const;

  it('returns what parseArgs returns', () => {
    const { values, positionals } = parseCommandLine(config, 'usage: x');
    expect(values.json).toBe(true);
    expect(positionals).toEqual(['a']);
  });

  it('turns a parse error into a usage error (exit 2) that ends with the usage', () => {
    const run = () => parseCommandLine({ ...config, args: ['--nosuchflag'] }, 'usage: x <file>');
    expect(run).toThrow(CliError);
    expect(run).toThrow(/nosuchflag[\s\S]*\nusage: x <file>$/);
  });
});

describe('failOnOption', () => {
  it('defaults to malicious and accepts every level', () => {
    expect(failOnOption(undefined)).toBe('malicious');
    for (const level of ['malicious', 'suspicious', 'never']) expect(failOnOption(level)).toBe(level);
  });

  it('names the levels when given another', () => {
    expect(() => failOnOption('sometimes')).toThrow('--fail-on must be one of malicious, suspicious, never');
  });
});

describe('the commands', () => {
  it.each([
    ['lockfile', 'usage: pypi-malware-gate lockfile'],
    ['diff', 'usage: pypi-malware-gate diff'],
    ['inspect', 'usage: pypi-malware-gate inspect'],
    ['merge', 'usage: pypi-malware-gate merge'],
  ])('%s: an unknown flag prints its usage and exits 2', async (command, usage) => {
    const r = await runCli([command, 'x', '--nosuchflag'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nosuchflag');
    expect(r.stderr).toContain(usage);
  });

  it.each([['inspect'], ['merge']])(
    '%s: a --fail-on level outside the config schema exits 2',
    async (command) => {
      const r = await runCli([command, 'x', '--fail-on', 'sometimes'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--fail-on must be one of malicious, suspicious, never');
    },
  );
});
