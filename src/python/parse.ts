// One tree-sitter parse per file, then collect.ts reads everything the rules and features need from the tree.
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { collect } from './collect.js';
import { fileRole } from './roles.js';
import type { ParsedFile } from './types.js';
import { pythonGrammarWasm, runtimeWasm } from './wasm.js';

/** Larger files are not parsed (text features still apply); about a second of parsing at the measured speed. */
export const MAX_PARSE_CHARS = 4_000_000;

let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Loads web-tree-sitter and the Python grammar once; later calls return at once. */
export function initPython(): Promise<void> {
  loading ??= (async () => {
    const [runtime, grammar] = await Promise.all([runtimeWasm(), pythonGrammarWasm()]);
    await Parser.init({ wasmBinary: runtime } as Parameters<typeof Parser.init>[0]);
    const language = await Language.load(grammar);
    const p = new Parser();
    p.setLanguage(language);
    parser = p;
  })();
  return loading;
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
  const tree = parser?.parse(source);
  tree?.delete();
  return Boolean(tree);
}

/** Parses once (sync, after initPython()); never throws: a failure is `parsed: false` with parseError. */
export function parsePython(source: string, path: string): ParsedFile {
  const lines = source.split(/\r?\n/);
  if (!parser) return emptyFile(path, source, lines, 'parser not initialised (call initPython() first)');
  if (source.length > MAX_PARSE_CHARS) {
    return emptyFile(
      path,
      source,
      lines,
      `${path}: ${source.length} characters, over the ${MAX_PARSE_CHARS} parse limit`,
    );
  }
  const role = fileRole(path);
  let tree: Tree | null = null;
  try {
    const text = role === 'pth' ? pthExecutableSource(source) : source;
    tree = parser.parse(text);
    if (!tree) return emptyFile(path, source, lines, `${path}: tree-sitter produced no tree`);
    const file = newFile(path, source, lines);
    collect(tree, text, file, role);
    return file;
  } catch (error) {
    return emptyFile(path, source, lines, `${path}: parse failed: ${(error as Error).message}`);
  } finally {
    tree?.delete();
  }
}
