// Pickle and PyTorch files that run code when loaded: an opcode scanner over the bytes (never unpickling).
// A pickle names callables with GLOBAL / STACK_GLOBAL (and INST) and calls them with REDUCE / OBJ / NEWOBJ;
// a model file has no reason to name os.system, subprocess or builtins.exec. torch.save writes a zip whose
// `*/data.pkl` member is such a pickle. Hand-written: no maintained npm library walks pickle opcodes.
import { inflateRawSync } from 'node:zlib';
import type { Evidence } from '../types.js';

/** Binary files worth a look: pickles by name, torch/zip checkpoints by name and magic bytes. */
export const PICKLE_FILE = /\.(pkl|pickle|pck|p|pt|pth|bin|ckpt|joblib|sav|dat|model|pkl\.gz)$/i;
const MAX_PICKLE = 64 * 1024 * 1024;
const MAX_MEMBERS = 4096;

const DANGEROUS_MODULE =
  /^(os|posix|nt|subprocess|builtins|__builtin__|sys|socket|shutil|runpy|importlib|pty|commands|webbrowser|ctypes|marshal|code|codeop|pickle|_pickle|requests|urllib(\..*)?|http\.client|telnetlib|ftplib|asyncio\.subprocess|platform|types)$/;
// builtins that are data-safe (containers, numbers) are normal in pickles; only code runners count there.
const SAFE_BUILTINS =
  /^(set|frozenset|list|dict|tuple|bytearray|bytes|slice|range|complex|object|int|float|str|bool|type|getattr)$/;

export interface PickleFinding {
  module: string;
  name: string;
  /** Byte offset of the opcode. */
  offset: number;
  /** A REDUCE/OBJ/NEWOBJ/INST follows, so the callable is called on load. */
  called: boolean;
}

const ONE = 1;
const LINE = -1;
// Opcode -> argument layout: a fixed byte count, LINE (newline-terminated), or a length prefix of n bytes (100 + n).
const ARGS: Record<number, number> = {};
for (const c of '()0125NRabdeloustuQ.\x85\x86\x87\x88\x89\x8f\x90\x91\x81\x92\x93\x94\x97\x98]}')
  ARGS[c.charCodeAt(0)] = 0;
for (const c of 'IFLSVPpg') ARGS[c.charCodeAt(0)] = LINE;
Object.assign(ARGS, {
  [0x4b]: ONE, // K BININT1
  [0x4d]: 2, // M BININT2
  [0x4a]: 4, // J BININT
  [0x47]: 8, // G BINFLOAT
  [0x71]: 1, // q BINPUT
  [0x68]: 1, // h BINGET
  [0x72]: 4, // r LONG_BINPUT
  [0x6a]: 4, // j LONG_BINGET
  [0x80]: 1, // PROTO
  [0x95]: 8, // FRAME
  [0x82]: 1, // EXT1
  [0x83]: 2, // EXT2
  [0x84]: 4, // EXT4
  [0x8a]: 101, // LONG1
  [0x8b]: 104, // LONG4
  [0x54]: 104, // T BINSTRING
  [0x55]: 101, // U SHORT_BINSTRING
  [0x58]: 104, // X BINUNICODE
  [0x8c]: 101, // SHORT_BINUNICODE
  [0x8d]: 108, // BINUNICODE8
  [0x8e]: 108, // BINBYTES8
  [0x42]: 104, // B BINBYTES
  [0x43]: 101, // C SHORT_BINBYTES
  [0x96]: 108, // BYTEARRAY8
});
const STRING_OPS = new Set([0x53, 0x56, 0x54, 0x55, 0x58, 0x8c, 0x8d]);
const CALL_OPS = new Set([0x52, 0x6f, 0x81, 0x92, 0x69]); // R o NEWOBJ NEWOBJ_EX i(INST)

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

function readLength(bytes: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + (bytes[at + i] ?? 0);
  return v;
}

