// One tree-sitter parse per file, then collect.ts reads everything the rules and features need from the tree.
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { asBinding, type Binding, checkBinding, Grammar, TreeReader } from './binding.js';
import { collect } from './collect.js';
import { blankRuns, findCommentRuns, runsInsideStrings } from './comment-runs.js';
import { type FileRole, fileRole } from './roles.js';
import type { ParsedFile } from './types.js';
import { pythonGrammarWasm, runtimeWasm } from './wasm.js';

/** Larger files are not parsed (text features still apply); about a second of parsing at the measured speed. */
export const MAX_PARSE_CHARS = 4_000_000;

interface Loaded {
  parser: Parser;
  binding: Binding;
  grammar: Grammar;
  transferBuffer: number;
}

let loaded: Loaded | undefined;
let loading: Promise<void> | undefined;

// Names, calls, strings and keyword arguments in one line: what checkBinding compares.
const PROBE = "import os as o\nx = o.path.join('a', b=f'{c}')  # é\n";

/** Loads web-tree-sitter and the Python grammar once; later calls return at once. */
export function initPython(): Promise<void> {
  loading ??= (async () => {
    const runtime = runtimeWasm();
    const grammarWasm = pythonGrammarWasm();
    // Emscripten makes the options object the module itself: it then holds the binding's exports.
    const module = { wasmBinary: runtime };
    await Parser.init(module as Parameters<typeof Parser.init>[0]);
    const binding = asBinding(module);
    if (binding instanceof Error) throw binding;
    const language = await Language.load(grammarWasm);
    const parser = new Parser();
    parser.setLanguage(language);
    const next: Loaded = {
      parser,
      binding,
      grammar: new Grammar(binding, language),
      transferBuffer: binding._ts_init(),
    };
    const probe = parser.parse(PROBE);
    if (!probe) throw new Error('tree-sitter produced no tree for the probe');
    try {
      const mismatch = checkBinding(reader(next, probe, PROBE), probe);
      if (mismatch) throw new Error(`web-tree-sitter binding changed: ${mismatch}`);
    } finally {
      probe.delete();
    }
    loaded = next;
  })();
  return loading;
}

function reader(l: Loaded, tree: Tree, text: string): TreeReader {
  return new TreeReader(l.binding, l.grammar, tree, l.transferBuffer, text);
}

/** .pth files: only lines starting with `import` run (at every interpreter start); the rest are path entries. */
function pthExecutableSource(source: string): string {
  return source
    .split('\n')
    .map((line) => (/^import[ \t]/.test(line) ? line : ''))
    .join('\n');
}

function newFile(path: string, source: string, lines: string[]): ParsedFile {
  return {
    path,
    source,
    lines,
    parsed: true,
    errorNodes: 0,
    imports: [],
    calls: [],
    strings: [],
    identifiers: [],
    defs: [],
    cmdclass: false,
    topLevelStatements: 0,
  };
}

function emptyFile(path: string, source: string, lines: string[], parseError: string): ParsedFile {
  return { ...newFile(path, source, lines), parsed: false, parseError };
}

/** The benchmark floor: a bare tree-sitter parse with no walk; returns whether a tree was produced. */
export function bareParse(source: string): boolean {
  const tree = loaded?.parser.parse(source);
  tree?.delete();
  return Boolean(tree);
}

export interface ParseOptions {
  /**
   * Asked as tree-sitter goes; true stops the parse: the file is then `parsed: false` with `stopped` set
   * (an analysis budget ran out).
   */
  shouldStop?: () => boolean;
  /** Stop when the parser's wasm memory would pass this many bytes (it never shrinks once grown). */
  maxHeapBytes?: number;
  /** Stop before collecting a tree of more nodes than this (the collected objects grow with them). */
  maxNodes?: number;
  /** Parse long comment runs as written, the slow lookahead included (to compare in tests). */
  keepCommentRuns?: boolean;
}

/**
 * Parses once (sync, after initPython()); never throws: a failure is `parsed: false` with parseError.
 * `role` overrides the role judged from the path (a module a .pth line imports runs at every start).
 */
export function parsePython(
  source: string,
  path: string,
  role: FileRole = fileRole(path),
  options: ParseOptions = {},
): ParsedFile {
  // The same lines either way; a plain split is cheaper when there is no \r at all (most files).
  const lines = source.includes('\r') ? source.split(/\r?\n/) : source.split('\n');
  if (!loaded) return emptyFile(path, source, lines, 'parser not initialised (call initPython() first)');
  if (source.length > MAX_PARSE_CHARS) {
    return emptyFile(
      path,
      source,
      lines,
      `${path}: ${source.length} characters, over the ${MAX_PARSE_CHARS} parse limit`,
    );
  }
  let tree: Tree | null = null;
  try {
    const text = role === 'pth' ? pthExecutableSource(source) : source;
    // Long comment runs are parsed as blank lines (comment-runs.ts); texts are read from `text` itself.
    let runs = options.keepCommentRuns ? [] : findCommentRuns(text);
    const binding = loaded.binding;
    let stopped: string | undefined;
    const progressCallback = () => {
      if (options.shouldStop?.()) stopped = 'the analysis budget ran out';
      else if (options.maxHeapBytes && binding.HEAP32.buffer.byteLength > options.maxHeapBytes)
        stopped = `the parser's memory passed ${options.maxHeapBytes} bytes`;
      return stopped !== undefined;
    };
    const watched = options.shouldStop !== undefined || options.maxHeapBytes !== undefined;
    const stoppedFile = (reason: string) => ({
      ...emptyFile(path, source, lines, `${path}: parse stopped: ${reason}`),
      stopped: reason,
    });
    for (let attempt = 0; ; attempt++) {
      tree = loaded.parser.parse(blankRuns(text, runs), null, watched ? { progressCallback } : undefined);
      if (!tree) {
        // A cancelled parse is resumed by the next call unless the parser is reset.
        loaded.parser.reset();
        if (stopped) return stoppedFile(stopped);
      }
      if (!tree) return emptyFile(path, source, lines, `${path}: tree-sitter produced no tree`);
      const nodes = options.maxNodes ? tree.rootNode.descendantCount : 0;
      if (options.maxNodes && nodes > options.maxNodes)
        return stoppedFile(`${nodes} syntax nodes, over the limit of ${options.maxNodes}`);
      const file = newFile(path, source, lines);
      const stringRanges: number[] | undefined = runs.length > 0 ? [] : undefined;
      collect(reader(loaded, tree, text), tree, file, role, stringRanges);
      const inside = stringRanges ? runsInsideStrings(runs, stringRanges) : undefined;
      if (!inside || inside.size === 0) return file;
      // '#' lines inside a string literal are its text, not comments: parse again with those runs as they
      // are (and, should that still disagree, with none blanked).
      runs = attempt === 0 ? runs.filter((_, i) => !inside.has(i)) : [];
      tree.delete();
      tree = null;
    }
  } catch (error) {
    return {
      ...emptyFile(path, source, lines, `${path}: parse failed: ${(error as Error).message}`),
      failed: true,
    };
  } finally {
    tree?.delete();
  }
}
