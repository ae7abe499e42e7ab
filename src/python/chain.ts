// Callees as dotted chains (`sp.Popen` -> subprocess.Popen through import aliases) and literal string values.
import type { RawNode, TreeReader } from './binding.js';
import { type FoldContext, foldString, needsFolding } from './fold.js';
import { decodeEscapes, literalPrefix } from './strings.js';

/**
 * A call's callee as a dotted chain rooted at a local name or a module, or an unknown receiver. `normalised`
 * marks a chain read through getattr / __import__ / a namespace subscript or a folded name, so evidence can
 * show the resolved form beside the source text.
 */
export type Chain =
  | { root: string; module: boolean; attrs: string[]; normalised?: boolean }
  | { unknown: string };

// Functions that import a module by name, and that read an attribute by name, whatever they are bound to.
const IMPORTERS = new Set([
  '__import__',
  'builtins.__import__',
  '__builtins__.__import__',
  'importlib.import_module',
  'import_module',
  'importlib.__import__',
]);
const GETATTR = new Set(['getattr', 'builtins.getattr', '__builtins__.getattr']);
// `operator.attrgetter(name)(obj)` reads like getattr; `operator.methodcaller(name, *args)(obj)` calls obj.name.
const ATTRGETTERS = new Set(['operator.attrgetter', 'attrgetter']);
const METHOD_CALLERS = new Set(['operator.methodcaller', 'methodcaller']);
// Namespaces whose subscript by name reaches a global, a builtin or a module.
const NAMESPACE_CALLS = new Set(['globals', 'locals', 'vars']);

const LITERAL = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/;
const FORMAT_PREFIX = /^[a-zA-Z]*[fFtT]/;
const DOT = 46;
// Names that tree-sitter parses as constants, not identifiers: `None.x` has no chain.
const CONSTANTS = new Set(['None', 'True', 'False']);

export function stringValue(text: string): string {
  const m = LITERAL.exec(text);
  if (!m) return text;
  const prefix = literalPrefix(m[1] ?? '');
  const body = m[3] ?? '';
  return prefix.raw || !body.includes('\\') ? body : decodeEscapes(body, prefix.bytes);
}

export function literalString(r: TreeReader, node: RawNode | null | undefined): string | undefined {
  if (!node || r.type(node) !== 'string') return undefined;
  return stringNodeValue(r, node);
}

/** The value of a node already known to be a `string`, unless it interpolates. */
export function stringNodeValue(r: TreeReader, node: RawNode): string | undefined {
  const text = r.text(node);
  // Only an f- or t-string can hold interpolations (the scanner reads any other '{' as text): in a tree
  // without errors the other strings need no look at their children, the costliest call here.
  const formatted = !r.exact || FORMAT_PREFIX.test(text);
  if (formatted && r.namedChildren(node).some((c) => r.type(c) === 'interpolation')) return undefined;
  return stringValue(text);
}

/**
 * The chain of a callee whose source text is a plain ASCII dotted name: in a tree without errors that text is
 * an identifier under nested attributes, so the chain is its segments and no node needs to be asked.
 * Undefined when only the tree can tell (spaces, comments, calls, subscripts, non-ASCII names). A scan
 * rather than a regular expression and split: this runs for most of the calls in every file.
 */
export function dottedChain(text: string): Chain | undefined {
  let root: string | undefined;
  const attrs: string[] = [];
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT;
    if (c === DOT) {
      if (i === from) return undefined;
      const segment = text.slice(from, i);
      if (root === undefined) root = segment;
      else attrs.push(segment);
      from = i + 1;
    } else if (
      !((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57 && i > from))
    ) {
      return undefined;
    }
  }
  return root === undefined || CONSTANTS.has(root) ? undefined : { root, module: false, attrs };
}

