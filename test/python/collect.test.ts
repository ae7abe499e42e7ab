// The shortcuts collect.ts takes (texts sliced by UTF-16 offsets, ASCII names read from the text, plain dotted
// callees read from the text, scopes from node ranges) against the cases where they must step aside.
import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython } from '../../src/python/index.js';

beforeAll(() => initPython());

const calls = (source: string, path = 'pkg/mod.py') =>
  parsePython(source, path).calls.map((c) => [c.name, c.line, c.role, c.nestedIn ?? null]);

describe('collect: texts by offset', () => {
  it('slices names, calls and strings right after non-ASCII and astral characters', () => {
    const file = parsePython('café = 1\nnaïve(café)\ns = "é😀"; os.system("x")\n', 'pkg/m.py');
    expect(file.identifiers).toEqual(['café', 'naïve', 'café', 's', 'os', 'system']);
    expect(file.calls.map((c) => [c.name, c.line, c.args, c.text])).toEqual([
      ['naïve', 2, ['café'], 'naïve(café)'],
      ['os.system', 3, ['"x"'], 'os.system("x")'],
    ]);
    expect(file.strings.map((s) => [s.value, s.raw, s.line])).toEqual([
      ['é😀', '"é😀"', 3],
      ['x', '"x"', 3],
    ]);
  });
  it('cuts long call texts and arguments to 200 characters', () => {
    const long = 'a'.repeat(300);
    const [call] = parsePython(`f('${long}')\n`, 'pkg/m.py').calls;
    expect(call?.text).toBe(`f('${long}`.slice(0, 200));
    expect(call?.args).toEqual([`'${long}`.slice(0, 200)]);
  });
});

describe('collect: callees', () => {
  it('resolves callees written with spaces, parentheses, line continuations and comments', () => {
    const source =
      "import os\nos . system('a')\n(os).system('b')\nos.\\\nsystem('c')\n(os.system  # why\n ('d'))\n";
    expect(calls(source).map(([name, line]) => [name, line])).toEqual([
      ['os.system', 2],
      ['os.system', 3],
      ['os.system', 4],
      ['os.system', 6],
    ]);
  });
  it('gives constants no chain and resolves a call on a getattr result', () => {
    expect(calls("import os\nNone.x()\ngetattr(os, 'system')('e')\n").map(([name]) => name)).toEqual([
      '<expr>.x',
      'os.system',
      'getattr',
    ]);
  });
});

describe('collect: scopes from ranges', () => {
  it('assigns roles by enclosing definition and __main__ guard, and leaves them after', () => {
    const source = [
      'import os',
      'class C(install):',
      '    def run(self):',
      "        os.system('a')",
      '    def other(self):',
      "        os.system('b')",
      'def f():',
      "    os.system('c')",
      "os.system('d')",
      "if __name__ == '__main__':",
      "    os.system('e')",
      'else:',
      "    os.system('f')",
      "os.system('g')",
    ].join('\n');
    expect(calls(source)).toEqual([
      ['os.system', 4, 'install', 'run'],
      ['os.system', 6, 'install', 'other'],
      ['os.system', 8, 'runtime', 'f'],
      ['os.system', 9, 'import', null],
      ['os.system', 11, 'runtime', null],
      ['os.system', 13, 'runtime', null],
      ['os.system', 14, 'import', null],
    ]);
    const file = parsePython(source, 'pkg/mod.py');
    expect(file.cmdclass).toBe(true);
    expect(file.topLevelStatements).toBe(6);
  });
});

describe('collect: trees with errors', () => {
  it('still collects names and calls and counts ERROR and MISSING nodes', () => {
    const file = parsePython("import os\ndef f(:\n    os.system('x')\ny = (\n", 'pkg/m.py');
    expect(file.identifiers).toEqual(['os', 'f', 'os', 'system', 'y']);
    expect(calls("import os\ndef f(:\n    os.system('x')\ny = (\n")).toEqual([
      ['os.system', 3, 'runtime', 'f'],
    ]);
    expect(file.errorNodes).toBe(2);
  });
});

