// What counts as strong evidence for the gate (src/policy.ts decide()): high or critical evidence at
// install, import or startup time, outside tests and docs, except a short named list of idioms that honest
// packages ship. Each idiom's false-positive rate is measured on the benign corpus
// (`npx tsx train/policy-sweep.ts` lists how many benign and malicious rows each one excuses).
import { type Evidence, SEVERITY_RANK as RANK } from '../types.js';

export interface BenignIdiom {
  id: string;
  /** What the honest code does, for the verdict's reasons. */
  description: string;
  matches(e: Evidence): boolean;
}

const DOC_OR_TEST =
  /(^|\/)(tests?|testing|docs?|examples?|samples?|benchmarks?|bench)\/|(^|\/)(conftest|test_[^/]*|[^/]*_tests?)\.py$/i;

/** Evidence in tests, docs or examples: never what a gate fails on. */
export function inTestsOrDocs(e: Evidence): boolean {
  return e.context === 'test' || DOC_OR_TEST.test(e.path);
}

/** Located evidence: medium or stronger, at a file and line, outside tests and docs. */
export function isLocated(e: Evidence): boolean {
  return RANK[e.severity] >= RANK.medium && e.path !== '' && e.line >= 1 && !inTestsOrDocs(e);
}

// Shapes with no honest reading wherever they run, so a runtime hit decides too: a trojanized client sends
// its keys when it is used, not when it is imported. Critical hits of these rules only; measured on the benign
// corpora like the rest (`npx tsx train/evidence-gate.ts`).
const DECIDES_AT_ANY_TIME = new Set([
  'secret-beacon',
  'reverse-shell',
  'startup-file-write',
  'hidden-endpoint',
  'remote-command',
]);

/**
 * Evidence strong enough to decide: high or critical at install, import or startup time (reachability
 * included), or critical from a rule in DECIDES_AT_ANY_TIME; outside tests and docs either way.
 */
export function isStrongEvidence(e: Evidence): boolean {
  const early = RANK[e.severity] >= RANK.high && (e.context === 'install' || e.context === 'import');
  const anyTime = e.severity === 'critical' && DECIDES_AT_ANY_TIME.has(e.rule);
  return (early || anyTime) && e.path !== '' && !inTestsOrDocs(e);
}

