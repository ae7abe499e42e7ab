// Callees as dotted chains (`sp.Popen` -> subprocess.Popen through import aliases) and literal string values.
import type { Node } from 'web-tree-sitter';
import { decodeEscapes, literalPrefix } from './strings.js';

/** A call's callee as a dotted chain rooted at a local name or a module, or an unknown receiver. */
export type Chain = { root: string; module: boolean; attrs: string[] } | { unknown: string };

const LITERAL = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
// Names that tree-sitter parses as constants, not identifiers: `None.x` has no chain.
const CONSTANTS = new Set(['None', 'True', 'False']);

export function stringValue(text: string): string {
  const m = LITERAL.exec(text);
  if (!m) return text;
  const prefix = literalPrefix(m[1] ?? '');
  const body = m[3] ?? '';
  return prefix.raw ? body : decodeEscapes(body, prefix.bytes);
}

export function literalString(node: Node | null): string | undefined {
  if (node?.type !== 'string') return undefined;
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return stringValue(node.text);
}

/**
 * The chain of a callee whose source text is a plain ASCII dotted name: in a tree without errors that text is
 * an identifier under nested attributes, so the chain is its segments and no node needs to be asked.
 * Undefined when only the tree can tell (spaces, comments, calls, subscripts, non-ASCII names).
 */
export function dottedChain(text: string): Chain | undefined {
  if (!DOTTED.test(text)) return undefined;
  const attrs = text.split('.');
  const root = attrs.shift() ?? '';
  return CONSTANTS.has(root) ? undefined : { root, module: false, attrs };
}

export function chainOf(node: Node | null): Chain {
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
      const fnText = node.childForFieldName('function')?.text;
      const isImport =
        fnText === '__import__' || fnText === 'importlib.import_module' || fnText === 'import_module';
      if (!isImport && fnText !== 'getattr') return { unknown: '' };
      const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a !== null);
      if (isImport) {
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

export function resolve(chain: Chain, bindings: Map<string, string>): string {
  if ('unknown' in chain) return chain.unknown ? `<expr>.${chain.unknown}` : '<expr>';
  const base = chain.module ? chain.root : (bindings.get(chain.root) ?? chain.root);
  return [base, ...chain.attrs].join('.');
}