/** A string argument: a literal, or (with a fold context) a constant expression that spells one. */
function nameArg(
  r: TreeReader,
  node: RawNode | undefined,
  fold?: FoldContext,
): { value: string; folded: boolean } | undefined {
  const literal = literalString(r, node);
  if (literal !== undefined) return { value: literal, folded: false };
  if (!fold || !node || !needsFolding(r.type(node))) return undefined;
  const value = foldString(fold, node);
  return value === undefined ? undefined : { value, folded: true };
}

/** A callee's text with its first name read through the file's imports (`op.methodcaller` -> operator.methodcaller). */
function aliased(text: string, fold?: FoldContext): string {
  if (!fold?.alias) return text;
  const dot = text.indexOf('.');
  return dot < 0 ? fold.alias(text) : fold.alias(text.slice(0, dot)) + text.slice(dot);
}

export function chainOf(r: TreeReader, node: RawNode | null | undefined, fold?: FoldContext): Chain {
  if (!node) return { unknown: '' };
  switch (r.type(node)) {
    case 'identifier':
      return { root: r.text(node), module: false, attrs: [] };
    case 'attribute': {
      const attribute = r.child(node, 'attribute');
      const attr = attribute ? r.text(attribute) : '';
      const object = chainOf(r, r.child(node, 'object'), fold);
      return 'root' in object ? { ...object, attrs: [...object.attrs, attr] } : { unknown: attr };
    }
    case 'parenthesized_expression':
      return chainOf(r, r.namedChildren(node)[0], fold);
    case 'subscript':
      return fold ? subscriptChain(r, node, fold) : { unknown: '' };
    case 'call': {
      const fn = r.child(node, 'function');
      const rawFnText = fn ? r.text(fn) : undefined;
      const fnText = rawFnText !== undefined ? aliased(rawFnText, fold) : rawFnText;
      const isImport = fnText !== undefined && IMPORTERS.has(fnText);
      const isGetattr = fnText !== undefined && GETATTR.has(fnText);
      const argsNode = r.child(node, 'arguments');
      const args = argsNode ? r.namedChildren(argsNode) : [];
      if (fn && r.type(fn) === 'call')
        return readerCall(r, fn, ATTRGETTERS, args, fold)?.chain ?? { unknown: '' };
      // `globals()['__builtins__'].get('exec')`, `vars(os).get(name)`: a namespace read by name, as a subscript.
      if (!isImport && !isGetattr && fold && fn && r.type(fn) === 'attribute' && args.length >= 1) {
        const attr = r.child(fn, 'attribute');
        const object = r.child(fn, 'object');
        if (!attr || !object || r.text(attr) !== 'get') return { unknown: '' };
        const key = nameArg(r, args[0], fold);
        return key ? namespaceRead(r, object, key.value, fold) : { unknown: '' };
      }
      if (!isImport && !isGetattr) return { unknown: '' };
      if (isImport) {
        const module = nameArg(r, args[0], fold);
        // __import__('a.b') returns the top package a; import_module('a.b') returns a.b.
        if (module !== undefined) {
          const dunder = fnText.endsWith('__import__');
          return {
            root: dunder ? (module.value.split('.')[0] ?? module.value) : module.value,
            module: true,
            attrs: [],
            ...(module.folded || rawFnText !== fnText ? { normalised: true } : {}),
          };
        }
      }
      if (isGetattr && args.length >= 2) {
        const attr = nameArg(r, args[1], fold);
        const object = chainOf(r, args[0], fold);
        if (attr !== undefined && 'root' in object)
          return { ...object, attrs: [...object.attrs, attr.value], normalised: true };
      }
      return { unknown: '' };
    }
    default:
      return { unknown: '' };
  }
}

/**
 * `reader(name, *rest)(obj)` where reader is one of `readers` (attrgetter, methodcaller): obj's attribute
 * `name`, and the arguments the reader was given after the name.
 */
