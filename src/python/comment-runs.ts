// Long runs of comment-only lines, blanked before the parse. Why: tree-sitter-python's external scanner,
// at each newline where an indent, dedent or newline token may follow, looks ahead over every comment line
// after it to find the next line's indentation (tree-sitter/tree-sitter-python#243, #245: a fix was proposed
// upstream and not merged), and a comment is a token of its own, so a block of n comment lines after a
// statement costs n^2: 500 KB of comment padding after a two-line payload took half a minute. Whitespace
// lines are skipped in one token, so replacing each character of such a run (but line breaks) by a space
// keeps every offset, row and column, and the lookahead becomes linear. Comments carry nothing the
// collector reads. A '#' line that tree-sitter sees inside a string is not a comment: parsePython checks the
// blanked runs against the string nodes it found and parses those runs again unblanked (see parse.ts).

/**
 * Runs are blanked only when their lines times their characters reach this (the lookahead's cost, about half
 * of it in characters scanned: some 60 ms). Shorter runs, such as license headers and commented-out
 * functions, are parsed as they are, so ordinary files get exactly the tree they always got.
 */
export const MIN_RUN_COST = 4_000_000;

export interface CommentRun {
  /** UTF-16 offsets: the first comment line's start and the last comment line's end (before its break). */
  start: number;
  end: number;
}

const SPACE = 32;
const TAB = 9;
const FORM_FEED = 12;
const CR = 13;
const HASH = 35;
const BACKSLASH = 92;

/**
 * The runs of comment-only lines (blank lines between them do not end a run) that cost at least `minCost`.
 * A line after a backslash continuation never starts a run: there the comment is not a line of its own.
 */
export function findCommentRuns(source: string, minCost = MIN_RUN_COST): CommentRun[] {
  const runs: CommentRun[] = [];
  let runStart = -1;
  let runEnd = -1;
  let runLines = 0;
  let continued = false;
  const close = () => {
    if (runStart >= 0 && runLines * (runEnd - runStart) >= minCost)
      runs.push({ start: runStart, end: runEnd });
    runStart = -1;
    runLines = 0;
  };
  let pos = 0;
  const n = source.length;
  while (pos <= n) {
    let lineEnd = source.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = n;
    let first = pos;
    for (; first < lineEnd; first++) {
      const c = source.charCodeAt(first);
      if (c !== SPACE && c !== TAB && c !== FORM_FEED && c !== CR) break;
    }
    if (first === lineEnd) {
      // Blank: neither ends nor extends a run.
    } else if (source.charCodeAt(first) === HASH && !continued) {
      if (runStart < 0) runStart = pos;
      runEnd = lineEnd;
      runLines++;
    } else {
      close();
    }
    let last = lineEnd - 1;
    if (last >= pos && source.charCodeAt(last) === CR) last--;
    continued = last >= first && source.charCodeAt(last) === BACKSLASH && source.charCodeAt(first) !== HASH;
    pos = lineEnd + 1;
  }
  close();
  return runs;
}

/** `source` with every character of the runs but line breaks replaced by a space (same length). */
export function blankRuns(source: string, runs: readonly CommentRun[]): string {
  if (runs.length === 0) return source;
  const parts: string[] = [];
  let at = 0;
  for (const run of runs) {
    parts.push(source.slice(at, run.start));
    parts.push(source.slice(run.start, run.end).replace(/[^\r\n]+/g, (m) => ' '.repeat(m.length)));
    at = run.end;
  }
  parts.push(source.slice(at));
  return parts.join('');
}

/**
 * The runs that overlap a string node, given the string nodes' (start, end) pairs in document order; both
 * lists are sorted, so one merge pass.
 */
export function runsInsideStrings(runs: readonly CommentRun[], stringRanges: readonly number[]): Set<number> {
  const hit = new Set<number>();
  let s = 0;
  runs.forEach((run, r) => {
    while (s < stringRanges.length && (stringRanges[s + 1] ?? 0) <= run.start) s += 2;
    if (s < stringRanges.length && (stringRanges[s] ?? 0) < run.end) hit.add(r);
  });
  return hit;
}
