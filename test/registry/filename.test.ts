import { describe, expect, it } from 'vitest';
import { parseFilename } from '../../src/registry/filename.js';
import { maskSecrets, maskUrl } from '../../src/registry/mask.js';

describe('parseFilename', () => {
  it('reads sdists whose name contains dashes', () => {
    expect(parseFilename('zope-interface-6.1.tar.gz', 'zope.interface')).toEqual({
      kind: 'sdist',
      version: '6.1',
    });
    expect(parseFilename('requests-2.31.0.zip', 'requests')).toEqual({ kind: 'sdist', version: '2.31.0' });
  });
  it('reads wheels per the wheel spec, with and without a build tag', () => {
    expect(parseFilename('six-1.16.0-py2.py3-none-any.whl', 'six')).toMatchObject({
      kind: 'wheel',
      version: '1.16.0',
      tags: { python: 'py2.py3', abi: 'none', platform: 'any' },
    });
    expect(parseFilename('x-1.0-1-cp312-cp312-manylinux_2_17_x86_64.whl', 'x').version).toBe('1.0');
    expect(parseFilename('bad.whl', 'bad').version).toBeNull();
  });
  it('reads eggs and flags other files', () => {
    expect(parseFilename('foo-0.1-py2.7.egg', 'foo')).toEqual({ kind: 'egg', version: '0.1' });
    expect(parseFilename('foo-0.1.exe', 'foo').kind).toBe('other');
  });
});

describe('maskUrl', () => {
  it('hides user and password', () => {
    const masked = maskUrl('https://alice:s3cret@example.test/simple/');
    expect(masked).not.toContain('s3cret');
    expect(masked).not.toContain('alice');
    expect(maskUrl('https://example.test/simple/')).toBe('https://example.test/simple/');
  });
  it('masks secrets echoed in messages', () => {
    expect(maskSecrets('token tok123 failed', ['tok123'])).toBe('token *** failed');
  });
});
