// Everything parsePython reports, read from one tree without a JS-driven walk. A cursor walk costs several
// calls into wasm per node (type, position, text, moving), and a tree holds about one node per two characters
// of source: that walk cost more than the parse itself. Instead one descendants() call walks the tree inside
// wasm and returns only the nodes of the kinds used, in document order, as plain words (binding.ts); scopes
// (function and class bodies, the __main__ guard) come from node ranges; texts are sliced from the parsed
// string; only the nodes that need their children (calls, imports, definitions, assignments) ask for them.
// scripts/parse-golden.ts checks that the output stays the same as the walk's on corpus files.
import type { Tree } from 'web-tree-sitter';
import { NODE_WORDS, nodeAt, type RawNode, type TreeReader } from './binding.js';
import {
  type Chain,
  chainOf,
  dottedChain,
  literalString,
  methodCallerCall,
  resolve,
  stringValue,
} from './chain.js';
import { CALL_METHOD, DISPATCHER_NAMES, handedCall, isLibcSystem } from './handed.js';
import { boundStrMethod, foldContext, foldPath, foldString } from './fold.js';
import { type CodeRole, type FileRole, topLevelRole } from './roles.js';
import { decoratorsAbove, propagateReach } from './reach.js';
import type { CallSite, Definition, ImportRecord, ParsedFile, SetupCall, StringLiteral } from './types.js';

const CUT = 200;
const KINDS = [
  'identifier',
  'call',
  'string',
  'concatenated_string',
  'import_statement',
  'import_from_statement',
  'assignment',
  'function_definition',
  'class_definition',
];

// Base classes whose run() executes during `pip install` / `setup.py <command>`.
const INSTALL_COMMAND_BASE =
  /\b(install|develop|egg_info|build_py|build_ext|build|sdist|bdist_egg|bdist_wheel|install_lib|install_scripts|easy_install|_install|_develop)\b/;
// Names that, bound to another name, hide a code runner or a name lookup (`e = exec`).
const CODE_RUNNERS = new Set([
  'exec',
  'eval',
  'compile',
  'execfile',
  '__import__',
  'getattr',
  '__builtins__',
  'builtins',
]);
// Right-hand sides worth folding: expressions that may spell a constant string.
const FOLDABLE = new Set([
  'string',
  'concatenated_string',
  'binary_operator',
  'subscript',
  'call',
  'identifier',
]);
const FOLDABLE_CALL =
  /(join|chr|decode|fromhex|unhexlify|decompress|format|replace|lower|upper|bytes|bytearray|str|encode)\s*\(/;
const DECODER_CALL =
  /^(base64\.(b64decode|urlsafe_b64decode|decodebytes|decodestring)|binascii\.(unhexlify|a2b_base64|a2b_hex)|zlib\.decompress|codecs\.decode|bytes\.fromhex)$/;
const PATH_CALL = /(^|\.)(path\.join|joinpath|Path|PurePath|PosixPath|WindowsPath|expanduser)$/;
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

/** A function or class body, or the __main__ guard: code from a node's start up to `end` runs with `role`. */
interface Scope {
  end: number;
  role: CodeRole;
  name?: string;
  installClass: boolean;
  /** Index in file.defs, for function and class bodies. */
  def?: number;
}

/** The end of an ASCII identifier starting at `start`, or -1 when a non-ASCII character may continue it. */
function asciiIdentifierEnd(text: string, start: number): number {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) continue;
    return c < 128 ? i : -1;
  }
  return i;
}

/**
 * Fills `file` from `tree`, read through `r` (over the source, or a .pth file's executable lines). The
 * (start, end) offsets of the string literals not inside another literal go to `stringRanges`, in
 * document order, when it is given.
 */
