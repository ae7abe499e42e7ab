// Constant folding of string expressions, so a name spelled in pieces is judged by what it spells:
// 'os.sys' + 'tem', '%s%s' % ('ex', 'ec'), ''.join([...]), 'metsys'[::-1], chr lists, bytes.fromhex,
// base64 / zlib / rot13 decoders, str methods, and names bound to such constants earlier in the file.
// Pure data work over the tree: nothing is run. Hand-written: no maintained npm library evaluates Python
// expressions over a tree-sitter tree.
//
// Bounded: every fold draws node visits from a per-file budget that grows with the file's size (so the
// whole file's folding stays linear however the expressions nest), values are capped in length, and
// decoders cap their output.
import { inflateSync } from 'node:zlib';
import type { RawNode, TreeReader } from './binding.js';
import { stringNodeValue } from './chain.js';

/** The longest folded value kept (a name or a path is short; a payload is handed to the payload decoder). */
export const MAX_FOLDED = 64 * 1024;
const MAX_DEPTH = 48;
const MAX_REPEAT = 4096;

export interface FoldContext {
  readonly r: TreeReader;
  /** Names bound to constant strings so far (`m = 'o' + 's'`), in document order. */
  readonly constants: Map<string, string>;
  /** Node visits left for this file. */
  budget: number;
  /** What a callee name is bound to (`im` -> importlib.import_module), when the caller knows. */
  alias?: (name: string) => string;
  /** Names bound to a method of a constant string (`_ = "".join`), so `_([...])` folds as the method would. */
  readonly methods: Map<string, BoundMethod>;
  /**
   * Functions of the file whose body calls a decoder (`def b64d(s): return base64.b64decode(s).decode()`),
   * by name, with the decoder: `b64d('Y3Vy...')` folds as the decoder would.
   */
  readonly wrappers: Map<string, string>;
  /** Set when a fold went through something other than literals and concatenation (for evidence notes). */
  decoded?: boolean;
}

export function foldContext(r: TreeReader): FoldContext {
  return {
    r,
    constants: new Map(),
    methods: new Map(),
    wrappers: new Map(),
    budget: 20_000 + 4 * r.source.length,
  };
}

export interface BoundMethod {
  self: string;
  method: string;
}

/** `"".join` / `'-'.join` / `"x".replace`: a constant string's method taken as a value, or undefined. */
export function boundStrMethod(ctx: FoldContext, node: RawNode): BoundMethod | undefined {
  const { r } = ctx;
  if (r.type(node) !== 'attribute') return undefined;
  const attrNode = r.child(node, 'attribute');
  const objectNode = r.child(node, 'object');
  const method = attrNode ? r.text(attrNode) : '';
  if (!objectNode || !STR_METHODS.has(method)) return undefined;
  const self = evaluate(ctx, objectNode, 0);
  return typeof self === 'string' ? { self, method } : undefined;
}

/** A callee name as the file binds it, with the builtins namespace's spellings read as the bare builtin. */
function calleeName(ctx: FoldContext, name: string): string {
  const bound = ctx.alias ? ctx.alias(name) : name;
  return bound.replace(/^(builtins|__builtins__|__builtin__)\./, '');
}

type Value = string | number | Value[];

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * The string a node evaluates to when it is a constant expression; undefined otherwise. `type`, when the
 * caller has asked the node's type already, spares asking wasm again.
 */
export function foldString(
  ctx: FoldContext,
  node: RawNode | null | undefined,
  type?: string,
): string | undefined {
  if (!node) return undefined;
  const v = evaluate(ctx, node, 0, type);
  return typeof v === 'string' ? v : undefined;
}

/** Quick test before folding: plain literals and identifiers need no work beyond what chain.ts does. */
export function needsFolding(type: string): boolean {
  return (
    type === 'binary_operator' ||
    type === 'call' ||
    type === 'subscript' ||
    type === 'parenthesized_expression' ||
    type === 'concatenated_string' ||
    type === 'identifier'
  );
}

