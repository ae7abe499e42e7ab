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

describe('conda-lock.yml', () => {
  const r = parseFixture('conda', 'conda-lock-pip-entries-per-platform.yml');

  it('lists the pip entries once per release, with every platform file hash and the entry line', () => {
    expect(r.status).toBe('ok');
    expect(byName(r, 'requests')).toMatchObject({
      version: '2.31.0',
      line: 48,
      hashes: ['sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f'],
      groups: ['main'],
    });
    expect(byName(r, 'requests').source).toBeUndefined();
  });

  it('a pip entry locked to a file off PyPI is a direct url reference', () => {
    expect(byName(r, 'private-lib')).toMatchObject({
      source: 'url',
      url: 'https://pkgs.example.com/files/private_lib-0.4.0-py3-none-any.whl',
    });
  });

  it('counts the conda entries (distinct names) as skipped, never a silent 0', () => {
    expect(r.issues).toEqual([
      expect.objectContaining({ kind: 'skipped', message: expect.stringContaining('2 conda package(s)') }),
    ]);
    const condaOnly = parseLockfile(
      'version: 1\npackage:\n- name: python\n  version: 3.12.3\n  manager: conda\n  platform: linux-64\n',
      'conda-lock.yml',
    );
    expect(condaOnly.packages).toEqual([]);
    expect(condaOnly.issues[0]).toMatchObject({
      kind: 'skipped',
      message: expect.stringContaining('1 conda'),
    });
  });

  it('an alias bomb is an error, not a hang', () => {
    const bomb = [
      'version: 1',
      'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 9 },
        (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`,
      ),
      'package:',
      '- name: requests',
      '  manager: pip',
      '  hash: *a9',
    ].join('\n');
    const res = parseLockfile(bomb, 'conda-lock.yml');
    expect(res.status).toBe('error');
    expect(res.error).toMatch(/^conda-lock\.yml: invalid YAML/);
  });
});
