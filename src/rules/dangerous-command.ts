// Commands whose text has a dropper's shape, wherever the call runs: a download chained into execution,
// a program run from a temporary folder, hidden or encoded PowerShell, or interpreter code passed on the
// command line and left running in the background. Honest packages run tools by name (git, make,
// pkg-config) and wait for them; these shapes are rare outside malware, so the hit is strong even in a
// function nobody calls at import (an implant's payload is often started from elsewhere).
import type { CallSite, ParsedFile, StringLiteral } from '../python/index.js';
import { callHit, foldedArgument, PROCESS_CALL } from './context.js';
import type { Rule, RuleHit } from './types.js';

const DOWNLOADER =
  /\b(curl|wget|Invoke-WebRequest|iwr|Start-BitsTransfer|bitsadmin)\b|certutil(\.exe)?\s+-urlcache/i;
/** What turns a download into a run: a pipe into a shell, chmod +x, running ./x, an .exe, Start-Process. */
const THEN_RUN =
  /\|\s*(sudo\s+)?(ba|z|da)?sh\b|\|\s*python|\bchmod\s+(\+|[0-7]*[157]\b|a\+|u\+)|(&&|;|\|\|)\s*(\.\/|\/tmp\/|sh\s|bash\s|python[\d.]*\s|start\s|nohup\s)|\.exe\b|Start-Process|\bIEX\b|Invoke-Expression/i;
