// Tests for src/config.ts (kept under test/action/, the config's main consumer, to stay in owned paths).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigurationError, parseConfigFile, resolveConfig, SETTINGS } from '../../src/config.js';

const good = `fail-on: suspicious
allow:
  - package: my-internal-tool
    version: "1.2.0"
    reason: our own package, reviewed
    expires: 2027-01-31
rules:
  exec-base64:
    enabled: false
`;

describe('parseConfigFile', () => {
  it('reads a valid file', () => {
    const c = parseConfigFile(good, '.github/pypi-malware-gate.yml');
    expect(c['fail-on']).toBe('suspicious');
    expect(c.allow?.[0]).toMatchObject({
      package: 'my-internal-tool',
      version: '1.2.0',
      expires: '2027-01-31',
    });
    expect(c.rules?.['exec-base64']).toEqual({ enabled: false });
  });

  it('names the line of an unknown key, nested too', () => {
    expect(() => parseConfigFile('comment: auto\nfial-on: never\n', 'c.yml')).toThrow(
      /c\.yml:2: .*unknown key "fial-on"/,
    );
    const nested = 'allow:\n  - package: a\n    reason: r\n    expire: 2026-01-01\n';
    expect(() => parseConfigFile(nested, 'c.yml')).toThrow(/c\.yml:4: .*unknown key "expire"/);
  });

  it('names the line of a bad value', () => {
    expect(() => parseConfigFile('comment: auto\nfail-on: sometimes\n', 'c.yml')).toThrow(
      /c\.yml:2: fail-on/,
    );
    expect(() => parseConfigFile('allow:\n  - package: a\n', 'c.yml')).toThrow(ConfigurationError);
  });

  it('reports broken YAML with its line', () => {
    expect(() => parseConfigFile('a: [1,\nb: }\n', 'c.yml')).toThrow(/c\.yml:\d+: invalid YAML/);
  });

  it('accepts an empty file', () => {
    expect(parseConfigFile('', 'c.yml')).toEqual({});
  });
});

describe('resolveConfig', () => {
  it('uses schema defaults when nothing is set (empty action inputs mean unset)', () => {
    const c = resolveConfig({ failOn: '', comment: '', indexUrl: '', cache: 'true', auditIssue: 'false' });
    expect(c).toMatchObject({
      failOn: 'malicious',
      comment: 'auto',
      indexUrl: 'https://pypi.org/simple/',
      maxArtifactMb: 50,
      cache: true,
      auditIssue: false,
      mode: 'auto',
    });
  });

  it('lets the config file set what inputs leave unset, and inputs override it', () => {
    const file = parseConfigFile(good, 'c.yml');
    expect(resolveConfig({ failOn: '' }, file).failOn).toBe('suspicious');
    expect(resolveConfig({ failOn: 'never' }, file).failOn).toBe('never');
  });

  it('splits lists on newlines and commas', () => {
    expect(resolveConfig({ lockfiles: 'a.txt, b/poetry.lock\n\nc/uv.lock' }).lockfiles).toEqual([
      'a.txt',
      'b/poetry.lock',
      'c/uv.lock',
    ]);
  });

  it('rejects bad values with the input name', () => {
    expect(() => resolveConfig({ mode: 'partial' })).toThrow(/mode must be one of auto \| diff \| full/);
    expect(() => resolveConfig({ indexUrl: 'ftp://x' })).toThrow(/index-url must be an http\(s\) URL/);
    expect(() => resolveConfig({ cache: 'maybe' })).toThrow(/cache must be true or false/);
    expect(() => resolveConfig({ maxArtifactMb: '-3' })).toThrow(/max-artifact-mb/);
    expect(() => resolveConfig({ analysisBudgetSeconds: '0' })).toThrow(/analysis-budget-seconds/);
    expect(() => resolveConfig({ analysisBudgetSeconds: 'ten' })).toThrow(/analysis-budget-seconds/);
  });

  it('takes the analysis budget from the input over the file over the default', () => {
    expect(resolveConfig({}).analysisBudgetSeconds).toBe(120);
    expect(resolveConfig({}, { 'analysis-budget-seconds': 30 }).analysisBudgetSeconds).toBe(30);
    expect(
      resolveConfig({ analysisBudgetSeconds: '5' }, { 'analysis-budget-seconds': 30 }).analysisBudgetSeconds,
    ).toBe(5);
  });
});

describe('allow versions', () => {
  it('keeps an unquoted version as written: 1.10 is not 1.1', () => {
    const c = parseConfigFile(
      'allow:\n  - package: a\n    version: 1.10\n    reason: r\n  - package: b\n    version: 2.0\n    reason: r\n',
      'c.yml',
    );
    expect(c.allow?.map((e) => e.version)).toEqual(['1.10', '2.0']);
  });
});

describe('one table of settings for action inputs and CLI flags', () => {
  const action = parse(readFileSync(join(import.meta.dirname, '../../action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };

  it('declares every action input (github-token aside) as a setting, and nothing more', () => {
    const inputs = Object.keys(action.inputs).filter((n) => n !== 'github-token');
    expect(inputs.sort()).toEqual(
      Object.values(SETTINGS)
        .map((s) => s.input)
        .sort(),
    );
  });

  it('gives action.yml no defaults (the runner would pass them as if set, over the config file)', () => {
    for (const [name, input] of Object.entries(action.inputs))
      if (name !== 'github-token') expect(input.default ?? '', name).toBe('');
  });

  it('lets the config file decide what no input sets, for every file key', () => {
    const file = parseConfigFile(
      'fail-on: never\ncomment: never\nindex-url: https://mirror.example/simple/\nmax-artifact-mb: 7\nosv: false\nlockfiles: [a.txt]\n',
      'c.yml',
    );
    const empty = Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, '']));
    expect(resolveConfig(empty, file)).toMatchObject({
      failOn: 'never',
      comment: 'never',
      indexUrl: 'https://mirror.example/simple/',
      maxArtifactMb: 7,
      osv: false,
      lockfiles: ['a.txt'],
    });
    expect(resolveConfig({ ...empty, osv: 'true' }, file).osv).toBe(true);
  });

  it('has a CLI flag for every setting that is not about publishing to GitHub', async () => {
    const { scanCommand } = await import('../../src/cli/commands/scan.js');
    let usage = '';
    await scanCommand.run(['--help'], {
      stdout: (s) => {
        usage += s;
      },
      stderr: () => {},
      cwd: '.',
      env: {},
    });
    for (const s of Object.values(SETTINGS))
      expect(usage.includes(`--${s.input}`) || usage.includes(`--[no-]${s.input}`), s.input).toBe(
        !s.actionOnly,
      );
  });
});