export function collect(
  r: TreeReader,
  tree: Tree,
  file: ParsedFile,
  role: FileRole,
  stringRanges?: number[],
): void {
  const text = r.source;
  const root = r.root();
  // Shortcuts that read structure from text hold only for trees without ERROR or MISSING nodes.
  const exact = r.exact;
  if (!exact) {
    const scan = scanErrors(tree);
    file.errorNodes = scan.errorNodes;
    for (let i = 0; i < scan.missingNamesAtStart; i++) file.identifiers.push('');
  }
  const top = topLevelRole(role);
  const guards = topLevel(r, root, file, top);

  const bindings = new Map<string, string>();
  /** Local names bound to a code runner or a name read through getattr/__import__ (their calls are marked). */
  const hidden = new Set<string>();
  const fold = foldContext(r);
  fold.alias = (name) => bindings.get(name) ?? name;
  const pendingCalls: { chain: Chain; site: CallSite; argChains?: (Chain | undefined)[] }[] = [];
  const scopes: Scope[] = [];
  const currentRole = () => scopes[scopes.length - 1]?.role ?? top;
  const currentDef = () => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]?.def !== undefined) return scopes[i]?.def;
    return undefined;
  };
  /** Tags an item with its innermost function or class, for reachability (reach.ts). */
  const inDef = <T extends { inDef?: number }>(item: T): T => {
    const def = currentDef();
    if (def !== undefined) item.inDef = def;
    return item;
  };
  const enclosingName = () => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]?.name) return scopes[i]?.name;
    return undefined;
  };
  const cutText = (node: RawNode, end = r.end(node)) =>
    text.slice(node.start, Math.min(end, node.start + CUT));
  const textOr = (node: RawNode | null, fallback: string) => (node ? r.text(node) : fallback);

  const onImport = (node: RawNode, type: string, line: number) => {
    const from = type === 'import_from_statement';
    const module = from ? textOr(r.child(node, 'module_name'), '') : '';
    if (from && r.namedChildren(node).some((c) => r.type(c) === 'wildcard_import')) {
      file.imports.push(inDef<ImportRecord>({ module, name: '*', alias: '*', line, role: currentRole() }));
    }
    for (const item of r.children(node, 'name')) {
      const aliased = r.type(item) === 'aliased_import';
      const dotted = aliased ? textOr(r.child(item, 'name'), '') : r.text(item);
      const alias = aliased ? textOr(r.child(item, 'alias'), dotted) : dotted.split('.')[0] || dotted;
      const record: ImportRecord = from
        ? { module, name: dotted, alias, line, role: currentRole() }
        : { module: dotted, alias, line, role: currentRole() };
      file.imports.push(inDef(record));
      bindings.set(alias, from ? `${module}.${dotted}` : aliased ? dotted : alias);
    }
  };

  /** A value folded from an expression, added beside the literals so string rules see what it spells. */
  const foldedAt = new Set<string>();
  const addFolded = (value: string, node: RawNode) => {
    if (value.length < 3) return;
    // The same value on the same line once: a decoder call folded alone and again as another call's argument.
    const key = `${node.row}\0${value}`;
    if (foldedAt.has(key)) return;
    foldedAt.add(key);
    const raw = text.slice(node.start, Math.min(r.end(node), node.start + CUT));
    file.strings.push(
      inDef<StringLiteral>({
        value,
        raw,
        line: node.row + 1,
        role: currentRole(),
        length: value.length,
        folded: true,
      }),
    );
  };
  const foldable = (node: RawNode, type: string) =>
    type === 'binary_operator' ||
    type === 'subscript' ||
    (type === 'call' &&
      (FOLDABLE_CALL.test(text.slice(node.start, node.start + 120)) ||
        (fold.wrappers.size > 0 &&
          fold.wrappers.has(/^\w*/.exec(text.slice(node.start, node.start + 80))![0]))));

  const onAssignment = (node: RawNode) => {
    // `sp = subprocess` / `run = os.system` / `b = __import__('base64')`: later calls resolve through the alias.
    const left = r.child(node, 'left');
    if (!left || r.type(left) !== 'identifier') return;
    const name = r.text(left);
    const right = r.child(node, 'right');
    const type = right ? r.type(right) : '';
    // `m = 'o' + 's'` / `n = m`: names bound to constant strings, for later folds (last binding wins).
    const value =
      right && FOLDABLE.has(type) && (type === 'string' || type === 'identifier' || foldable(right, type))
        ? foldString(fold, right, type)
        : undefined;
    if (value !== undefined) {
      fold.constants.set(name, value);
      if (right && type !== 'string' && type !== 'identifier') addFolded(value, right);
    } else fold.constants.delete(name);
    // `_ = "".join`: later `_([chr(c) for c in [...]])` folds as the join would.
    const method = right && type === 'attribute' ? boundStrMethod(fold, right) : undefined;
    if (method) fold.methods.set(name, method);
    else fold.methods.delete(name);
    if (!right || (type !== 'identifier' && type !== 'attribute' && type !== 'call' && type !== 'subscript'))
      return;
    const chain =
      (type === 'identifier' || type === 'attribute') && exact ? dottedChain(r.text(right)) : undefined;
    const resolved = chain ?? chainOf(r, right, fold);
    if ('unknown' in resolved) return;
    if (type === 'call' || type === 'subscript') {
      if (resolved.module || resolved.normalised) bindings.set(name, resolve(resolved, bindings));
      if (resolved.normalised) hidden.add(name);
    } else if (!resolved.module && (bindings.has(resolved.root) || CODE_RUNNERS.has(resolved.root))) {
      bindings.set(name, resolve(resolved, bindings));
      if (CODE_RUNNERS.has(resolved.root) || hidden.has(resolved.root)) hidden.add(name);
    }
  };

  const onCall = (node: RawNode, line: number) => {
    const argsNode = r.child(node, 'arguments');
    const argNodes = argsNode ? r.namedChildren(argsNode) : [];
    // The callee spans from the call's start to its arguments; when that text is a plain dotted name the
    // chain needs no more calls into wasm.
    const head = exact && argsNode ? text.slice(node.start, argsNode.start).trimEnd() : '';
    let chain = head ? dottedChain(head) : undefined;
    let fnText = head;
    let siteArgs = argNodes;
    if (!chain) {
      const fn = r.child(node, 'function');
      fnText = textOr(fn, '');
      chain = chainOf(r, fn, fold);
      // `operator.methodcaller('system', cmd)(os)` calls os.system(cmd).
      const called =
        'unknown' in chain && fn && r.type(fn) === 'call'
          ? methodCallerCall(r, fn, argNodes, fold)
          : undefined;
      if (called) {
        chain = called.chain;
        siteArgs = called.rest;
      }
    }
    // A function whose body decodes (`def b64d(s): return base64.b64decode(s)`): later calls of it fold.
    const scope = scopes[scopes.length - 1];
    if (scope?.def !== undefined && 'root' in chain && file.defs[scope.def]?.kind === 'function') {
      const callee = resolve(chain, bindings);
      if (scope.name && DECODER_CALL.test(callee)) fold.wrappers.set(scope.name, callee);
    }
    // A call of the file's own decoder wrapper, wherever it stands (`cmd = [decode_str('Y3Vy...')]`).
    if (fold.wrappers.size > 0 && fold.wrappers.has(head)) {
      const value = foldString(fold, node, 'call');
      if (value !== undefined) addFolded(value, node);
    }
    for (const node of argNodes) {
      // `url=base64.b64decode('aHR0…')`: a keyword's value folds like a positional argument.
      const arg = r.type(node) === 'keyword_argument' ? r.child(node, 'value') : node;
      if (!arg) continue;
      const argType = r.type(arg);
      if (!foldable(arg, argType)) continue;
      const value = foldString(fold, arg, argType);
      if (value !== undefined) addFolded(value, arg);
    }
    // Paths built from pieces (os.path.join(home, '.ssh', 'id_rsa')): the joined form, unknown parts as '*'.
    if (PATH_CALL.test(fnText) && argNodes.length > 0) {
      const path = foldPath(fold, argNodes);
      if (path) addFolded(path, node);
    }
    const site: CallSite = {
      name: '',
      line,
      role: currentRole(),
      args: siteArgs.map((a) => cutText(a)),
      text: cutText(node),
    };
    const nestedIn = enclosingName();
    if (nestedIn) site.nestedIn = nestedIn;
    // A dispatcher handed a computed callable (`map(getattr(os, 'sys' + 'tem'), cmds)`, `map((os.system), c)`):
    // read its chain now, while the tree is at hand; handedCall decides later whether the dispatcher calls it.
    const callee = 'root' in chain ? resolve(chain, bindings) : fnText;
    const argChains = DISPATCHER_NAMES.has(callee.slice(callee.lastIndexOf('.') + 1))
      ? siteArgs.map((a) => {
          const value = r.type(a) === 'keyword_argument' ? r.child(a, 'value') : a;
          const type = value ? r.type(value) : '';
          // Short expressions only: a callable is a name or a lookup, and chainOf recurses on the tree.
          return value && COMPUTED_CALLABLE.has(type) && r.end(value) - value.start <= MAX_CALLABLE_TEXT
            ? chainOf(r, value, fold)
            : undefined;
        })
      : undefined;
    pendingCalls.push(argChains ? { chain, site: inDef(site), argChains } : { chain, site: inDef(site) });
    if (role === 'setup' && (fnText === 'setup' || fnText.endsWith('.setup')) && !file.setupCall) {
      file.setupCall = readSetupCall(r, argNodes, line);
      if (file.setupCall.cmdclass) file.cmdclass = true;
    }
  };

  const onString = (node: RawNode, type: string, line: number, end: number) => {
    let value = '';
    if (type === 'string') value = stringValue(text.slice(node.start, end));
    else
      for (const part of r.namedChildren(node))
        if (r.type(part) === 'string') value += stringValue(r.text(part));
    file.strings.push(
      inDef<StringLiteral>({
        value,
        raw: cutText(node, end),
        line,
        role: currentRole(),
        length: value.length,
      }),
    );
  };

  const onDefinition = (node: RawNode, type: string, line: number) => {
    const name = textOr(r.child(node, 'name'), '');
    const kind = type === 'function_definition' ? 'function' : 'class';
    const def = file.defs.length;
    file.defs.push(inDefParent({ name, line, kind, role: currentRole() }, decoratorsAbove(file.lines, line)));
    const parent = scopes[scopes.length - 1];
    let scopeRole: CodeRole;
    let installClass = false;
    if (kind === 'class') {
      installClass = INSTALL_COMMAND_BASE.test(textOr(r.child(node, 'superclasses'), ''));
      scopeRole = currentRole(); // a class body runs where the class statement runs
    } else if (parent?.installClass) {
      scopeRole = 'install';
      if (name === 'run') file.cmdclass = true;
    } else {
      // A function body runs only when called: reach.ts gives it the role of the code that calls it (setup.py's
      // helpers called at the top level run at install time; a `publish` command's body never runs in pip).
      scopeRole = top === 'test' ? 'test' : 'runtime';
    }
    scopes.push({ end: r.end(node), role: scopeRole, name, installClass, def });
  };
  const inDefParent = (d: Definition, decorators: string[]): Definition => {
    const parent = currentDef();
    if (parent !== undefined) d.parent = parent;
    if (decorators.length > 0) d.decorators = decorators;
    return d;
  };

  const types = r.types;
  const { words, symbols } = r.descendants(root, KINDS);
  let guard = 0;
  // Nodes inside a string literal (f-string interpolations) are not collected: the literal is one value.
  let stringEnd = -1;
  for (let i = 0; i < symbols.length; i++) {
    const start = words[i * NODE_WORDS + 1] ?? 0;
    if (start < stringEnd) continue;
    while (scopes.length > 0 && start >= (scopes[scopes.length - 1]?.end ?? 0)) scopes.pop();
    for (; guard < guards.length && (guards[guard]?.start ?? 0) <= start; guard++) {
      const range = guards[guard];
      if (range && start < range.end) scopes.push({ end: range.end, role: 'runtime', installClass: false });
    }
    const type = types[symbols[i] ?? 0] || 'ERROR';
    if (type === 'identifier') {
      // Most collected nodes are identifiers: an ASCII name's end is found in the text, without a node.
      const end = exact ? asciiIdentifierEnd(text, start) : -1;
      file.identifiers.push(text.slice(start, end >= 0 ? end : r.end(nodeAt(words, i))));
      continue;
    }
    const node = nodeAt(words, i);
    const line = node.row + 1;
    switch (type) {
      case 'call':
        onCall(node, line);
        break;
      case 'string':
      case 'concatenated_string':
        stringEnd = r.end(node);
        stringRanges?.push(node.start, stringEnd);
        onString(node, type, line, stringEnd);
        break;
      case 'import_statement':
      case 'import_from_statement':
        onImport(node, type, line);
        break;
      case 'assignment':
        onAssignment(node);
        break;
      case 'function_definition':
      case 'class_definition':
        onDefinition(node, type, line);
        break;
    }
  }
  const importsCtypes = file.imports.some((i) => i.module === 'ctypes' || i.module.startsWith('ctypes.'));
  const isRunner = (name: string) => CODE_RUNNERS.has(name);
  for (const { chain, site, argChains } of pendingCalls) {
    site.name = resolve(chain, bindings).replace(CALL_METHOD, '');
    if ('root' in chain && (chain.normalised || (!chain.module && hidden.has(chain.root))))
      site.resolved = true;
    if (isLibcSystem(site, importsCtypes)) {
      site.name = 'ctypes.libc.system';
      site.resolved = true;
    }
    file.calls.push(site);
    const handed = handedCall(site, bindings, isRunner, argChains);
    if (handed) file.calls.push(handed);
  }
  if (file.defs.length > 0) propagateReach(file);
}