/** The callables a pickle names, in one pass over its opcodes; stops at the first unknown opcode. */
export function scanPickle(bytes: Uint8Array): PickleFinding[] {
  const found: PickleFinding[] = [];
  const recent: (string | undefined)[] = [];
  const memo = new Map<number, string | undefined>();
  let pos = 0;
  let pending: PickleFinding[] = [];
  const limit = Math.min(bytes.length, MAX_PICKLE);
  while (pos < limit) {
    const op = bytes[pos] as number;
    const start = pos;
    pos++;
    const layout = ARGS[op];
    if (op === 0x63 || op === 0x69) {
      // GLOBAL / INST: module\nname\n
      const nl1 = bytes.indexOf(0x0a, pos);
      const nl2 = nl1 < 0 ? -1 : bytes.indexOf(0x0a, nl1 + 1);
      if (nl2 < 0) break;
      const finding = {
        module: latin1.decode(bytes.subarray(pos, nl1)),
        name: latin1.decode(bytes.subarray(nl1 + 1, nl2)),
        offset: start,
        called: op === 0x69,
      };
      found.push(finding);
      pending.push(finding);
      pos = nl2 + 1;
      recent.push(undefined);
      continue;
    }
    if (layout === undefined) break; // not a pickle (or a protocol this scanner does not know): stop
    let value: string | undefined;
    if (layout === LINE) {
      const nl = bytes.indexOf(0x0a, pos);
      if (nl < 0) break;
      if (STRING_OPS.has(op)) value = latin1.decode(bytes.subarray(pos, nl)).replace(/^['"]|['"]$/g, '');
      if (op === 0x70) memo.set(Number(latin1.decode(bytes.subarray(pos, nl))), recent[recent.length - 1]);
      if (op === 0x67) value = memo.get(Number(latin1.decode(bytes.subarray(pos, nl))));
      pos = nl + 1;
    } else if (layout > 100) {
      const n = layout - 100;
      const len = readLength(bytes, pos, n);
      pos += n;
      if (len > limit - pos) break;
      if (STRING_OPS.has(op)) value = utf8.decode(bytes.subarray(pos, pos + len));
      pos += len;
    } else {
      if (op === 0x71 || op === 0x72) memo.set(readLength(bytes, pos, layout), recent[recent.length - 1]);
      if (op === 0x68 || op === 0x6a) value = memo.get(readLength(bytes, pos, layout));
      pos += layout;
    }
    if (op === 0x94) memo.set(memo.size, recent[recent.length - 1]);
    if (op === 0x93) {
      // STACK_GLOBAL: module and name are the two values pushed last.
      const finding = {
        module: recent[recent.length - 2] ?? '?',
        name: recent[recent.length - 1] ?? '?',
        offset: start,
        called: false,
      };
      found.push(finding);
      pending.push(finding);
    }
    if (CALL_OPS.has(op)) {
      for (const f of pending) f.called = true;
      pending = [];
    }
    if (value !== undefined || STRING_OPS.has(op) || op === 0x68 || op === 0x6a || op === 0x67)
      recent.push(value);
    if (recent.length > 8) recent.shift();
    if (op === 0x2e) {
      // STOP: a file may hold several pickles one after another.
      pending = [];
    }
  }
  return found;
}

/** The `*.pkl` members of a zip (torch.save's format), stored or deflated; bounded. */
function zipPickles(bytes: Uint8Array): { name: string; data: Uint8Array }[] {
  const out: { name: string; data: Uint8Array }[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  for (let n = 0; n < MAX_MEMBERS && pos + 30 <= bytes.length; n++) {
    if (view.getUint32(pos, true) !== 0x04034b50) break;
    const method = view.getUint16(pos + 8, true);
    const size = view.getUint32(pos + 18, true);
    const nameLen = view.getUint16(pos + 26, true);
    const extraLen = view.getUint16(pos + 28, true);
    const name = utf8.decode(bytes.subarray(pos + 30, pos + 30 + nameLen));
    const dataStart = pos + 30 + nameLen + extraLen;
    if (size === 0 || dataStart + size > bytes.length) break; // data descriptors / zip64: not followed
    const raw = bytes.subarray(dataStart, dataStart + size);
    if (/\.pkl$/i.test(name)) {
      if (method === 0) out.push({ name, data: raw });
      else if (method === 8) {
        try {
          out.push({ name, data: inflateRawSync(raw, { maxOutputLength: MAX_PICKLE }) });
        } catch {
          // an unreadable member is skipped
        }
      }
    }
    pos = dataStart + size;
  }
  return out;
}

/** PROTO (protocol 2+), or the opcodes protocol 0/1 pickles start with (GLOBAL, MARK, EMPTY_DICT/LIST). */
export function looksLikePickle(bytes: Uint8Array): boolean {
  const b = bytes[0];
  return b === 0x80 || b === 0x63 || b === 0x28 || b === 0x7d || b === 0x5d;
}

const isDangerous = (f: PickleFinding) =>
  DANGEROUS_MODULE.test(f.module) &&
  !(/^(builtins|__builtin__)$/.test(f.module) && SAFE_BUILTINS.test(f.name));

/**
 * Evidence for a pickle or torch file: each dangerous callable it names (critical when it is called on load).
 * Loading happens when the package loads its model: reported in the import context.
 */
export function scanModelFile(path: string, bytes: Uint8Array): Evidence[] {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const pickles = zip ? zipPickles(bytes) : looksLikePickle(bytes) ? [{ name: '', data: bytes }] : [];
  const evidence: Evidence[] = [];
  for (const p of pickles) {
    for (const f of scanPickle(p.data).filter(isDangerous).slice(0, 5)) {
      evidence.push({
        rule: 'pickle-code',
        category: 'dynamic-code',
        severity: f.called ? 'critical' : 'high',
        path,
        line: 1,
        snippet: `${f.module}.${f.name}`,
        context: 'import',
        message: `${p.name ? `${p.name}: ` : ''}pickle ${f.called ? 'calls' : 'names'} ${f.module}.${f.name} (opcode at byte ${f.offset}), which runs when the file is loaded`,
      });
    }
  }
  return evidence;
}
