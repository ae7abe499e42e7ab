// Callees as dotted chains (`sp.Popen` -> subprocess.Popen through import aliases) and literal string values.
import type { RawNode, TreeReader } from './binding.js';
import { decodeEscapes, literalPrefix } from './strings.js';

/** A call's callee as a dotted chain rooted at a local name or a module, or an unknown receiver. */
export type Chain = { root: string; module: boolean; attrs: string[] } | { unknown: string };

const LITERAL = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/;
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
  if (r.namedChildren(node).some((c) => r.type(c) === 'interpolation')) return undefined;
  return stringValue(r.text(node));
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

export function chainOf(r: TreeReader, node: RawNode | null | undefined): Chain {
  if (!node) return { unknown: '' };
  switch (r.type(node)) {
    case 'identifier':
      return { root: r.text(node), module: false, attrs: [] };
    case 'attribute': {
      const attribute = r.child(node, 'attribute');
      const attr = attribute ? r.text(attribute) : '';
      const object = chainOf(r, r.child(node, 'object'));
      return 'root' in object ? { ...object, attrs: [...object.attrs, attr] } : { unknown: attr };
    }
    case 'parenthesized_expression':
      return chainOf(r, r.namedChildren(node)[0]);
    case 'call': {
      const fn = r.child(node, 'function');
      const fnText = fn ? r.text(fn) : undefined;
      const isImport =
        fnText === '__import__' || fnText === 'importlib.import_module' || fnText === 'import_module';
      if (!isImport && fnText !== 'getattr') return { unknown: '' };
      const argsNode = r.child(node, 'arguments');
      const args = argsNode ? r.namedChildren(argsNode) : [];
      if (isImport) {
        const module = literalString(r, args[0]);
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
        const attr = literalString(r, args[1]);
        const object = chainOf(r, args[0]);
        if (attr !== undefined && 'root' in object) return { ...object, attrs: [...object.attrs, attr] };
      }
      return { unknown: '' };
    }
    default:
      return { unknown: '' };
  }
}

export function resolve(chain: Chain, bindings: Map<string, string>): string {
  if ('unknown' in chain) return chain.unknown ? `<expr>.${chain.unknown}` : '<expr>';
  const base = chain.module ? chain.root : (bindings.get(chain.root) ?? chain.root);
  return [base, ...chain.attrs].join('.');
}
