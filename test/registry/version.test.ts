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
