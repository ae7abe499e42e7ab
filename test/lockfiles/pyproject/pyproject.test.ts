import { describe, expect, it } from 'vitest';
import { poetryConstraintToPep440 } from '../../../src/lockfiles/pyproject/poetry-constraint.js';
import { byName, parseFixture } from '../helpers.js';

describe('pyproject.toml', () => {
  const r = parseFixture('pyproject', 'pep621-groups-and-poetry-tables.toml');

  it('reads [project] dependencies and optional dependencies with their lines', () => {
    expect(byName(r, 'httpx')).toMatchObject({ version: null, specifier: '>=0.25', line: 9 });
    expect(byName(r, 'pydantic')).toMatchObject({ version: '2.5.3', extras: ['email'], line: 10 });
    expect(byName(r, 'mylib')).toMatchObject({ source: 'vcs', line: 11 });
    expect(byName(r, 'sphinx')).toMatchObject({ groups: ['docs'], line: 15 });
  });

  it('reads [dependency-groups], ignoring include-group entries', () => {
    expect(byName(r, 'pytest')).toMatchObject({ groups: ['dev'], line: 18 });
    expect(byName(r, 'ruff')).toMatchObject({ groups: ['lint'], version: '0.1.9', line: 19 });
  });

  it('reads poetry tables, converting caret and tilde constraints', () => {
    expect(byName(r, 'rich')).toMatchObject({ specifier: '>=13.7,<14', line: 23 });
    expect(byName(r, 'attrs')).toMatchObject({ version: '23.2.0', line: 24 });
    expect(byName(r, 'click')).toMatchObject({ specifier: '>=8.1,<8.2', extras: ['test'] });
    expect(byName(r, 'hypothesis')).toMatchObject({ groups: ['test'], specifier: '>=6,<7', line: 28 });
    expect(r.packages.some((p) => p.name === 'python')).toBe(false);
  });

  it('converts poetry constraints', () => {
    expect(poetryConstraintToPep440('^1.2.3')).toBe('>=1.2.3,<2');
    expect(poetryConstraintToPep440('^0.2.3')).toBe('>=0.2.3,<0.3');
    expect(poetryConstraintToPep440('~1.2.3')).toBe('>=1.2.3,<1.3');
    expect(poetryConstraintToPep440('*')).toBe('');
    expect(poetryConstraintToPep440('1.0')).toBe('==1.0');
    expect(poetryConstraintToPep440('>=1 || <0.5')).toBeUndefined();
  });
});