describe('collect: functions handed to a caller', () => {
  const named = (source: string) =>
    parsePython(source, 'pkg/mod.py').calls.map((c) => [c.name, c.args, c.resolved ?? false]);
  it('adds a call of an imported function or code runner that a dispatcher will call', () => {
    const source = [
      'import os, threading, functools, atexit',
      'from concurrent.futures import ThreadPoolExecutor',
      'list(map(os.system, cmds))',
      'threading.Thread(target=os.system, args=(cmd,)).start()',
      'functools.partial(os.popen, cmd)()',
      'atexit.register(exec, code)',
      'threading.Timer(5, os.system, [cmd]).start()',
      'ThreadPoolExecutor().submit(os.system, cmd)',
      '',
    ].join('\n');
    const handed = named(source).filter(([, , resolved]) => resolved);
    expect(handed).toEqual([
      ['os.system', ['cmds'], true],
      ['os.system', ['(cmd,)'], true],
      ['os.popen', ['cmd'], true],
      ['exec', ['code'], true],
      ['os.system', ['[cmd]'], true],
      ['os.system', ['cmd'], true],
    ]);
  });
  it('reads positional targets, local executors, key functions, finalizers and computed callables', () => {
    const source = [
      'import os, threading, itertools, weakref, _thread, operator, ctypes',
      'from concurrent.futures import ThreadPoolExecutor',
      'threading.Thread(None, os.system, None, (cmd,)).start()',
      'ex = ThreadPoolExecutor(1)',
      'ex.submit(os.popen, cmd)',
      'sorted(cmds, key=os.system)',
      'list(filter(os.system, cmds))',
      'list(itertools.starmap(os.system, pairs))',
      'weakref.finalize(obj, os.system, cmd)',
      '_thread.start_new_thread(os.system, (cmd,))',
      "list(map(getattr(os, 'sys' + 'tem'), cmds))",
      "operator.methodcaller('system', cmd)(os)",
      "ctypes.CDLL(None)['system'](cmd)",
      '',
    ].join('\n');
    const more = [
      'import os, sys, sched, heapq, itertools, ctypes, ctypes.util, operator as op',
      'from threading import Thread as T',
      'list(map((os . system), cmds))',
      "list(map(sys.modules['os'].system, cmds))",
      'list(map(os.system.__call__, cmds))',
      "T(target=getattr(os, 'sys' + 'tem'), args=(cmd,)).start()",
      "op.methodcaller('system', cmd)(os)",
      'sched.scheduler().enter(0, 1, os.system, (cmd,))',
      'heapq.nsmallest(1, cmds, key=os.system)',
      'list(itertools.takewhile(os.system, cmds))',
      "ctypes.CDLL(ctypes.util.find_library('c'))['system'](cmd)",
      '',
    ].join('\n');
    expect(named(more).filter(([, , resolved]) => resolved)).toEqual([
      ['os.system', ['cmds'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['(cmd,)'], true],
      ['os.system', ['cmd'], true],
      ['os.system', ['(cmd,)'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['cmds'], true],
      ['ctypes.libc.system', ['cmd'], true],
    ]);
    expect(named(source).filter(([, , resolved]) => resolved)).toEqual([
      ['os.system', ['(cmd,)'], true],
      ['os.popen', ['cmd'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['pairs'], true],
      ['os.system', ['cmd'], true],
      ['os.system', ['(cmd,)'], true],
      ['os.system', ['cmds'], true],
      ['os.system', ['cmd'], true],
      ['ctypes.libc.system', ['cmd'], true],
    ]);
  });
  it("leaves local functions to reachability and methods of the file's own objects alone", () => {
    const source =
      'import threading\ndef work():\n    pass\nthreading.Thread(target=work).start()\nlist(map(str.upper, xs))\nthreading.Thread(target=self.run).start()\nsorted(xs, key=len)\npool.map(work, xs)\nex.submit(self.fetch, url)\n';
    expect(named(source).filter(([, , resolved]) => resolved)).toEqual([]);
  });
  it("reads libc's system() through ctypes, and no other system()", () => {
    const withCtypes = named(
      'import ctypes, platform\nctypes.CDLL(None).system(b"id")\nlibc = ctypes.cdll.LoadLibrary("libc.so.6")\nlibc.system(b"id")\nplatform.system()\nself.system("x")\n',
    );
    expect(withCtypes.filter(([name]) => name === 'ctypes.libc.system').length).toBe(2);
    expect(withCtypes.map(([name]) => name)).toContain('platform.system');
    expect(named('h.system(b"id")\n').map(([name]) => name)).toEqual(['h.system']);
  });
});
