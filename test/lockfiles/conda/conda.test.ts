import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../../src/lockfiles/index.js';
import { byName, parseFixture } from '../helpers.js';

describe('conda environment.yml', () => {
  const r = parseFixture('conda', 'pip-section-with-options.yml');

  it('reads the pip section with YAML line numbers and pip options', () => {
    expect(byName(r, 'requests')).toMatchObject({
      line: 10,
      version: '2.31.0',
      source: 'https://pypi.example.com/simple',
    });
    expect(byName(r, 'torch')).toMatchObject({ line: 11, markers: "sys_platform == 'linux'" });
    expect(byName(r, 'scikit-learn')).toMatchObject({ line: 12, specifier: '>=1.3' });
    expect(r.format).toBe('conda');
  });

  it('says that conda packages are not scanned', () => {
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('3 conda') }),
    ]);
  });

  it('invalid YAML is an error with a line', () => {
    const bad = parseLockfile('dependencies:\n  - pip:\n    - a\n   - b: [\n', 'environment.yml');
    expect(bad.status).toBe('error');
    expect(bad.error).toMatch(/^environment\.yml:\d+: invalid YAML/);
  });
});