function evaluate(ctx: FoldContext, node: RawNode, depth: number, type?: string): Value | undefined {
  if (depth > MAX_DEPTH || ctx.budget <= 0) return undefined;
  ctx.budget--;
  const { r } = ctx;
  switch (type ?? r.type(node)) {
    case 'string':
      return stringNodeValue(r, node);
    case 'concatenated_string': {
      let out = '';
      for (const part of r.namedChildren(node)) {
        const v = evaluate(ctx, part, depth + 1);
        if (typeof v !== 'string') return undefined;
        out += v;
        if (out.length > MAX_FOLDED) return undefined;
      }
      return out;
    }
    case 'integer': {
      const text = r.text(node).replace(/_/g, '').toLowerCase();
      const n = /^0[xob]/.test(text) ? Number(text) : Number.parseInt(text, 10);
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'unary_operator': {
      const operand = r.child(node, 'argument');
      const v = operand ? evaluate(ctx, operand, depth + 1) : undefined;
      return typeof v === 'number' && r.text(node).trimStart().startsWith('-') ? -v : undefined;
    }
    case 'parenthesized_expression': {
      const inner = r.namedChildren(node);
      return inner.length === 1 && inner[0] ? evaluate(ctx, inner[0], depth + 1) : undefined;
    }
    case 'identifier':
      return ctx.constants.get(r.text(node));
    case 'list':
    case 'tuple':
    case 'expression_list': {
      const items: Value[] = [];
      for (const child of r.namedChildren(node)) {
        const v = evaluate(ctx, child, depth + 1);
        if (v === undefined) return undefined;
        items.push(v);
        if (items.length > MAX_FOLDED) return undefined;
      }
      return items;
    }
    case 'binary_operator':
      return binary(ctx, node, depth);
    case 'subscript':
      return subscript(ctx, node, depth);
    case 'call':
      return call(ctx, node, depth);
    default:
      return undefined;
  }
}

function binary(ctx: FoldContext, node: RawNode, depth: number): Value | undefined {
  const { r } = ctx;
  const left = r.child(node, 'left');
  const right = r.child(node, 'right');
  const op = r.child(node, 'operator');
  if (!left || !right || !op) return undefined;
  const operator = r.text(op);
  const a = evaluate(ctx, left, depth + 1);
  if (operator === '/') {
    // pathlib's `/` (a string on the right is never division): Path.home() / '.ssh' / 'id_rsa'.
    const b = evaluate(ctx, right, depth + 1);
    if (typeof b !== 'string') return undefined;
    return `${typeof a === 'string' ? a : '*'}/${b}`;
  }
  if (a === undefined) return undefined;
  const b = evaluate(ctx, right, depth + 1);
  if (b === undefined) return undefined;
  if (operator === '+') {
    if (typeof a === 'string' && typeof b === 'string')
      return a.length + b.length <= MAX_FOLDED ? a + b : undefined;
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    return undefined;
  }
  if (operator === '-' && typeof a === 'number' && typeof b === 'number') return a - b;
  if (operator === '*') {
    const [s, n] = typeof a === 'string' ? [a, b] : [b, a];
    if (
      typeof s === 'string' &&
      typeof n === 'number' &&
      n >= 0 &&
      n <= MAX_REPEAT &&
      s.length * n <= MAX_FOLDED
    )
      return s.repeat(n);
    if (typeof a === 'number' && typeof b === 'number') return a * b;
    return undefined;
  }
  if (operator === '%' && typeof a === 'string') return percentFormat(a, Array.isArray(b) ? b : [b]);
  if (operator === '^' && typeof a === 'number' && typeof b === 'number') return a ^ b;
  return undefined;
}

/** '%s' / '%d' / '%c' substitution, the forms used to glue names; anything else is not folded. */
function percentFormat(format: string, args: Value[]): string | undefined {
  let i = 0;
  let failed = false;
  const out = format.replace(/%([sdirc%])/g, (_m, spec: string) => {
    if (spec === '%') return '%';
    const v = args[i++];
    if (v === undefined || Array.isArray(v)) {
      failed = true;
      return '';
    }
    if (spec === 'c') return typeof v === 'number' ? String.fromCharCode(v & 0xffff) : String(v);
    return String(v);
  });
  return failed || i !== args.length || out.length > MAX_FOLDED ? undefined : out;
}

function subscript(ctx: FoldContext, node: RawNode, depth: number): Value | undefined {
  const { r } = ctx;
  const valueNode = r.child(node, 'value');
  const index = r.children(node, 'subscript');
  if (!valueNode || index.length !== 1 || !index[0]) return undefined;
  const value = evaluate(ctx, valueNode, depth + 1);
  if (typeof value !== 'string' && !Array.isArray(value)) return undefined;
  const indexNode = index[0];
  if (r.type(indexNode) === 'slice') {
    const m = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/.exec(r.text(indexNode));
    if (!m) return undefined;
    const step = m[3] === undefined ? 1 : Number(m[3]);
    if (step === 0) return undefined;
    return slice(
      value,
      m[1] === undefined ? undefined : Number(m[1]),
      m[2] === undefined ? undefined : Number(m[2]),
      step,
    );
  }
  const at = evaluate(ctx, indexNode, depth + 1);
  if (typeof at !== 'number') return undefined;
  const i = at < 0 ? value.length + at : at;
  return typeof value === 'string' ? value[i] : value[i];
}

/** Python's slice semantics for the constant cases (negative indexes and steps). */
function slice<T extends string | Value[]>(value: T, start?: number, stop?: number, step = 1): Value {
  const n = value.length;
  const norm = (i: number, dflt: number, lo: number, hi: number) =>
    i === undefined ? dflt : Math.min(hi, Math.max(lo, i < 0 ? i + n : i));
  const picked: Value[] = [];
  if (step > 0) {
    const from = norm(start as number, 0, 0, n);
    const to = norm(stop as number, n, 0, n);
    for (let i = from; i < to; i += step) picked.push(value[i] as Value);
  } else {
    const from = norm(start as number, n - 1, -1, n - 1);
    const to = norm(stop as number, -1, -1, n - 1);
    for (let i = from; i > to; i += step) picked.push(value[i] as Value);
  }
  return typeof value === 'string' ? (picked as string[]).join('') : picked;
}

const STR_METHODS = new Set([
  'lower',
  'upper',
  'strip',
  'lstrip',
  'rstrip',
  'replace',
  'decode',
  'encode',
  'join',
  'format',
  'swapcase',
  'title',
  'capitalize',
]);

function call(ctx: FoldContext, node: RawNode, depth: number): Value | undefined {
  const { r } = ctx;
  const fn = r.child(node, 'function');
  const argsNode = r.child(node, 'arguments');
  if (!fn || !argsNode) return undefined;
  // f(x for x in y): the generator is the whole argument list.
  const argsType = r.type(argsNode);
  if (argsType !== 'argument_list' && argsType !== 'generator_expression') return undefined;
  const argNodes = argsType === 'generator_expression' ? [argsNode] : r.namedChildren(argsNode);
  const positional = argNodes.filter((a) => r.type(a) !== 'keyword_argument');
  const fnType = r.type(fn);
  if (fnType === 'attribute') {
    const attrNode = r.child(fn, 'attribute');
    const objectNode = r.child(fn, 'object');
    const attr = attrNode ? r.text(attrNode) : '';
    const objectText = objectNode ? r.text(objectNode) : '';
    if (objectNode && STR_METHODS.has(attr)) {
      const self = evaluate(ctx, objectNode, depth + 1);
      if (typeof self === 'string') return strMethod(ctx, self, attr, positional, depth);
    }
    return decoder(ctx, `${objectText}.${attr}`, positional, depth);
  }
  if (fnType !== 'identifier') return undefined;
  const raw = r.text(fn);
  const bound = ctx.methods.get(raw);
  if (bound) return strMethod(ctx, bound.self, bound.method, positional, depth);
  // `c = chr` or `c = globals()['__builtins__'].get('chr')`: the builtin under another name.
  const name = ctx.wrappers.get(raw) ?? calleeName(ctx, raw);
  if (name === 'chr') {
    const v = positional[0] ? evaluate(ctx, positional[0], depth + 1) : undefined;
    return typeof v === 'number' && v >= 0 && v <= 0x10ffff ? String.fromCodePoint(v) : undefined;
  }
  if (name === 'str' && positional.length === 1 && positional[0]) {
    const v = evaluate(ctx, positional[0], depth + 1);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  }
  if ((name === 'bytes' || name === 'bytearray') && positional.length === 1 && positional[0]) {
    const v = evaluate(ctx, positional[0], depth + 1);
    if (Array.isArray(v) && v.every((x) => typeof x === 'number' && x >= 0 && x < 256))
      return String.fromCharCode(...(v as number[]));
    return typeof v === 'string' ? v : undefined;
  }
  if (
    name === 'map' &&
    positional.length === 2 &&
    positional[0] &&
    positional[1] &&
    calleeName(ctx, r.text(positional[0])) === 'chr'
  ) {
    const v = evaluate(ctx, positional[1], depth + 1);
    return Array.isArray(v) ? charsOf(v) : undefined;
  }
  return decoder(ctx, name, positional, depth);
}

function charsOf(list: Value[]): Value[] | undefined {
  const out: Value[] = [];
  for (const x of list) {
    if (typeof x !== 'number' || x < 0 || x > 0x10ffff) return undefined;
    out.push(String.fromCodePoint(x));
  }
  return out;
}

function strMethod(
  ctx: FoldContext,
  self: string,
  method: string,
  args: RawNode[],
  depth: number,
): Value | undefined {
  const arg = (i: number) => (args[i] ? evaluate(ctx, args[i] as RawNode, depth + 1) : undefined);
  switch (method) {
    case 'lower':
      return self.toLowerCase();
    case 'upper':
      return self.toUpperCase();
    case 'swapcase':
      return [...self].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'title':
    case 'capitalize':
      return self.charAt(0).toUpperCase() + self.slice(1).toLowerCase();
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      if (args.length > 0) return undefined;
      return method === 'strip' ? self.trim() : method === 'lstrip' ? self.trimStart() : self.trimEnd();
    }
    case 'replace': {
      const a = arg(0);
      const b = arg(1);
      if (typeof a !== 'string' || typeof b !== 'string' || a === '') return undefined;
      const out = self.split(a).join(b);
      return out.length <= MAX_FOLDED ? out : undefined;
    }
    case 'encode':
      // str -> bytes: kept as the same characters (a later .decode() or decoder reads them back).
      return self;
    case 'decode': {
      const codec = args.length > 0 ? arg(0) : 'utf-8';
      if (typeof codec !== 'string') return undefined;
      return /^(utf-?8|ascii|latin-?1|iso-8859-1)$/i.test(codec)
        ? utf8Of(self)
        : codecDecode(ctx, self, codec);
    }
    case 'join': {
      const only = args[0];
      if (!only || args.length !== 1) return undefined;
      return joinOf(ctx, self, only, depth);
    }
    case 'format': {
      let i = 0;
      const values = args.map((a) => evaluate(ctx, a, depth + 1));
      if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) return undefined;
      let failed = false;
      const out = self.replace(/\{(\d*)\}/g, (_m, n: string) => {
        const v = values[n === '' ? i++ : Number(n)];
        if (v === undefined) failed = true;
        return String(v ?? '');
      });
      return failed ? undefined : out;
    }
    default:
      return undefined;
  }
}

