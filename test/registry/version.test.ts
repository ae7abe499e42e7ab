import { describe, expect, it } from 'vitest';
import { newestSatisfying } from '../../src/registry/version.js';

const v = (version: string, yanked = false) => ({ version, yanked });

describe('newestSatisfying', () => {
  it('skips yanked and pre-release versions', () => {
    expect(newestSatisfying([v('1.0'), v('1.2', true), v('1.1'), v('2.0rc1')], '>=1.0')).toBe('1.1');
  });
  it('honours the specifier and reports no match as null', () => {
    expect(newestSatisfying([v('1.0'), v('2.0')], '<2')).toBe('1.0');
    expect(newestSatisfying([v('1.0'), v('10.0'), v('9.0')], '')).toBe('10.0');
    expect(newestSatisfying([v('1.0')], '>=3')).toBeNull();
  });
});

describe('versionKey', () => {
  it('is equal for equal PEP 440 versions and apart otherwise', async () => {
    const { versionKey } = await import('../../src/registry/version.js');
    expect(versionKey('1.0')).toBe(versionKey('1.0.0'));
    expect(versionKey('v1.0')).toBe(versionKey('1.0'));
    expect(versionKey('1.0+cpu')).not.toBe(versionKey('1.0'));
    expect(versionKey('1.0rc1')).not.toBe(versionKey('1.0'));
    expect(versionKey('not a version')).toBe('raw:not a version');
  });
});