const TEMP_RUN =
  /(^|[\s"'`(,;&|])((python[\d.]*|pythonw|sh|bash|nohup|setsid|start|chmod\s+\S+)\s+["']?)?(\/tmp\/|\/var\/tmp\/|\/dev\/shm\/|%TEMP%|%APPDATA%|\$env:TEMP|\\AppData\\|\\Temp\\)\S+/i;
/** Running (not only naming) the temporary file: an interpreter or shell before it, or it as the program. */
const TEMP_AS_PROGRAM =
  /((python[\d.]*|pythonw|sh|bash|nohup|setsid|start|chmod\s+\S+)\s+["']?(\/tmp\/|\/var\/tmp\/|\/dev\/shm\/|%TEMP%|%APPDATA%|\$env:TEMP))|^\s*[[(]?\s*[fr]?["'](\/tmp\/|\/var\/tmp\/|\/dev\/shm\/|%TEMP%|%APPDATA%)|(\\AppData\\|\\Temp\\)[^"'\s]*\.(exe|bat|cmd|vbs|ps1|scr)\b/i;
const HIDDEN_POWERSHELL =
  /powershell(\.exe)?["',\s].*(-e(nc(odedcommand)?)?\s+[A-Za-z0-9+/=]{16,}|-w(indowstyle)?\s+h(idden)?\b|\bIEX\b|DownloadString|DownloadFile)/i;
const INTERPRETER_CODE =
  /(python[\d.]*|pythonw|sys\.executable)["']?\s*,?\s*["']?-c\b|\b(perl|ruby|node)["']?\s*,?\s*["']?-e\b/i;
/** Left running: not waited for, output thrown away, detached from the parent. */
const BACKGROUND =
  /&\s*["')]*\s*$|&\s*["']\s*[,)]|\bnohup\b|\bsetsid\b|\bstart\s+\/b\b|DETACHED_PROCESS|CREATE_NO_WINDOW|CREATE_NEW_PROCESS_GROUP|0x0*8000000|start_new_session\s*=\s*True|>\s*\/dev\/null\s+2>&1\s*&/i;

interface Shape {
  what: string;
  /** True when the shape is strong wherever the call runs; otherwise only at install/import time. */
  anywhere: boolean;
}

function shapeOf(c: CallSite, text: string): Shape | undefined {
  if (DOWNLOADER.test(text) && THEN_RUN.test(text))
    return { what: 'downloads and runs a program', anywhere: true };
  if (HIDDEN_POWERSHELL.test(text)) return { what: 'runs hidden or encoded PowerShell', anywhere: true };
  if (TEMP_RUN.test(text) && (TEMP_AS_PROGRAM.test(text) || TEMP_AS_PROGRAM.test(c.args[0] ?? '')))
    return { what: 'runs a program from a temporary folder', anywhere: true };
  const detached = c.name === 'subprocess.Popen' || /^os\.(spawn|posix_spawn|startfile)/.test(c.name);
  if (INTERPRETER_CODE.test(text) && (detached || BACKGROUND.test(text)))
    return { what: 'starts interpreter code from the command line and leaves it running', anywhere: false };
  return undefined;
}

/** Lines above a call whose strings can hold its command, and how much of their text the shapes read. */
const WINDOW_LINES = 30;
const MAX_COMMAND_TEXT = 4000;

/** The file's strings by enclosing function, in line order: built once per file, so each call looks up its window. */
const stringsByDef = new WeakMap<ParsedFile, Map<number | undefined, StringLiteral[]>>();
function stringsIn(file: ParsedFile, def: number | undefined): StringLiteral[] {
  let byDef = stringsByDef.get(file);
  if (!byDef) {
    byDef = new Map();
    for (const s of file.strings) {
      const list = byDef.get(s.inDef) ?? [];
      list.push(s);
      byDef.set(s.inDef, list);
    }
    for (const list of byDef.values()) list.sort((a, b) => a.line - b.line);
    stringsByDef.set(file, byDef);
  }
  return byDef.get(def) ?? [];
}

/**
 * The command's text: the call's arguments, and where the first argument is a name, the string values the
 * same function (or module) holds in the lines above; a command is often built in a variable a line above.
 * Bounded, so a file of many calls and many strings stays linear.
 */
function commandText(file: ParsedFile, c: CallSite): string {
  const first = c.args[0] ?? '';
  const strings = stringsIn(file, c.inDef);
  const firstAt = (line: number) => {
    let lo = 0;
    let hi = strings.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strings[mid]!.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let text = c.text;
  if (!/^[A-Za-z_]\w*$/.test(first.trim())) {
    // An argument spelled as an expression (`os.system(b64d('Y3Vy...'))`): what the parser folded it to.
    for (const arg of c.args) {
      const value = foldedArgument(file, c, arg.trim().replace(/^\[\s*([^,\]]+?)\s*\]$/, '$1'));
      if (value !== undefined) text += ` ; ${value.slice(0, MAX_COMMAND_TEXT)}`;
    }
    return text.slice(0, MAX_COMMAND_TEXT);
  }
  const lo = firstAt(c.line - WINDOW_LINES);
  for (let i = lo; i < strings.length && strings[i]!.line <= c.line && text.length < MAX_COMMAND_TEXT; i++)
    text += ` ; ${strings[i]!.value.slice(0, MAX_COMMAND_TEXT)}`;
  return text.slice(0, MAX_COMMAND_TEXT);
}

export const dangerousCommand: Rule = {
  id: 'dangerous-command',
  category: 'process',
  severity: 'critical',
  description:
    "Runs a command with a dropper's shape: a download chained into execution, a program in a temporary folder, hidden or encoded PowerShell, or interpreter code left running in the background.",
  rationale:
    'Honest packages run tools by name and wait for them; droppers fetch and start a second stage, run it from /tmp or %TEMP%, hide PowerShell, or fork `python -c` to outlive the import.',
  check: (file) => {
    const hits: RuleHit[] = [];
    for (const c of file.calls) {
      if (c.role === 'test' || !PROCESS_CALL.test(c.name)) continue;
      const shape = shapeOf(c, commandText(file, c));
      if (!shape) continue;
      const early = c.role === 'install' || c.role === 'import';
      const severity = early ? (shape.anywhere ? 'critical' : 'high') : shape.anywhere ? 'high' : 'medium';
      hits.push(callHit(c, severity, `${shape.what} with ${c.name}`));
    }
    return hits;
  },
};
