import { beforeAll, describe, expect, it } from 'vitest';
import { fileRole, initPython, parsePython } from '../../src/python/index.js';

beforeAll(() => initPython());

const names = (source: string, path = 'pkg/mod.py') => parsePython(source, path).calls.map((c) => c.name);

describe('parsePython call resolution', () => {
  it('resolves import aliases to real dotted paths', () => {
    expect(names('import subprocess as sp\nsp.Popen(["ls"])')).toEqual(['subprocess.Popen']);
    expect(names('from base64 import b64decode as d\nd(x)')).toEqual(['base64.b64decode']);
    expect(names('import urllib.request\nurllib.request.urlopen(u)')).toEqual(['urllib.request.urlopen']);
  });
  it('resolves __import__, importlib and getattr with literal names', () => {
    expect(names("__import__('os').system('id')")).toEqual(['os.system', '__import__']);
    expect(names("import os\ngetattr(os, 'system')('id')")).toEqual(['os.system', 'getattr']);
    expect(names("m = __import__('subprocess')\nm.call(['x'])")).toEqual(['__import__', 'subprocess.call']);
  });
  it('keeps builtins bare and names methods on unknown receivers <expr>.attr', () => {
    expect(names("exec(b'x'.decode())")).toEqual(['exec', '<expr>.decode']);
  });
  it('does not resolve a computed getattr name', () => {
    expect(names('import os\ngetattr(os, n)()')).toEqual(['<expr>', 'getattr']);
  });
});

describe('parsePython roles', () => {
  it('separates import-time, runtime and install-time code', () => {
    const file = parsePython('import os\nos.getcwd()\ndef f():\n    os.system("x")\n', 'pkg/__init__.py');
    expect(file.calls.map((c) => [c.name, c.role, c.nestedIn])).toEqual([
      ['os.getcwd', 'import', undefined],
      ['os.system', 'runtime', 'f'],
    ]);
    const setup = parsePython('def g():\n    os.system("x")\ng()', 'pkg-1.0/setup.py');
    expect(setup.calls.map((c) => c.role)).toEqual(['install', 'install']);
  });
  it('marks cmdclass overrides as install-time code', () => {
    const file = parsePython(
      'class C(install):\n    def run(self):\n        os.system("x")\n',
      'pkg/cmds.py',
    );
    expect(file.cmdclass).toBe(true);
    expect(file.calls[0]?.role).toBe('install');
  });
  it('treats code under the __main__ guard as runtime', () => {
    const file = parsePython('if __name__ == "__main__":\n    main()\n', 'pkg/cli.py');
    expect(file.calls[0]?.role).toBe('runtime');
  });
  it('reads only import lines of .pth files, keeping their line numbers', () => {
    const file = parsePython('/some/path\nimport os; os.system("x")\n', 'site/evil.pth');
    expect(file.calls.map((c) => [c.name, c.line, c.role])).toEqual([['os.system', 2, 'install']]);
  });
  it('classifies files by path', () => {
    expect(fileRole('pkg-1.0/setup.py')).toBe('setup');
    expect(fileRole('pkg-1.0/pkg/setup.py')).toBe('module');
    expect(fileRole('pkg-1.0/tests/test_x.py')).toBe('test');
    expect(fileRole('pkg-1.0/pkg/__init__.py')).toBe('init');
    expect(fileRole('x.pth')).toBe('pth');
  });
});

describe('parsePython data', () => {
  it('decodes string literals and joins concatenations', () => {
    const file = parsePython("a = b'\\x41\\n' 'bc'\nb = r'\\x41'\n", 'm.py');
    expect(file.strings.map((s) => s.value)).toEqual(['A\nbc', '\\x41']);
  });
  it('reads literal setup() keywords', () => {
    const file = parsePython(
      "from setuptools import setup\nsetup(name='x', version='1.0', install_requires=['a', 'b'], cmdclass={'install': C})",
      'x-1.0/setup.py',
    );
    expect(file.setupCall?.strings).toEqual({ name: 'x', version: '1.0' });
    expect(file.setupCall?.lists).toEqual({ install_requires: ['a', 'b'] });
    expect(file.cmdclass).toBe(true);
  });
  it('counts error nodes on broken code and never throws', () => {
    const file = parsePython('def f(:\n  pass\n', 'm.py');
    expect(file.parsed).toBe(true);
    expect(file.errorNodes).toBeGreaterThan(0);
  });
  it('collects identifiers and definitions', () => {
    const file = parsePython('class _0xabc:\n    def lIlIl(self): pass\n', 'm.py');
    expect(file.defs).toMatchObject([
      { name: '_0xabc', line: 1, kind: 'class' },
      { name: 'lIlIl', line: 2, kind: 'function' },
    ]);
    expect(file.identifiers).toContain('lIlIl');
  });
});
