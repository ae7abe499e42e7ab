import { beforeAll, describe, expect, it } from 'vitest';
import {
  blankRuns,
  findCommentRuns,
  MIN_RUN_COST,
  runsInsideStrings,
} from '../../src/python/comment-runs.js';
import { initPython, type ParsedFile, parsePython } from '../../src/python/index.js';

beforeAll(() => initPython());

/** A run of comment lines that costs well over MIN_RUN_COST, so it is blanked. */
const longRun = (indent = '') => `${indent}# ${'f'.repeat(60)}\n`.repeat(300);
const summary = (f: ParsedFile) => ({
  calls: f.calls.map((c) => [c.name, c.line, c.role, c.args, c.text]),
  strings: f.strings.map((s) => [s.value, s.line, s.role]),
  identifiers: f.identifiers,
  imports: f.imports,
  defs: f.defs,
  errorNodes: f.errorNodes,
  topLevelStatements: f.topLevelStatements,
});

describe('findCommentRuns', () => {
  it('finds a long run only, blank lines inside it included, and keeps every offset when blanking', () => {
    const source = `x = 1\n# short header\n# two lines\ny = 2\n${longRun()}\n${longRun('    ')}z = 3\n`;
    const runs = findCommentRuns(source);
    expect(runs).toHaveLength(1);
    const blanked = blankRuns(source, runs);
    expect(blanked.length).toBe(source.length);
    expect(blanked.split('\n').length).toBe(source.split('\n').length);
    expect(blanked.slice(0, runs[0]?.start)).toBe(source.slice(0, runs[0]?.start));
    expect(blanked.slice(runs[0]?.start, runs[0]?.end).trim()).toBe('');
    expect(blanked.endsWith('z = 3\n')).toBe(true);
  });
  it('weighs a run by lines times characters', () => {
    const few = `x = 1\n${`# ${'a'.repeat(100)}\n`.repeat(20)}`;
    expect(findCommentRuns(few)).toEqual([]);
    const longLines = `x = 1\n${`# ${'a'.repeat(200_000)}\n`.repeat(20)}`;
    expect(findCommentRuns(longLines)).toHaveLength(1);
    expect(findCommentRuns(few, 1)).toHaveLength(1);
    expect(MIN_RUN_COST).toBeGreaterThan(100_000);
  });
  it('does not start a run on the line after a backslash continuation', () => {
    const source = `x = 1 + \\\n${longRun()}`;
    const [run] = findCommentRuns(source);
    // The run starts on the third line: the second is the continued statement's.
    expect(run && source.slice(0, run.start).split('\n').length).toBe(3);
  });
  it('tells which runs overlap a string', () => {
    const runs = [
      { start: 10, end: 20 },
      { start: 30, end: 40 },
      { start: 50, end: 60 },
    ];
    expect([...runsInsideStrings(runs, [0, 5, 35, 36, 60, 70])]).toEqual([1]);
    expect([...runsInsideStrings(runs, [15, 55])]).toEqual([0, 1, 2]);
  });
});

describe('parsePython with long comment runs', () => {
  it('gives the tree of the unblanked text', () => {
    const source = `import os\ndef f():\n    os.system('a')\n${longRun('    ')}    return 1\n${longRun()}f()\n`;
    const blanked = parsePython(source, 'pkg/m.py');
    const plain = parsePython(source, 'pkg/m.py', undefined, { keepCommentRuns: true });
    expect(findCommentRuns(source).length).toBe(2);
    expect(summary(blanked)).toEqual(summary(plain));
    expect(blanked.calls.map((c) => [c.name, c.line])).toEqual([
      ['os.system', 3],
      ['f', source.split('\n').length - 1],
    ]);
    expect(blanked.lines.length).toBe(source.split('\n').length);
  });
  it("keeps '#' lines inside a string literal as its text, and the code in an f-string's braces", () => {
    const inString = `x = 1\ns = """\n${longRun()}"""\nt = f"""\n${longRun()}{__import__('os').system('id')}\n${longRun()}"""\n`;
    expect(findCommentRuns(inString).length).toBe(3);
    const file = parsePython(inString, 'pkg/m.py');
    expect(file.strings[0]?.value).toBe(`\n${longRun()}`);
    expect(file.strings[1]?.value).toContain("{__import__('os').system('id')}");
    expect(file.errorNodes).toBe(0);
  });
});
