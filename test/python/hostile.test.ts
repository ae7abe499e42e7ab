import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, MAX_PARSE_CHARS, parsePython } from '../../src/python/index.js';

beforeAll(() => initPython());

describe('parsePython on hostile input', () => {
  it('refuses files over the size limit as a value naming the file', () => {
    const file = parsePython(`x = 1\n${'#'.repeat(MAX_PARSE_CHARS)}`, 'pkg/huge.py');
    expect(file.parsed).toBe(false);
    expect(file.parseError).toContain('pkg/huge.py');
    expect(file.lines.length).toBe(2);
  });
  it('survives deep nesting and long attribute chains without throwing', () => {
    const deep = parsePython(`x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`, 'pkg/deep.py');
    expect(deep.parsed || deep.parseError !== undefined).toBe(true);
    const chain = parsePython(`a${'.b'.repeat(20000)}()\n`, 'pkg/chain.py');
    expect(chain.parsed || chain.parseError !== undefined).toBe(true);
  });
  it('still collects a file whose dispatcher is handed a deep attribute chain', () => {
    const file = parsePython(
      `import os\nos.system('id')\nlist(map(os${'.b'.repeat(6000)}.system, c))\nlist(map(${'('.repeat(3000)}os.system${')'.repeat(3000)}, c))\n`,
      'pkg/util.py',
    );
    expect(file.failed).toBeUndefined();
    expect(file.calls.some((c) => c.name === 'os.system' && c.line === 2)).toBe(true);
  });
  it('keeps right-to-left overrides as raw data', () => {
    const file = parsePython("s = '\u202egnp.exe'\nos.system(s)\n", 'pkg/m.py');
    expect(file.strings[0]?.value).toBe('\u202egnp.exe');
    expect(file.calls[0]?.name).toBe('os.system');
  });
  it('does not let a NUL byte hide the code after it', () => {
    // CPython refuses NUL in source, but a scanner must not stop reading there.
    const file = parsePython("a = 1\n\u0000\nos.system('id')\n", 'pkg/m.py');
    expect(file.calls.map((c) => [c.name, c.line])).toEqual([['os.system', 3]]);
  });
  it('never throws on arbitrary text, and every call line is inside the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (source) => {
        const file = parsePython(source, 'pkg/fuzz.py');
        for (const call of file.calls) {
          expect(call.line).toBeGreaterThanOrEqual(1);
          expect(call.line).toBeLessThanOrEqual(file.lines.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
