// Node access straight through web-tree-sitter's wasm binding, without its Node objects. Why: each Node the
// library hands out is an object built with class fields plus marshalling through generic getValue/setValue,
// and parsePython needs about one node per 15 characters of source (1.3 million over the benchmark sample):
// with Node objects that cost 40% more than the walk inside wasm that finds them. The public API has no
// batch form, so this file reads the binding the library itself uses: the options object given to
// Parser.init becomes the Emscripten module, which carries the exported functions and the heap; nodes cross
// as five 32-bit words in the transfer buffer, exactly as web-tree-sitter's marshalNode/unmarshalNode move
// them. checkBinding compares this with the public API when the parser loads, so a web-tree-sitter upgrade
// that changes the layout fails loudly at initPython(), never silently. On an upgrade, re-verify the layout as
// test/python/binding.test.ts's header says (that test fails until its VERIFIED_VERSION is the installed one).
import type { Language, Tree } from 'web-tree-sitter';

/** The exports of web-tree-sitter's Emscripten module that this file uses. */
export interface Binding {
  HEAP32: Int32Array;
  _malloc(size: number): number;
  _free(address: number): void;
  _ts_init(): number;
  _ts_tree_root_node_wasm(tree: number): void;
  _ts_node_symbol_wasm(tree: number): number;
  _ts_node_end_index_wasm(tree: number): number;
  _ts_node_has_error_wasm(tree: number): number;
  _ts_node_child_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_children_by_field_id_wasm(tree: number, field: number): void;
  _ts_node_named_children_wasm(tree: number): void;
  _ts_node_descendants_of_type_wasm(
    tree: number,
    symbols: number,
    count: number,
    startRow: number,
    startColumn: number,
    endRow: number,
    endColumn: number,
  ): void;
}

const FUNCTIONS = [
  '_malloc',
  '_free',
  '_ts_init',
  '_ts_tree_root_node_wasm',
  '_ts_node_symbol_wasm',
  '_ts_node_end_index_wasm',
  '_ts_node_has_error_wasm',
  '_ts_node_child_by_field_id_wasm',
  '_ts_node_children_by_field_id_wasm',
  '_ts_node_named_children_wasm',
  '_ts_node_descendants_of_type_wasm',
] as const;

/** The module object Parser.init filled in, or an error naming what is missing. */
export function asBinding(module: object): Binding | Error {
  const m = module as Record<string, unknown>;
  const missing: string[] = FUNCTIONS.filter((f) => typeof m[f] !== 'function');
  if (!(m.HEAP32 instanceof Int32Array)) missing.push('HEAP32');
  // Parser.init sets its module up once per process: a caller before initPython() keeps it to itself.
  if (missing.length === FUNCTIONS.length + 1)
    return new Error('web-tree-sitter was initialised before initPython(): its binding is out of reach');
  if (missing.length > 0) return new Error(`web-tree-sitter binding lacks ${missing.join(', ')}`);
  // The heap is little-endian; Int32Array reads it directly only on a little-endian host.
  if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
    return new Error('big-endian host: not supported');
  return module as Binding;
}

/** A node as the binding marshals it: (id, startIndex, start row, start column, tree-internal word). */
export interface RawNode {
  id: number;
  /** UTF-16 offset into the parsed string. */
  start: number;
  /** 0-based start line. */
  row: number;
  column: number;
  other: number;
}

export const NODE_WORDS = 5;

const ASCII = /^[\x00-\x7f]*$/;
// Nodes whose text Python reads as names (PEP 3131 normalises identifiers to NFKC when it parses them).
const NAME_TYPES = new Set(['identifier', 'attribute', 'dotted_name', 'aliased_import']);
// Longer texts are not resolved as names (an attribute's text holds its whole receiver, so a chain of
// thousands of calls would be normalised once per link); the pieces of such a chain are read one by one.
const MAX_NAME_TEXT = 512;

/** Type and field ids of one language, looked up once. */
export class Grammar {
  readonly types: string[];
  private readonly fields: string[];
  private readonly symbolLists = new Map<string, { address: number; count: number }>();

  constructor(
    private readonly binding: Binding,
    language: Language,
  ) {
    this.types = language.types;
    this.fields = language.fields.map((f) => f ?? '');
  }

