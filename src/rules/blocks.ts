// Block structure read from indentation, for the few rules that ask it of a handful of candidate lines (a
// silent `try`, a discarded result). The collector does not record try/except: asking it of every call would
// cost every file a walk for what two rules need on lines they already picked.

const BLANK_OR_COMMENT = /^\s*(#.*)?$/;
const BLOCK_END = /^\s*(def|async\s+def|class)\b/;
const TRY = /^\s*try\s*:\s*(#.*)?$/;
const SUPPRESS = /^\s*(async\s+)?with\s+(contextlib\.)?suppress\s*\(/;
const HANDLER = /^\s*except\b[^:]*:\s*(.*)$/;
const ELSE_FINALLY = /^\s*(else|finally)\s*:/;
/** A handler that does nothing with the error. */
const SILENT_STATEMENT =
  /^(pass|\.\.\.|continue|break|return(\s+(None|False|True|0|''|""|\[\]|\{\}))?)\s*(#.*)?$/;

// How far a block is looked for, in lines: rules ask this of many candidate lines in a hostile file, so each
// question costs a bounded scan (a try opened further up than this reads as no try).
const REACH = 400;

function indent(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Whether line `at` (1-based) sits in a `try` whose every `except` does nothing (pass, continue, return a
 * constant) or in `with suppress(...)`: errors vanish, so whoever wrote it did not want to know it failed.
 */
export function inSilentTry(lines: readonly string[], at: number): boolean {
  let level = indent(lines[at - 1] ?? '');
  for (let i = at - 2; i >= Math.max(0, at - REACH) && level > 0; i--) {
    const line = lines[i] ?? '';
    if (BLANK_OR_COMMENT.test(line)) continue;
    const own = indent(line);
    if (own >= level) continue;
    if (TRY.test(line)) return handlersSilent(lines, i, own);
    if (SUPPRESS.test(line)) return true;
    if (BLOCK_END.test(line)) return false;
    level = own;
  }
  return false;
}

function handlersSilent(lines: readonly string[], tryIndex: number, tryIndent: number): boolean {
  let handlers = 0;
  for (let i = tryIndex + 1; i < Math.min(lines.length, tryIndex + REACH); i++) {
    const line = lines[i] ?? '';
    if (BLANK_OR_COMMENT.test(line) || indent(line) > tryIndent) continue;
    if (indent(line) < tryIndent) break;
    const handler = HANDLER.exec(line);
    if (handler) {
      handlers++;
      const body = handler[1]?.trim() ? [handler[1].trim()] : bodyOf(lines, i, tryIndent);
      if (body.length === 0 || !body.every((s) => SILENT_STATEMENT.test(s))) return false;
      continue;
    }
    if (ELSE_FINALLY.test(line)) continue;
    break;
  }
  return handlers > 0;
}

function bodyOf(lines: readonly string[], header: number, headerIndent: number): string[] {
  const out: string[] = [];
  for (let i = header + 1; i < Math.min(lines.length, header + REACH); i++) {
    const line = lines[i] ?? '';
    if (BLANK_OR_COMMENT.test(line)) continue;
    if (indent(line) <= headerIndent) break;
    out.push(line.trim());
  }
  return out;
}

/** Whether the statement on line `at` is the call itself (or `await` of it, or `_ =` it): its result is thrown away. */
export function resultDiscarded(lines: readonly string[], at: number, callText: string): boolean {
  const open = callText.indexOf('(');
  const callee = (open > 0 ? callText.slice(0, open) : callText).trim();
  // `_ = post(...)` throws the result away as surely as a bare call does.
  const statement = (lines[at - 1] ?? '')
    .trim()
    .replace(/^_+\s*=(?!=)\s*/, '')
    .replace(/^await\s+/, '');
  return callee !== '' && statement.startsWith(callee);
}
