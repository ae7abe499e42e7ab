// One tree-sitter parse and one cursor walk per file, collecting everything the rules and features need.
import { Language, type Node, Parser, type Tree, type TreeCursor } from 'web-tree-sitter';
import { type CodeRole, type FileRole, fileRole, topLevelRole } from './roles.js';
import { decodeEscapes, literalPrefix } from './strings.js';
import type { CallSite, ImportRecord, ParsedFile, SetupCall, StringLiteral } from './types.js';
import { pythonGrammarWasm, runtimeWasm } from './wasm.js';

/** Larger files are not parsed (text features still apply); about a second of parsing at the measured speed. */
export const MAX_PARSE_CHARS = 4_000_000;
const CUT = 200;

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

const cut = (text: string) => (text.length > CUT ? text.slice(0, CUT) : text);

// Base classes whose run() executes during `pip install` / `setup.py <command>`.
const INSTALL_COMMAND_BASE =
  /\b(install|develop|egg_info|build_py|build_ext|build|sdist|bdist_egg|bdist_wheel|install_lib|install_scripts|easy_install|_install|_develop)\b/;
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;
const LITERAL = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/;

interface Frame {
  depth: number;
  role: CodeRole;
  name?: string;
  installClass: boolean;
}

/** A call's callee as a dotted chain rooted at a local name or a module, or an unknown receiver. */
type Chain = { root: string; module: boolean; attrs: string[] } | { unknown: string };

function literalString(node: Node | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return stringValue(node.text);
}

function stringValue(text: string): string {
  const m = LITERAL.exec(text);
  if (!m) return text;
  const prefix = literalPrefix(m[1] ?? '');
  const body = m[3] ?? '';
  return prefix.raw ? body : decodeEscapes(body, prefix.bytes);
}

function chainOf(node: Node | null): Chain {
  if (!node) return { unknown: '' };
  switch (node.type) {
    case 'identifier':
      return { root: node.text, module: false, attrs: [] };
    case 'attribute': {
      const attr = node.childForFieldName('attribute')?.text ?? '';
      const object = chainOf(node.childForFieldName('object'));
      return 'root' in object ? { ...object, attrs: [...object.attrs, attr] } : { unknown: attr };
    }
    case 'parenthesized_expression':
      return chainOf(node.namedChildren[0] ?? null);
    case 'call': {
      const fn = node.childForFieldName('function');
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a !== null);
      const fnText = fn?.text;
      if (fnText === '__import__' || fnText === 'importlib.import_module' || fnText === 'import_module') {
        const module = literalString(args[0] ?? null);
        // __import__('a.b') returns the top package a; import_module('a.b') returns a.b.
        if (module !== undefined) {
          return {
            root: fnText === '__import__' ? (module.split('.')[0] ?? module) : module,
            module: true,
            attrs: [],
          };
        }
      }
      if (fnText === 'getattr' && args.length >= 2) {
        const attr = literalString(args[1] ?? null);
        const object = chainOf(args[0] ?? null);
        if (attr !== undefined && 'root' in object) return { ...object, attrs: [...object.attrs, attr] };
      }
      return { unknown: '' };
    }
    default:
      return { unknown: '' };
  }
}

function resolve(chain: Chain, bindings: Map<string, string>): string {
  if ('unknown' in chain) return chain.unknown ? `<expr>.${chain.unknown}` : '<expr>';
  const base = chain.module ? chain.root : (bindings.get(chain.root) ?? chain.root);
  return [base, ...chain.attrs].join('.');
}

/** .pth files: only lines starting with `import` run (at every interpreter start); the rest are path entries. */
function pthExecutableSource(source: string): string {
  return source
    .split('\n')
    .map((line) => (/^import[ \t]/.test(line) ? line : ''))
    .join('\n');
}

function emptyFile(path: string, source: string, lines: string[], parseError: string): ParsedFile {
  return {
    path,
    source,
    lines,
    parsed: false,
    parseError,
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
    tree = parser.parse(role === 'pth' ? pthExecutableSource(source) : source);
    if (!tree) return emptyFile(path, source, lines, `${path}: tree-sitter produced no tree`);
    return walk(tree.walk(), tree.rootNode.hasError, path, source, lines, role);
  } catch (error) {
    return emptyFile(path, source, lines, `${path}: parse failed: ${(error as Error).message}`);
  } finally {
    tree?.delete();
  }
}