/** Argument nodes whose chain only the tree can tell: `(os.system)`, `os . system`, `getattr(...)`, `x['system']`. */
const COMPUTED_CALLABLE = new Set(['call', 'subscript', 'attribute', 'parenthesized_expression']);
const MAX_CALLABLE_TEXT = 300;

/** Counts the file's top-level statements and returns the ranges of its `if __name__ == '__main__':` blocks. */
function topLevel(
  r: TreeReader,
  root: RawNode,
  file: ParsedFile,
  top: CodeRole,
): { start: number; end: number }[] {
  const guards: { start: number; end: number }[] = [];
  for (const child of r.namedChildren(root)) {
    const type = r.type(child);
    if (type === 'comment') continue;
    file.topLevelStatements++;
    // `if __name__ == '__main__':` runs only when the module is a script, not on import.
    if (type === 'if_statement' && top === 'import') {
      const condition = r.child(child, 'condition');
      if (MAIN_GUARD.test(condition ? r.text(condition) : ''))
        guards.push({ start: child.start, end: r.end(child) });
    }
  }
  return guards;
}

/**
 * ERROR and MISSING nodes outside string literals (asked only when the tree has any), and the MISSING
 * identifiers tree-sitter put at offset 0: descendants() skips zero-width nodes there, and each still counts
 * as an (empty) identifier.
 */