// Whole .pth lines that tools install (coverage's process_startup hook, virtualenv, setuptools' distutils
// shim, editable installs' finders): only these exact shapes, so a payload cannot borrow the name.
const KNOWN_PTH_LINE = [
  /^import coverage; coverage\.process_startup\(\)$/,
  /^import os; (exec\()?["']?import coverage\b.*process_startup\(\)/,
  /^import _virtualenv$/,
  /^import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os\.environ\.get\(var, '(local|stdlib)'\) == 'local'; enabled and __import__\('_distutils_hack'\)\.add_shim\(\); $/,
  /^import __editable___[\w.]+_finder; __editable___[\w.]+_finder\.install\(\)$/,
  /^(import os; )?exec\('try: __import__\("coloredlogs"\)\.auto_install\(\) if os\.environ\.get\("COLOREDLOGS_AUTO_INSTALL"\) else None\\nexcept ImportError: pass'\)$/,
];

// Shell-free commands: no chaining or substitution, and a pipe only into a filter (grep, not a shell).
const PLAIN_COMMAND =
  /^(?!.*\|\s*(sh|bash|zsh|dash|python[\d.]*|perl|ruby|node|powershell|pwsh|cmd)\b)[^;&`$]*$/s;
const NO_DOWNLOAD =
  /^(?!.*(https?:|ftp:|curl|wget|powershell|certutil|bitsadmin|mshta|\s-c\s|-enc|base64|\.exe\b))/is;
// exec/eval of a line of the project's own file, to read __version__ (exec(line.strip()), eval(line[14:])).
const VERSION_LINE =
  /^(exec|eval)\(\s*(line|l|ln|version_line|match\.group\(\d\)|m\.group\(\d\)|line\[\d*:\d*\])(\.strip\(\))?\s*[,)]/;

// exec("""def name(...): ...""") or exec_('''class ...'''), with nothing in the literal that reaches outside.
const SHIM_LITERAL = /^[\w.]*exec_?\(\s*[rRuU]?("{3}|'{3}|"|')\s*(def|class|@)\s*\w/;
const SHIM_DANGER =
  /import|__builtins__|\bos\.|subprocess|socket|urllib|requests|http|base64|b64|marshal|zlib|codecs|exec|eval|compile|open\(|getattr|globals|system|popen/;

export const BENIGN_IDIOMS: readonly BenignIdiom[] = [
  {
    id: 'tool-pth-line',
    description:
      'a .pth line that a known tool installs (coverage, virtualenv, setuptools, editable installs)',
    matches: (e) =>
      /\.pth$/i.test(e.path) &&
      /^(pth-executable|exec-string-literal|dynamic-import)$/.test(e.rule) &&
      KNOWN_PTH_LINE.some((p) => p.test(e.snippet.trim())),
  },
  {
    id: 'build-step',
    description:
      'a setup.py build step: a process started at install time with no downloader, shell, interpreter code or executable in its command',
    matches: (e) =>
      e.rule === 'install-time-process' &&
      !/with a downloader, shell or interpreter/.test(e.message ?? '') &&
      PLAIN_COMMAND.test(e.snippet) &&
      NO_DOWNLOAD.test(e.snippet),
  },
  {
    id: 'version-line-exec',
    description: "exec/eval of one line of the project's own version file in setup.py",
    matches: (e) =>
      e.rule === 'install-time-exec' && e.context === 'install' && VERSION_LINE.test(e.snippet.trim()),
  },
  {
    id: 'marker-word-in-prose',
    description:
      'an obfuscator name (Kramer) in a comment, docstring or author string, with no code runner on the line',
    matches: (e) =>
      e.rule === 'obfuscator-marker' &&
      /Kramer/.test(e.snippet) &&
      !/exec|eval|lambda|__import__|marshal|zlib|b64|base64|compile/.test(e.snippet),
  },
  {
    id: 'compat-shim-literal',
    description:
      'exec of a literal that only defines a function or class (Python 2/3 compatibility shims such as six.reraise, with_metaclass)',
    matches: (e) =>
      (e.rule === 'exec-string-literal' || e.rule === 'dynamic-import') &&
      // The whole call is in the snippet (under the 200-character cut), so nothing hides after it.
      e.snippet.length < 200 &&
      /\)\s*$/.test(e.snippet) &&
      SHIM_LITERAL.test(e.snippet) &&
      !SHIM_DANGER.test(e.snippet.replace(/^[\w.]*exec_?\(/, '')),
  },
  {
    id: 'code-object-copy',
    description:
      'types.CodeType rebuilt from an existing code object (co_argcount, ...), as cloudpickle does',
    matches: (e) => e.rule === 'marshal-code-load' && /CodeType\(\s*\w+\.co_argcount\b/.test(e.snippet),
  },
  {
    id: 'self-alias',
    description: 'a module re-binding a builtin to its own name (__import__ = __import__)',
    matches: (e) => e.rule === 'exec-alias' && /^\s*(\w+)\s*=\s*\1\s*(#.*)?$/.test(e.snippet),
  },
  {
    id: 'crontab-in-a-name',
    description:
      'the word crontab only inside a module path, entry point or script name (views.crontab:View, pkg-crontab), not the crontab program or a cron path',
    matches: (e) =>
      e.rule === 'persistence' &&
      e.message === 'crontab' &&
      /\bcrontab\b/.test(e.snippet) &&
      [...e.snippet.matchAll(/\bcrontab\b/g)].every(
        (m) => /[.-]$/.test(e.snippet.slice(0, m.index)) || e.snippet[m.index + 7] === ':',
      ),
  },
  {
    id: 'long-description-prose',
    description:
      "a credential file named in setup.py's long_description (a README telling users where their config lives)",
    matches: (e) => e.rule === 'credential-paths' && /^\s*['"]?long_description['"]?\s*[:=]/.test(e.snippet),
  },
  {
    id: 'clipboard-probe',
    description:
      'a clipboard read whose value is thrown away (`_ = pyperclip.paste()` in a try at import: can this machine reach a clipboard?)',
    // Only the whole statement: a read that keeps, compares or sends the value is not a probe, and a
    // clipper's copy() is evidence of its own.
    matches: (e) =>
      e.rule === 'clipboard-access' &&
      /^\s*(_\s*=\s*)?[\w.]+\.(paste|clipboard_get|GetClipboardData)\(\)\s*(#.*)?$/.test(e.snippet),
  },
  {
    id: 'persistence-path-mention',
    description:
      'a service manager, LaunchAgents or cron path named in a string (a tool that manages services), with no registry or startup-file write',
    // Not the Windows Startup folder or Run key: a library has no reason to name them at import, and an
    // implant in __init__.py that drops itself there must not borrow this excuse.
    matches: (e) =>
      e.rule === 'persistence' &&
      e.context === 'import' &&
      !/registry write|Windows startup folder|Windows Run registry key/.test(e.message ?? ''),
  },
];

/**
 * Rules whose strong early hits still fail honest projects too often to decide alone (measured on the
 * benign corpus by `npx tsx train/evidence-gate.ts`: each fails at least two Debian sdists or wheels once
 * the idioms above are excused): their hits fail a package when the model scores it malicious, when a second
 * rule fires strongly on another line of the same file, when the version bump under review adds the hit, or
 * when no model ran, and warn otherwise. Every other rule decides alone.
 */
export const NEEDS_CORROBORATION: ReadonlySet<string> = new Set([
  'download-and-execute',
  'install-time-exec',
  'install-time-network',
  'install-time-process',
  'exec-string-literal',
  'marshal-code-load',
  'exec-alias',
  'pth-executable',
  'exfil-endpoint',
  'env-exfil',
  'anti-analysis',
]);

const DECODED_INTO_NAME = /of decoded data \(decoded into [A-Za-z_]\w* on line \d+\)/;

/**
 * Whether a hit needs backing before it fails a package (NEEDS_CORROBORATION). env-exfil at critical — the
 * whole environment or a secret sent out, or the user's identity sent while pip installs — fails no benign
 * sdist or wheel alone (`npx tsx train/evidence-gate.ts`: the one benign env-exfil hit is a high one, a test
 * helper sending os.uname()); a .pth-started module posting the user and host on its one line was let
 * through because both rules on that statement count as one finding.
 */
export function needsCorroboration(e: Evidence): boolean {
  if (e.rule === 'env-exfil' && e.severity === 'critical') return false;
  // exec of a name a decoder filled on an earlier line needs backing: versioneer's installer runs the source it
  // embeds that way (1 sdist, 1 wheel). A decoder inside exec's own call still decides alone.
  if (e.rule === 'exec-decoded-payload') return DECODED_INTO_NAME.test(e.message ?? '');
  return NEEDS_CORROBORATION.has(e.rule);
}

/** The idiom that excuses this evidence, if any. */
export function benignIdiom(e: Evidence): BenignIdiom | undefined {
  return BENIGN_IDIOMS.find((i) => i.matches(e));
}