function walk(
  cursor: TreeCursor,
  hasError: boolean,
  path: string,
  source: string,
  lines: string[],
  role: FileRole,
): ParsedFile {
  const file: ParsedFile = {
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
  const bindings = new Map<string, string>();
  const pendingCalls: { chain: Chain; site: CallSite }[] = [];
  const frames: Frame[] = [];
  const top = topLevelRole(role);
  const currentRole = () => frames[frames.length - 1]?.role ?? top;
  const enclosingName = () => {
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i]?.name) return frames[i]?.name;
    return undefined;
  };
  let depth = 0;

  const bind = (alias: string, target: string) => bindings.set(alias, target);

  const onImport = (node: Node, line: number) => {
    const from = node.type === 'import_from_statement';
    const module = from ? (node.childForFieldName('module_name')?.text ?? '') : '';
    if (from && node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
      file.imports.push({ module, name: '*', alias: '*', line, role: currentRole() });
    }
    for (const item of node.childrenForFieldName('name')) {
      if (!item) continue;
      const aliased = item.type === 'aliased_import';
      const dotted = aliased ? (item.childForFieldName('name')?.text ?? '') : item.text;
      const alias = aliased
        ? (item.childForFieldName('alias')?.text ?? dotted)
        : dotted.split('.')[0] || dotted;
      const record: ImportRecord = from
        ? { module, name: dotted, alias, line, role: currentRole() }
        : { module: dotted, alias, line, role: currentRole() };
      file.imports.push(record);
      bind(alias, from ? `${module}.${dotted}` : aliased ? dotted : alias);
    }
  };

  const onAssignment = (node: Node) => {
    // `sp = subprocess` / `run = os.system` / `b = __import__('base64')`: later calls resolve through the alias.
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) return;
    if (right.type !== 'identifier' && right.type !== 'attribute' && right.type !== 'call') return;
    const chain = chainOf(right);
    if ('unknown' in chain) return;
    if (right.type === 'call' && chain.module) bind(left.text, resolve(chain, bindings));
    else if (right.type !== 'call' && !chain.module && bindings.has(chain.root))
      bind(left.text, resolve(chain, bindings));
  };

  const onCall = (node: Node, line: number) => {
    const fn = node.childForFieldName('function');
    const argNodes = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a !== null);
    const site: CallSite = {
      name: '',
      line,
      role: currentRole(),
      args: argNodes.map((a) => cut(a.text)),
      text: cut(node.text),
    };
    const nestedIn = enclosingName();
    if (nestedIn) site.nestedIn = nestedIn;
    pendingCalls.push({ chain: chainOf(fn), site });
    if (role === 'setup' && fn && (fn.text === 'setup' || fn.text.endsWith('.setup')) && !file.setupCall) {
      file.setupCall = readSetupCall(argNodes, line);
      if (file.setupCall.cmdclass) file.cmdclass = true;
    }
  };

  const onString = (node: Node, line: number) => {
    const parts = node.type === 'concatenated_string' ? node.namedChildren : [node];
    let value = '';
    for (const part of parts) if (part?.type === 'string') value += stringValue(part.text);
    const literal: StringLiteral = {
      value,
      raw: cut(node.text),
      line,
      role: currentRole(),
      length: value.length,
    };
    file.strings.push(literal);
  };

  const onDefinition = (node: Node, line: number, type: string) => {
    const name = node.childForFieldName('name')?.text ?? '';
    const kind = type === 'function_definition' ? 'function' : 'class';
    file.defs.push({ name, line, kind });
    const parent = frames[frames.length - 1];
    let frameRole: CodeRole;
    let installClass = false;
    if (kind === 'class') {
      installClass = INSTALL_COMMAND_BASE.test(node.childForFieldName('superclasses')?.text ?? '');
      frameRole = currentRole(); // a class body runs where the class statement runs
    } else if (parent?.installClass) {
      frameRole = 'install';
      if (name === 'run') file.cmdclass = true;
    } else {
      frameRole = top === 'import' ? 'runtime' : top;
    }
    frames.push({ depth, role: frameRole, name, installClass });
  };

  for (;;) {
    const type = cursor.nodeType;
    let descend = true;
    // Each cursor property is a call into wasm: ask only what this node needs.
    if (depth === 1 && type !== 'comment' && cursor.nodeIsNamed) file.topLevelStatements++;
    if (hasError && (type === 'ERROR' || cursor.nodeIsMissing)) file.errorNodes++;
    switch (type) {
      case 'identifier':
        file.identifiers.push(cursor.nodeText);
        break;
      case 'call':
        onCall(cursor.currentNode, cursor.startPosition.row + 1);
        break;
      case 'string':
      case 'concatenated_string':
        onString(cursor.currentNode, cursor.startPosition.row + 1);
        descend = false;
        break;
      case 'import_statement':
      case 'import_from_statement':
        onImport(cursor.currentNode, cursor.startPosition.row + 1);
        break;
      case 'assignment':
        onAssignment(cursor.currentNode);
        break;
      case 'function_definition':
      case 'class_definition':
        onDefinition(cursor.currentNode, cursor.startPosition.row + 1, type);
        break;
      case 'if_statement':
        if (depth === 1 && top === 'import') {
          const condition = cursor.currentNode.childForFieldName('condition')?.text ?? '';
          // `if __name__ == '__main__':` runs only when the module is a script, not on import.
          if (MAIN_GUARD.test(condition)) frames.push({ depth, role: 'runtime', installClass: false });
        }
        break;
    }
    if (descend && cursor.gotoFirstChild()) {
      depth++;
      continue;
    }
    let done = false;
    for (;;) {
      while (frames.length > 0 && frames[frames.length - 1]?.depth === depth) frames.pop();
      if (cursor.gotoNextSibling()) break;
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
      depth--;
    }
    if (done) break;
  }
  cursor.delete();
  for (const { chain, site } of pendingCalls) {
    site.name = resolve(chain, bindings);
    file.calls.push(site);
  }
  return file;
}

function readSetupCall(args: Node[], line: number): SetupCall {
  const call: SetupCall = { line, keywords: [], strings: {}, lists: {}, cmdclass: false };
  for (const arg of args) {
    if (arg.type !== 'keyword_argument') continue;
    const name = arg.childForFieldName('name')?.text ?? '';
    const value = arg.childForFieldName('value');
    call.keywords.push(name);
    if (name === 'cmdclass') call.cmdclass = true;
    const literal = literalString(value);
    if (literal !== undefined) call.strings[name] = literal;
    else if (value && (value.type === 'list' || value.type === 'tuple')) {
      const items = value.namedChildren.map((c) => literalString(c));
      if (items.every((i) => i !== undefined)) call.lists[name] = items as string[];
    }
  }
  return call;
}