  field(name: string): number {
    return this.fields.indexOf(name);
  }

  /** Every symbol id named one of `kinds`, copied into wasm memory once (kept for the process's life). */
  symbols(kinds: readonly string[]): { address: number; count: number } {
    const key = kinds.join(',');
    let list = this.symbolLists.get(key);
    if (!list) {
      const ids: number[] = [];
      this.types.forEach((type, id) => {
        if (kinds.includes(type)) ids.push(id);
      });
      const address = this.binding._malloc(4 * Math.max(1, ids.length));
      this.binding.HEAP32.set(ids, address >> 2);
      list = { address, count: ids.length };
      this.symbolLists.set(key, list);
    }
    return list;
  }
}

/**
 * Reads one tree parsed from `source`. Valid until the tree is deleted. Each call goes through the one
 * transfer buffer, so a node list must be read before the next call, as web-tree-sitter itself does.
 */
export class TreeReader {
  private readonly tree: number;
  private readonly buffer: number;
  private exactTree?: boolean;
  /** Whether the whole source is ASCII (most files): then no name needs normalising. Asked once per tree. */
  private asciiSource?: boolean;

  constructor(
    private readonly binding: Binding,
    private readonly grammar: Grammar,
    tree: Tree,
    transferBuffer: number,
    readonly source: string,
  ) {
    this.tree = (tree as unknown as { 0: number })[0];
    this.buffer = transferBuffer >> 2;
  }

  /**
   * True when the tree has no ERROR or MISSING node: shortcuts that read structure from the text hold only
   * then. Asked once per tree.
   */
  get exact(): boolean {
    this.exactTree ??= !this.hasError(this.root());
    return this.exactTree;
  }

  /** Type names by symbol id. */
  get types(): string[] {
    return this.grammar.types;
  }

  private put(node: RawNode): void {
    const heap = this.binding.HEAP32;
    const at = this.buffer;
    heap[at] = node.id;
    heap[at + 1] = node.start;
    heap[at + 2] = node.row;
    heap[at + 3] = node.column;
    heap[at + 4] = node.other;
  }

  private take(): RawNode | null {
    return readNode(this.binding.HEAP32, this.buffer);
  }

  /** The (count, address) list the binding left in the transfer buffer, freed after reading. */
  private takeList(): RawNode[] {
    const heap = this.binding.HEAP32;
    const count = heap[this.buffer] ?? 0;
    const address = heap[this.buffer + 1] ?? 0;
    const nodes: RawNode[] = [];
    for (let i = 0; i < count; i++) {
      const node = readNode(heap, (address >> 2) + i * NODE_WORDS);
      if (node) nodes.push(node);
    }
    if (count > 0) this.binding._free(address);
    return nodes;
  }

  root(): RawNode {
    this.binding._ts_tree_root_node_wasm(this.tree);
    const root = this.take();
    if (!root) throw new Error('tree has no root node');
    return root;
  }

  symbol(node: RawNode): number {
    this.put(node);
    return this.binding._ts_node_symbol_wasm(this.tree);
  }

  type(node: RawNode): string {
    return this.grammar.types[this.symbol(node)] || 'ERROR';
  }

  end(node: RawNode): number {
    this.put(node);
    return this.binding._ts_node_end_index_wasm(this.tree);
  }

  /**
   * The node's source text (offsets are UTF-16 indexes into the parsed string, as JS slices them). Names
   * come NFKC-normalised, as Python reads them: `𝘦𝘹𝘦𝘤` and `ｏｓ.system` are exec and os.system to the
   * interpreter, so they are to the rules. Strings keep their characters (those inside an attribute's
   * receiver, as in `a["ｋ"].b`, are normalised with it: harmless for the name read from it).
   */
  text(node: RawNode): string {
    const text = this.source.slice(node.start, this.end(node));
    this.asciiSource ??= ASCII.test(this.source);
    if (this.asciiSource || text.length > MAX_NAME_TEXT || ASCII.test(text)) return text;
    return NAME_TYPES.has(this.type(node)) ? text.normalize('NFKC') : text;
  }

  hasError(node: RawNode): boolean {
    this.put(node);
    return this.binding._ts_node_has_error_wasm(this.tree) === 1;
  }

