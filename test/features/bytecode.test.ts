import { describe, expect, it } from 'vitest';
import { unreadBytecode } from '../../src/features/bytecode.js';

// A .pyc header: CPython's magic number (little-endian, then \r\n), then PEP 552's flags word from 3.7 on.
const header = (magic: number, flags: number) =>
  new Uint8Array([magic & 0xff, magic >> 8, 0x0d, 0x0a, flags, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const PY312 = 3531;
const PY36 = 3379;

describe('unreadBytecode', () => {
  it('names a module shipped as bytecode without its source', () => {
    expect(unreadBytecode('p/core.pyc', header(PY312, 0), new Set(['p/core.pyc']))).toContain('no source');
    expect(
      unreadBytecode('p/core.pyc', header(PY312, 0), new Set(['p/core.pyc', 'p/core.py'])),
    ).toBeUndefined();
  });
  it('names an unchecked-hash cache, which Python loads whatever the source says', () => {
    const paths = new Set(['p/core.py']);
    expect(unreadBytecode('p/__pycache__/core.cpython-312.pyc', header(PY312, 1), paths)).toContain(
      'unchecked',
    );
    expect(unreadBytecode('p/__pycache__/core.cpython-312.pyc', header(PY312, 0), paths)).toBeUndefined();
    expect(unreadBytecode('p/__pycache__/core.cpython-312.pyc', header(PY312, 3), paths)).toBeUndefined();
    // Before 3.7 those bytes are the source's timestamp, not flags.
    expect(unreadBytecode('p/__pycache__/core.cpython-36.pyc', header(PY36, 1), paths)).toBeUndefined();
    expect(unreadBytecode('p/__pycache__/core.cpython-312.pyc', undefined, paths)).toContain(
      'could not be read',
    );
  });
  it('leaves tests and docs, and everything that is not bytecode', () => {
    expect(unreadBytecode('p/tests/data/m.pyc', header(PY312, 0), new Set())).toBeUndefined();
    // A wheel installs tests/ as a package: `import tests.m` would run it.
    expect(unreadBytecode('tests/m.pyc', header(PY312, 0), new Set(), true)).toContain('no source');
    expect(unreadBytecode('p/core.py', undefined, new Set())).toBeUndefined();
  });
});
