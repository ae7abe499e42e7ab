// Everything parsePython reports, read from one tree without a JS-driven walk. A cursor walk costs several
// calls into wasm per node (type, position, text, moving), and a tree holds about one node per two characters
// of source: that walk cost 3.5x the parse itself. Instead one descendantsOfType() call walks the tree inside
// wasm and returns only the nodes of the kinds used, in document order; scopes (function and class bodies,
// the __main__ guard) come from node ranges; texts are sliced from the parsed string (web-tree-sitter's
// indexes are UTF-16 offsets into the string it was given); the few nodes that need their children (calls,
// imports, definitions, assignments, setup()) ask for them.
import type { Node, Tree } from 'web-tree-sitter';
import { type Chain, chainOf, dottedChain, literalString, resolve, stringValue } from './chain.js';
import { type CodeRole, type FileRole, topLevelRole } from './roles.js';
import type { CallSite, ImportRecord, ParsedFile, SetupCall } from './types.js';

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
const MAIN_GUARD = /^__name__\s*==\s*['"]__main__['"]$|^['"]__main__['"]\s*==\s*__name__$/;

/** A function or class body, or the __main__ guard: code from a node's start up to `end` runs with `role`. */
interface Scope {
  end: number;
  role: CodeRole;
  name?: string;
  installClass: boolean;
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

/** Fills `file` from `tree`, parsed from `text` (the source, or a .pth file's executable lines). */
export function collect(tree: Tree, text: string, file: ParsedFile, role: FileRole): void {
  const root = tree.rootNode;
  // Shortcuts that read structure from text hold only for trees without ERROR or MISSING nodes.
  const exact = !root.hasError;
  if (!exact) file.errorNodes = countErrors(tree);
  const top = topLevelRole(role);
  const guards = topLevel(root, file, top);

  const bindings = new Map<string, string>();
  const pendingCalls: { chain: Chain; site: CallSite }[] = [];
  const scopes: Scope[] = [];
  const currentRole = () => scopes[scopes.length - 1]?.role ?? top;
  const enclosingName = () => {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]?.name) return scopes[i]?.name;
    return undefined;
  };
  const slice = (node: Node) => text.slice(node.startIndex, node.endIndex);
  const cutSlice = (node: Node, end = node.endIndex) =>
    text.slice(node.startIndex, Math.min(end, node.startIndex + CUT));

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
      bindings.set(alias, from ? `${module}.${dotted}` : aliased ? dotted : alias);
    }
  };

  const onAssignment = (node: Node) => {
    // `sp = subprocess` / `run = os.system` / `b = __import__('base64')`: later calls resolve through the alias.
    const left = node.childForFieldName('left');
    if (left?.type !== 'identifier') return;
    const right = node.childForFieldName('right');
    const type = right?.type;
    if (!right || (type !== 'identifier' && type !== 'attribute' && type !== 'call')) return;
    const chain = (type !== 'call' && exact && dottedChain(slice(right))) || chainOf(right);
    if ('unknown' in chain) return;
    if (type === 'call' && chain.module) bindings.set(left.text, resolve(chain, bindings));
    else if (type !== 'call' && !chain.module && bindings.has(chain.root))
      bindings.set(left.text, resolve(chain, bindings));
  };

  const onCall = (node: Node, line: number) => {
    const end = node.endIndex;
    const argsNode = node.childForFieldName('arguments');
    const argNodes = (argsNode?.namedChildren ?? []).filter((a) => a !== null);
    // The callee spans from the call's start to its arguments; when that text is a plain dotted name the
    // chain needs no more calls into wasm.
    const head = exact && argsNode ? text.slice(node.startIndex, argsNode.startIndex).trimEnd() : '';
    let chain = head ? dottedChain(head) : undefined;
    let fnText = head;
    if (!chain) {
      const fn = node.childForFieldName('function');
      fnText = fn ? fn.text : '';
      chain = chainOf(fn);
    }
    const site: CallSite = {
      name: '',
      line,
      role: currentRole(),
      args: argNodes.map((a) => cutSlice(a)),
      text: cutSlice(node, end),
    };
    const nestedIn = enclosingName();
    if (nestedIn) site.nestedIn = nestedIn;
    pendingCalls.push({ chain, site });
    if (role === 'setup' && (fnText === 'setup' || fnText.endsWith('.setup')) && !file.setupCall) {
      file.setupCall = readSetupCall(argNodes, line);
      if (file.setupCall.cmdclass) file.cmdclass = true;
    }
  };

  const onString = (node: Node, type: string, line: number, end: number) => {
    let value = '';
    if (type === 'string') value = stringValue(text.slice(node.startIndex, end));
    else
      for (const part of node.namedChildren) if (part?.type === 'string') value += stringValue(slice(part));
    file.strings.push({ value, raw: cutSlice(node, end), line, role: currentRole(), length: value.length });
  };

  const onDefinition = (node: Node, type: string, line: number) => {
    const name = node.childForFieldName('name')?.text ?? '';
    const kind = type === 'function_definition' ? 'function' : 'class';
    file.defs.push({ name, line, kind });
    const parent = scopes[scopes.length - 1];
    let scopeRole: CodeRole;
    let installClass = false;
    if (kind === 'class') {
      installClass = INSTALL_COMMAND_BASE.test(node.childForFieldName('superclasses')?.text ?? '');
      scopeRole = currentRole(); // a class body runs where the class statement runs
    } else if (parent?.installClass) {
      scopeRole = 'install';
      if (name === 'run') file.cmdclass = true;
    } else {
      scopeRole = top === 'import' ? 'runtime' : top;
    }
    scopes.push({ end: node.endIndex, role: scopeRole, name, installClass });
  };

  const types = tree.language.types;
  let guard = 0;
  // Nodes inside a string literal (f-string interpolations) are not collected: the literal is one value.
  let stringEnd = -1;
  for (const node of root.descendantsOfType(KINDS)) {
    const start = node.startIndex;
    if (start < stringEnd) continue;
    while (scopes.length > 0 && start >= (scopes[scopes.length - 1]?.end ?? 0)) scopes.pop();
    for (; guard < guards.length && (guards[guard]?.start ?? 0) <= start; guard++) {
      const range = guards[guard];
      if (range && start < range.end) scopes.push({ end: range.end, role: 'runtime', installClass: false });
    }
    const type = types[node.typeId] ?? 'ERROR';
    switch (type) {
      case 'identifier': {
        const end = exact ? asciiIdentifierEnd(text, start) : -1;
        file.identifiers.push(text.slice(start, end >= 0 ? end : node.endIndex));
        break;
      }
      case 'call':
        onCall(node, node.startPosition.row + 1);
        break;
      case 'string':
      case 'concatenated_string':
        stringEnd = node.endIndex;
        onString(node, type, node.startPosition.row + 1, stringEnd);
        break;
      case 'import_statement':
      case 'import_from_statement':
        onImport(node, node.startPosition.row + 1);
        break;
      case 'assignment':
        onAssignment(node);
        break;
      case 'function_definition':
      case 'class_definition':
        onDefinition(node, type, node.startPosition.row + 1);
        break;
    }
  }
  for (const { chain, site } of pendingCalls) {
    site.name = resolve(chain, bindings);
    file.calls.push(site);
  }
}

/** Counts the file's top-level statements and returns the ranges of its `if __name__ == '__main__':` blocks. */
function topLevel(root: Node, file: ParsedFile, top: CodeRole): { start: number; end: number }[] {
  const guards: { start: number; end: number }[] = [];
  for (const child of root.namedChildren) {
    const type = child?.type;
    if (!child || type === 'comment') continue;
    file.topLevelStatements++;
    // `if __name__ == '__main__':` runs only when the module is a script, not on import.
    if (type === 'if_statement' && top === 'import') {
      if (MAIN_GUARD.test(child.childForFieldName('condition')?.text ?? ''))
        guards.push({ start: child.startIndex, end: child.endIndex });
    }
  }
  return guards;
}

/** ERROR and MISSING nodes outside string literals (only asked when the tree has any). */
function countErrors(tree: Tree): number {
  const cursor = tree.walk();
  let count = 0;
  for (;;) {
    const type = cursor.nodeType;
    if (type === 'ERROR' || cursor.nodeIsMissing) count++;
    if (type !== 'string' && type !== 'concatenated_string' && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return count;
      }
    }
  }
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
