// Code features: what the code does, counted separately for where it runs (install time: setup.py top
// level, cmdclass overrides and .pth files; import time: module top levels; runtime; tests and docs),
// because the same call means far more in setup.py than inside a function of a test.
import { DECODE_CALL, DYNAMIC_EXEC, NETWORK_CALL, PROCESS_CALL } from '../rules/context.js';
import type { CodeRole, ParsedFile } from '../python/index.js';

export const ROLES: readonly CodeRole[] = ['install', 'import', 'runtime', 'test'];

/** Behaviour categories by the resolved dotted name of a call. */
export const CALL_CATEGORIES: readonly [string, RegExp][] = [
  ['process', PROCESS_CALL],
  ['network', NETWORK_CALL],
  ['exec', DYNAMIC_EXEC],
  [
    'dynamic',
    /^(compile|__import__|importlib\.import_module|importlib\.__import__|imp\.load_(source|module|dynamic)|types\.(FunctionType|CodeType)|getattr)$/,
  ],
  ['deserialize', /^(marshal\.loads?|pickle\.loads?|cPickle\.loads?|dill\.loads?|_pickle\.loads?)$/],
  ['decode', DECODE_CALL],
  [
    'file_write',
    /^(shutil\.(copy|copy2|copyfile|move|copytree)|os\.(rename|replace|makedirs|chmod|symlink)|<expr>\.(write|writelines|write_text|write_bytes))$/,
  ],
  ['file_delete', /^(os\.(remove|unlink|rmdir|removedirs)|shutil\.rmtree|<expr>\.unlink)$/],
  [
    'sysinfo',
    /^(getpass\.getuser|os\.(getlogin|getenv|uname|getcwd|getuid|cpu_count)|os\.environ\.(get|copy|items)|platform\.\w+|socket\.(gethostname|getfqdn)|uuid\.getnode|psutil\.\w+|sys\.getwindowsversion|locale\.getdefaultlocale|os\.path\.expanduser)$/,
  ],
  [
    'clipboard',
    /^(pyperclip\.(copy|paste)|win32clipboard\.\w+|clipboard\.\w+|<expr>\.clipboard_(get|append))$/,
  ],
  [
    'native',
    /^(ctypes\.\w+(\.\w+)*|win32api\.\w+|win32con\.\w+|winreg\.\w+|_winreg\.\w+|win32crypt\.CryptUnprotectData)$/,
  ],
  [
    'crypto',
    /^(Crypto\.Cipher\.\w+\.new|Cryptodome\.Cipher\.\w+\.new|cryptography\.fernet\.Fernet|<expr>\.decrypt|AES\.new|Fernet)$/,
  ],
  ['threading', /^(threading\.Thread|multiprocessing\.Process|os\.fork|<expr>\.daemon)$/],
  ['browser_open', /^(webbrowser\.open(_new(_tab)?)?)$/],
  [
    'capture',
    /^(PIL\.ImageGrab\.grab|ImageGrab\.grab|pyautogui\.screenshot|mss\.mss|pynput\.keyboard\.Listener|keyboard\.on_press|cv2\.VideoCapture)$/,
  ],
];

/** Imports by category: the modules malware leans on (the call may be hidden, the import rarely is). */
export const IMPORT_CATEGORIES: readonly [string, RegExp][] = [
  ['process', /^(subprocess|pty|commands|popen2)$/],
  [
    'network',
    /^(socket|requests|urllib|urllib2|urllib3|http|httplib|httpx|aiohttp|ftplib|smtplib|websocket|websockets|pycurl|wget|dns|paramiko)$/,
  ],
  ['encoding', /^(base64|zlib|binascii|codecs|marshal|lzma|bz2|gzip)$/],
  ['native', /^(ctypes|win32api|win32con|win32crypt|winreg|_winreg|win32clipboard|pywintypes|win32com)$/],
  [
    'stealer',
    /^(browser_cookie3|sqlite3|pyperclip|discord|discord_webhook|telebot|telegram|pynput|keyboard|pyautogui|PIL|mss|cv2|getpass|psutil|GPUtil|wmi)$/,
  ],
  ['crypto', /^(Crypto|Cryptodome|cryptography|fernet|pyaes|nacl)$/],
  ['os', /^(os|shutil|platform|tempfile)$/],
];

const MAX_CALL_COUNT = 1000;
/** Names remembered by `categoriesOf` before it starts over (memory stays bounded on hostile input). */
const MAX_REMEMBERED = 50_000;

/**
 * The categories whose pattern matches `name`, in table order, remembered per table: the same few thousand
 * names (print, len, os.path.join, self.assertEqual) recur in every file, and testing each against every
 * pattern cost more than the rest of the counting.
 */
function categoriesOf(
  table: readonly [string, RegExp][],
  seen: Map<string, string[]>,
  name: string,
): string[] {
  let categories = seen.get(name);
  if (!categories) {
    categories = table.filter(([, pattern]) => pattern.test(name)).map(([category]) => category);
    if (seen.size >= MAX_REMEMBERED) seen.clear();
    seen.set(name, categories);
  }
  return categories;
}
const callCategories = new Map<string, string[]>();
const importCategories = new Map<string, string[]>();

export class CodeCounts {
  readonly counts = new Map<string, number>();

  private bump(key: string, by = 1): void {
    this.counts.set(key, Math.min(MAX_CALL_COUNT, (this.counts.get(key) ?? 0) + by));
  }

  add(file: ParsedFile): void {
    for (const call of file.calls) {
      for (const category of categoriesOf(CALL_CATEGORIES, callCategories, call.name))
        this.bump(`code.${category}.${call.role}`);
      if (call.name === 'open' && call.args.some((a) => /^['"][wax]b?\+?['"]$|mode\s*=\s*['"][wax]/.test(a)))
        this.bump(`code.file_write.${call.role}`);
    }
    for (const imp of file.imports) {
      const root = imp.module.split('.')[0] || (imp.name ?? '').split('.')[0] || '';
      for (const category of categoriesOf(IMPORT_CATEGORIES, importCategories, root))
        this.bump(`import.${category}.${imp.role}`);
    }
    // Executed statements at module level of install-time and import-time files (beyond defs and imports).
    const top = file.calls.filter((c) => !c.nestedIn);
    for (const c of top) this.bump(`code.toplevel_calls.${c.role}`);
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** Every code feature name, so the vector has a fixed shape. */
export function codeFeatureNames(): string[] {
  const names: string[] = [];
  for (const role of ROLES) {
    for (const [category] of CALL_CATEGORIES) names.push(`code.${category}.${role}`);
    names.push(`code.toplevel_calls.${role}`);
    for (const [category] of IMPORT_CATEGORIES) names.push(`import.${category}.${role}`);
  }
  return names;
}