  child(node: RawNode, field: string): RawNode | null {
    const id = this.grammar.field(field);
    if (id === -1) return null;
    this.put(node);
    this.binding._ts_node_child_by_field_id_wasm(this.tree, id);
    return this.take();
  }

  children(node: RawNode, field: string): RawNode[] {
    const id = this.grammar.field(field);
    if (id <= 0) return [];
    this.put(node);
    this.binding._ts_node_children_by_field_id_wasm(this.tree, id);
    return this.takeList();
  }

  namedChildren(node: RawNode): RawNode[] {
    this.put(node);
    this.binding._ts_node_named_children_wasm(this.tree);
    return this.takeList();
  }

  /**
   * The descendants of `node` (itself included) whose type is one of `kinds`, in document order, as
   * NODE_WORDS words each plus their symbol ids: no object per node.
   */
  descendants(node: RawNode, kinds: readonly string[]): { words: Int32Array; symbols: Uint16Array } {
    const list = this.grammar.symbols(kinds);
    this.put(node);
    this.binding._ts_node_descendants_of_type_wasm(this.tree, list.address, list.count, 0, 0, 0, 0);
    let heap = this.binding.HEAP32;
    const count = heap[this.buffer] ?? 0;
    const address = heap[this.buffer + 1] ?? 0;
    const words = heap.slice(address >> 2, (address >> 2) + count * NODE_WORDS);
    this.binding._free(address);
    const symbols = new Uint16Array(count);
    heap = this.binding.HEAP32;
    const at = this.buffer;
    for (let i = 0, w = 0; i < count; i++, w += NODE_WORDS) {
      heap[at] = words[w] ?? 0;
      heap[at + 1] = words[w + 1] ?? 0;
      heap[at + 2] = words[w + 2] ?? 0;
      heap[at + 3] = words[w + 3] ?? 0;
      heap[at + 4] = words[w + 4] ?? 0;
      symbols[i] = this.binding._ts_node_symbol_wasm(this.tree);
    }
    return { words, symbols };
  }
}

function readNode(heap: Int32Array, at: number): RawNode | null {
  const id = heap[at] ?? 0;
  if (id === 0) return null;
  return {
    id,
    start: heap[at + 1] ?? 0,
    row: heap[at + 2] ?? 0,
    column: heap[at + 3] ?? 0,
    other: heap[at + 4] ?? 0,
  };
}

/** The i-th node of a descendants() word list. */
export function nodeAt(words: Int32Array, i: number): RawNode {
  const w = i * NODE_WORDS;
  return {
    id: words[w] ?? 0,
    start: words[w + 1] ?? 0,
    row: words[w + 2] ?? 0,
    column: words[w + 3] ?? 0,
    other: words[w + 4] ?? 0,
  };
}

/**
 * Compares the reader with web-tree-sitter's public API on one parsed probe; a mismatch means the binding's
 * layout changed under this file. Returns what differs, or undefined.
 */
export function checkBinding(reader: TreeReader, tree: Tree): string | undefined {
  const kinds = ['identifier', 'call', 'string', 'keyword_argument'];
  const expected = tree.rootNode
    .descendantsOfType(kinds)
    .map((n) => `${n.type}@${n.startIndex}-${n.endIndex}:${n.startPosition.row}`);
  const { words, symbols } = reader.descendants(reader.root(), kinds);
  const actual: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    const node = nodeAt(words, i);
    actual.push(`${reader.type(node)}@${node.start}-${reader.end(node)}:${node.row}`);
  }
  if (expected.join(' ') !== actual.join(' '))
    return `descendants differ: ${expected.join(' ')} / ${actual.join(' ')}`;
  const call = tree.rootNode.descendantsOfType('call')[0];
  const rawCall = nodeAt(
    words,
    actual.findIndex((a) => a.startsWith('call@')),
  );
  const args = call?.childForFieldName('arguments')?.namedChildren.map((n) => n?.text) ?? [];
  const rawArgsNode = reader.child(rawCall, 'arguments');
  const rawArgs = rawArgsNode ? reader.namedChildren(rawArgsNode).map((n) => reader.text(n)) : [];
  if (args.join('|') !== rawArgs.join('|'))
    return `call arguments differ: ${args.join('|')} / ${rawArgs.join('|')}`;
  return undefined;
}