function readerCall(
  r: TreeReader,
  fn: RawNode,
  readers: ReadonlySet<string>,
  outerArgs: readonly RawNode[],
  fold?: FoldContext,
): { chain: Chain; rest: RawNode[] } | undefined {
  const inner = r.child(fn, 'function');
  const text = inner ? r.text(inner) : '';
  if (!readers.has(text) && !readers.has(aliased(text, fold))) return undefined;
  const innerArgsNode = r.child(fn, 'arguments');
  const innerArgs = innerArgsNode ? r.namedChildren(innerArgsNode) : [];
  const name = nameArg(r, innerArgs[0], fold);
  if (!name || !/^[A-Za-z_]\w*$/.test(name.value) || outerArgs.length !== 1) return undefined;
  const object = chainOf(r, outerArgs[0], fold);
  if (!('root' in object)) return undefined;
  return {
    chain: { ...object, attrs: [...object.attrs, name.value], normalised: true },
    rest: innerArgs.slice(1),
  };
}

/** `operator.methodcaller('system', cmd)(os)`: a call of `os.system` with the arguments `cmd`. */
export function methodCallerCall(
  r: TreeReader,
  fn: RawNode,
  outerArgs: readonly RawNode[],
  fold?: FoldContext,
): { chain: Chain; rest: RawNode[] } | undefined {
  return readerCall(r, fn, METHOD_CALLERS, outerArgs, fold);
}

/**
 * `X.__dict__[name]`, `vars(X)[name]`, `globals()[name]`, `sys.modules[name]`, `__builtins__[name]`: a
 * namespace read by a (folded) name is the name itself.
 */
function subscriptChain(r: TreeReader, node: RawNode, fold: FoldContext): Chain {
  const value = r.child(node, 'value');
  const index = r.children(node, 'subscript');
  if (!value || index.length !== 1) return { unknown: '' };
  const key = nameArg(r, index[0], fold);
  return key ? namespaceRead(r, value, key.value, fold) : { unknown: '' };
}

/** The namespace `value` (globals(), vars(X), X.__dict__, builtins, sys.modules) read at `key`. */
function namespaceRead(r: TreeReader, value: RawNode, key: string, fold: FoldContext): Chain {
  if (!/^[A-Za-z_][\w.]*$/.test(key)) return { unknown: '' };
  if (r.type(value) === 'call') {
    const fn = r.child(value, 'function');
    const fnText = fn ? r.text(fn) : '';
    if (!NAMESPACE_CALLS.has(fnText)) return { unknown: '' };
    const argsNode = r.child(value, 'arguments');
    const args = argsNode ? r.namedChildren(argsNode) : [];
    if (args.length === 0) return { root: key, module: false, attrs: [], normalised: true };
    const object = chainOf(r, args[0], fold);
    return 'root' in object
      ? { ...object, attrs: [...object.attrs, key], normalised: true }
      : { unknown: '' };
  }
  const object = chainOf(r, value, fold);
  if (!('root' in object)) return { unknown: '' };
  const last = object.attrs[object.attrs.length - 1];
  if (last === '__dict__') return { ...object, attrs: [...object.attrs.slice(0, -1), key], normalised: true };
  if (object.attrs.length === 0 && (object.root === '__builtins__' || object.root === 'builtins'))
    return { root: 'builtins', module: true, attrs: [key], normalised: true };
  if (object.attrs.length === 1 && object.attrs[0] === 'modules' && object.root === 'sys')
    return { root: key, module: true, attrs: [], normalised: true };
  return { unknown: '' };
}

export function resolve(chain: Chain, bindings: Map<string, string>): string {
  if ('unknown' in chain) return chain.unknown ? `<expr>.${chain.unknown}` : '<expr>';
  const bound = chain.module ? chain.root : (bindings.get(chain.root) ?? chain.root);
  // The builtins namespace has three spellings; one name lets the rules match it once.
  const base = bound === '__builtins__' || bound === '__builtin__' ? 'builtins' : bound;
  return [base, ...chain.attrs].join('.');
}