function scanErrors(tree: Tree): { errorNodes: number; missingNamesAtStart: number } {
  const cursor = tree.walk();
  let errorNodes = 0;
  let missingNamesAtStart = 0;
  for (;;) {
    const type = cursor.nodeType;
    if (type === 'ERROR') errorNodes++;
    else if (cursor.nodeIsMissing) {
      errorNodes++;
      if (type === 'identifier' && cursor.startIndex === 0) missingNamesAtStart++;
    }
    if (type !== 'string' && type !== 'concatenated_string' && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return { errorNodes, missingNamesAtStart };
      }
    }
  }
}

function readSetupCall(r: TreeReader, args: RawNode[], line: number): SetupCall {
  const call: SetupCall = { line, keywords: [], strings: {}, lists: {}, cmdclass: false };
  for (const arg of args) {
    if (r.type(arg) !== 'keyword_argument') continue;
    const nameNode = r.child(arg, 'name');
    const name = nameNode ? r.text(nameNode) : '';
    const value = r.child(arg, 'value');
    call.keywords.push(name);
    if (name === 'cmdclass') call.cmdclass = true;
    const literal = literalString(r, value);
    const valueType = value ? r.type(value) : '';
    if (literal !== undefined) call.strings[name] = literal;
    else if (value && (valueType === 'list' || valueType === 'tuple')) {
      const items = r.namedChildren(value).map((c) => literalString(r, c));
      if (items.every((i) => i !== undefined)) call.lists[name] = items as string[];
    }
  }
  return call;
}
