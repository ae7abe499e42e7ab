// src/python/binding.ts reads web-tree-sitter's Emscripten module directly (exported functions, the heap, the
// five-word node layout of marshalNode/unmarshalNode, a Tree's pointer in tree[0]). Nothing in web-tree-sitter's
// public API promises that layout, so this test fails on any upgrade until someone has re-verified it:
//   1. In node_modules/web-tree-sitter/web-tree-sitter.js, read marshalNode and unmarshalNode: a node must still
//      cross the transfer buffer as (id, startIndex, startPosition.row, startPosition.column, node[0]), and a node
//      list as (count, address) with NODE_WORDS words per node, freed by the caller.
//   2. Check every function in binding.ts's FUNCTIONS is still called there with the same arguments (search for
//      `_ts_node_descendants_of_type_wasm(` and the others), and that Tree still keeps its pointer in this[0].
//   3. Run this file: the second test compares every TreeReader method with the public API on every node of a
//      sample; then set VERIFIED_VERSION to the new version.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Language, type Node, Parser, type Tree } from 'web-tree-sitter';
import {
  asBinding,
  type Binding,
  Grammar,
  nodeAt,
  type RawNode,
  TreeReader,
} from '../../src/python/binding.js';
import { pythonGrammarWasm, runtimeWasm } from '../../src/python/wasm.js';

/** The web-tree-sitter version whose layout binding.ts was last checked against (steps above). */
const VERIFIED_VERSION = '0.27.1';

const require = createRequire(import.meta.url);
const installedVersion = (
  JSON.parse(readFileSync(join(dirname(require.resolve('web-tree-sitter')), 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

// Errors (hasError), fields with one and several children, decorators, non-ASCII text (UTF-16 offsets).
const SAMPLE = `import os, sys as s
from a.b import (c, d as e)

@decorator(1)
class K(Base, metaclass=M):
    """doc é"""
    def f(self, x: int = 2, *args, **kw) -> None:
        y = os.path.join('x', f"{x}", z=[1, 2], **kw)  # 日本
        return lambda q: q(y)

print(K().f(3) if sys else None, sep='€')
def broken(:
    pass
`;

let binding: Binding;
let language: Language;
let parser: Parser;

beforeAll(async () => {
  // As initPython does it (this file runs in its own process, so Parser.init is this test's own).
  const module = { wasmBinary: runtimeWasm() };
  await Parser.init(module as Parameters<typeof Parser.init>[0]);
  const bound = asBinding(module);
  if (bound instanceof Error) throw bound;
  binding = bound;
  language = await Language.load(pythonGrammarWasm());
  parser = new Parser();
  parser.setLanguage(language);
});

describe("src/python/binding.ts against web-tree-sitter's Emscripten layout", () => {
  it(`was verified against the installed web-tree-sitter (${VERIFIED_VERSION})`, () => {
    expect(
      installedVersion,
      `web-tree-sitter is ${installedVersion}, binding.ts was verified against ${VERIFIED_VERSION}: ` +
        're-verify its layout as the header of test/python/binding.test.ts says, then update VERIFIED_VERSION',
    ).toBe(VERIFIED_VERSION);
  });

  it('reads every node of a sample exactly as the public API does', () => {
    const tree = parser.parse(SAMPLE) as Tree;
    const reader = new TreeReader(binding, new Grammar(binding, language), tree, binding._ts_init(), SAMPLE);
    const fields = language.fields.filter((f): f is string => !!f);
    const seen = { nodes: 0, errors: 0, fieldChildren: 0 };
    const same = (raw: RawNode | null, node: Node | null, where: string): void => {
      expect(raw === null, `${where}: presence`).toBe(node === null);
      if (!raw || !node) return;
      const at = `${where} ${node.type}@${node.startIndex}`;
      expect(
        {
          id: raw.id,
          type: reader.type(raw),
          start: raw.start,
          end: reader.end(raw),
          row: raw.row,
          column: raw.column,
          text: reader.text(raw),
        },
        at,
      ).toEqual({
        id: node.id,
        type: node.type,
        start: node.startIndex,
        end: node.endIndex,
        row: node.startPosition.row,
        column: node.startPosition.column,
        text: node.text,
      });
    };
    const walk = (raw: RawNode, node: Node, where: string): void => {
      same(raw, node, where);
      seen.nodes++;
      expect(reader.hasError(raw), `${where} hasError`).toBe(node.hasError);
      if (node.hasError) seen.errors++;
      for (const field of fields) {
        same(reader.child(raw, field), node.childForFieldName(field), `${where}.${field}`);
        const rawChildren = reader.children(raw, field);
        const children = node.childrenForFieldName(field);
        expect(rawChildren.length, `${where}.${field}[]`).toBe(children.length);
        for (const [i, c] of rawChildren.entries()) same(c, children[i]!, `${where}.${field}[${i}]`);
        seen.fieldChildren += children.length;
      }
      const rawNamed = reader.namedChildren(raw);
      const named = node.namedChildren;
      expect(rawNamed.length, `${where} namedChildren`).toBe(named.length);
      for (const [i, c] of rawNamed.entries()) walk(c, named[i]!, `${where}/${i}`);
    };
    try {
      walk(reader.root(), tree.rootNode, 'root');
      // The sample exercised what it is meant to.
      expect(seen.nodes).toBeGreaterThan(100);
      expect(seen.errors).toBeGreaterThan(0);
      expect(seen.fieldChildren).toBeGreaterThan(50);

      for (const kinds of [
        ['call'],
        ['identifier', 'string', 'keyword_argument'],
        ['decorator', 'lambda', 'argument_list'],
      ]) {
        const { words, symbols } = reader.descendants(reader.root(), kinds);
        const expected = tree.rootNode.descendantsOfType(kinds);
        expect(symbols.length, kinds.join()).toBe(expected.length);
        expected.forEach((node, i) => {
          expect(reader.types[symbols[i]!], kinds.join()).toBe(node!.type);
          same(nodeAt(words, i), node, `descendants(${kinds.join()})[${i}]`);
        });
      }
    } finally {
      tree.delete();
    }
  });
});
