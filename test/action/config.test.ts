// Tests for src/config.ts (kept under test/action/, the config's main consumer, to stay in owned paths).
import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseConfigFile, resolveConfig } from '../../src/config.js';

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
  });
});