/** `sep.join(items)`. A generator (`''.join(chr(c) for c in [...])`) is read as map(chr, list): the common spelling. */
function joinOf(ctx: FoldContext, sep: string, only: RawNode, depth: number): Value | undefined {
  const type = ctx.r.type(only);
  let items: Value | undefined;
  if (type === 'generator_expression' || type === 'list_comprehension')
    items = chrComprehension(ctx, only, depth);
  else items = evaluate(ctx, only, depth + 1);
  if (typeof items === 'string') items = [...items];
  if (!Array.isArray(items) || !items.every((x) => typeof x === 'string')) return undefined;
  const out = (items as string[]).join(sep);
  return out.length <= MAX_FOLDED ? out : undefined;
}

/**
 * `chr(x) for x in [..]`, with chr under any name the file bound it to; `chr(x ^ k)` and other bodies are
 * not folded.
 */
function chrComprehension(ctx: FoldContext, node: RawNode, depth: number): Value | undefined {
  const m = /^[([]\s*([A-Za-z_]\w*)\(\s*([A-Za-z_]\w*)\s*\)\s+for\s+([A-Za-z_]\w*)\s+in\s+/.exec(
    ctx.r.text(node).slice(0, 200),
  );
  if (!m || m[2] !== m[3] || calleeName(ctx, m[1]!) !== 'chr') return undefined;
  const clause = ctx.r.namedChildren(node).find((c) => ctx.r.type(c) === 'for_in_clause');
  const source = clause ? ctx.r.child(clause, 'right') : null;
  const list = source ? evaluate(ctx, source, depth + 1) : undefined;
  return Array.isArray(list) ? charsOf(list) : undefined;
}

function utf8Of(binary: string): string {
  if (!/[\x80-\xff]/.test(binary)) return binary;
  return utf8.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0) & 0xff));
}

const toBytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function rot13(s: string): string {
  return s.replace(/[a-zA-Z]/g, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function codecDecode(ctx: FoldContext, s: string, codec: string): string | undefined {
  const c = codec.toLowerCase().replace(/[-_]/g, '');
  ctx.decoded = true;
  if (c === 'rot13') return rot13(s);
  if (c === 'hex') return hex(s);
  if (c === 'base64') return base64(s);
  if (c === 'zlib') return inflate(s);
  if (c === 'utf8' || c === 'ascii') return utf8Of(s);
  return undefined;
}

function base64(s: string): string | undefined {
  const compact = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(compact)) return undefined;
  return latin1.decode(Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

function hex(s: string): string | undefined {
  const compact = s.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(compact)) return undefined;
  return latin1.decode(Buffer.from(compact, 'hex'));
}

function inflate(s: string): string | undefined {
  try {
    return latin1.decode(inflateSync(toBytes(s), { maxOutputLength: MAX_FOLDED }));
  } catch {
    return undefined;
  }
}

/** Decoders by the name they are called by (module aliases are not resolved here: the usual spellings). */
function decoder(ctx: FoldContext, name: string, args: RawNode[], depth: number): Value | undefined {
  const short = name.slice(name.lastIndexOf('.') + 1);
  const first = args[0] ? evaluate(ctx, args[0], depth + 1) : undefined;
  if (typeof first !== 'string') return undefined;
  const out = decodeBy(ctx, name, short, first, args, depth);
  if (out !== undefined) ctx.decoded = true;
  return out;
}

function decodeBy(
  ctx: FoldContext,
  name: string,
  short: string,
  first: string,
  args: RawNode[],
  depth: number,
): Value | undefined {
  switch (short) {
    case 'b64decode':
    case 'urlsafe_b64decode':
    case 'decodebytes':
    case 'decodestring':
    case 'a2b_base64':
      return base64(first);
    case 'b32decode':
      return undefined;
    case 'fromhex':
    case 'unhexlify':
    case 'a2b_hex':
      return hex(first);
    case 'decompress':
      return /zlib|^decompress$/.test(name) ? inflate(first) : undefined;
    case 'decode': {
      if (!/^(codecs\.)?decode$/.test(name)) return undefined;
      const codec = args[1] ? evaluate(ctx, args[1], depth + 1) : 'utf-8';
      return typeof codec === 'string' ? codecDecode(ctx, first, codec) : undefined;
    }
    default:
      return undefined;
  }
}

/** os.path.join / Path(...) arguments joined with '/', unknown parts as '*'; undefined when no part is known. */
export function foldPath(ctx: FoldContext, args: RawNode[]): string | undefined {
  const parts: string[] = [];
  let known = 0;
  for (const arg of args) {
    if (ctx.r.type(arg) === 'keyword_argument') continue;
    const v = foldString(ctx, arg);
    if (v === undefined) parts.push('*');
    else {
      known++;
      parts.push(v);
    }
  }
  return known > 0 && parts.length > 1 ? parts.join('/').replace(/\/{2,}/g, '/') : undefined;
}
