// Where code runs is reachability, not position: a function body is `runtime` only until something that
// runs at install or import time calls it. One pass over the file's calls builds a call map (by name:
// local functions, self./cls. methods, a class's __init__), the roots are the calls that already run at
// install/import time, the callbacks they register (threading.Thread(target=f), Timer, Process,
// atexit.register, signal.signal, and the dispatchers of handed.ts: map, executor.submit, ...) and the decorators applied when a def statement runs; a breadth-first walk
// gives every reached body its root's role. Linear: each definition is entered at most twice (import, then
// install), and each call and string is looked at once per entry of its own body.
import { dispatchedCallable } from './handed.js';
import type { CodeRole } from './roles.js';
import type { CallSite, Definition, ParsedFile } from './types.js';

const RANK: Partial<Record<CodeRole, number>> = { import: 1, install: 2 };
const CONSTRUCTORS = ['__init__', '__new__', '__post_init__'];
const DECORATOR = /^\s*@\s*([A-Za-z_][\w.]*)/;
const NAME = /^(?:self\.|cls\.)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)$/;

/** Decorator names on the lines just above a def/class at `line` (1-based), nearest last. */
export function decoratorsAbove(lines: readonly string[], line: number): string[] {
  const out: string[] = [];
  for (let i = line - 2; i >= 0 && out.length < 32; i--) {
    const text = lines[i] ?? '';
    const m = DECORATOR.exec(text);
    if (!m?.[1]) break;
    out.unshift(m[1]);
  }
  return out;
}

/** The functions a callback argument names: `target=f`, `f`, `self.f`. */
function callbackArgs(call: CallSite): string[] {
  const name = call.name;
  const pick = (text: string | undefined) => {
    const m = NAME.exec((text ?? '').replace(/^\w+\s*=\s*/, '').trim());
    return m?.[1] ? [m[1]] : [];
  };
  if (/(^|\.)(Thread|Process)$/.test(name)) {
    const target = call.args.find((a) => /^target\s*=/.test(a));
    return target ? pick(target) : call.args.length >= 2 ? pick(call.args[1]) : [];
  }
  if (/(^|\.)Timer$/.test(name)) return pick(call.args.find((a) => /^function\s*=/.test(a)) ?? call.args[1]);
  if (name === 'atexit.register') return pick(call.args[0]);
  if (name === 'signal.signal') return pick(call.args[1]);
  // Every other caller of what it is handed (handed.ts): map(f, xs), executor.submit(f), start_new_thread(f, ()).
  // functools.partial only wraps its function: nothing calls it there.
  const handed = name === 'functools.partial' ? undefined : dispatchedCallable(call);
  return handed ? pick(handed.text) : [];
}

/** Gives function bodies reached from install/import-time code that code's role (see the file comment). */
export function propagateReach(file: ParsedFile): void {
  const { defs, calls, strings, imports } = file;
  const functions = new Map<string, number[]>();
  const methods = new Map<string, number[]>();
  const members = new Map<number, Map<string, number>>();
  defs.forEach((d, i) => {
    const parent = d.parent === undefined ? undefined : defs[d.parent];
    if (parent?.kind === 'class') {
      const list = methods.get(d.name) ?? [];
      list.push(i);
      methods.set(d.name, list);
      const own = members.get(d.parent as number) ?? new Map<string, number>();
      own.set(d.name, i);
      members.set(d.parent as number, own);
    } else {
      const list = functions.get(d.name) ?? [];
      list.push(i);
      functions.set(d.name, list);
    }
  });
  const body = (items: { inDef?: number }[]) => {
    const by: number[][] = defs.map(() => []);
    items.forEach((item, i) => {
      if (item.inDef !== undefined) by[item.inDef]?.push(i);
    });
    return by;
  };
  const callsIn = body(calls);
  const stringsIn = body(strings);
  const importsIn = body(imports);
  const nestedDefs: number[][] = defs.map(() => []);
  defs.forEach((d, i) => {
    if (d.parent !== undefined) nestedDefs[d.parent]?.push(i);
  });

  /** Definitions a called name may mean. */
  const targets = (name: string): number[] => {
    if (name.startsWith('self.') || name.startsWith('cls.'))
      return methods.get(name.slice(name.indexOf('.') + 1)) ?? [];
    const dot = name.indexOf('.');
    if (dot < 0) {
      const out: number[] = [];
      for (const i of functions.get(name) ?? []) {
        const d = defs[i] as Definition;
        if (d.kind === 'function') out.push(i);
        else
          for (const ctor of CONSTRUCTORS) {
            const m = members.get(i)?.get(ctor);
            if (m !== undefined) out.push(m);
          }
      }
      return out;
    }
    // Class.method on a class of this file.
    const [owner, member] = [name.slice(0, dot), name.slice(dot + 1)];
    const out: number[] = [];
    for (const i of functions.get(owner) ?? []) {
      const m = defs[i]?.kind === 'class' ? members.get(i)?.get(member) : undefined;
      if (m !== undefined) out.push(m);
    }
    return out;
  };

  const reached: (CodeRole | undefined)[] = defs.map(() => undefined);
  const queue: { def: number; role: CodeRole; via: string }[] = [];
  const reach = (def: number, role: CodeRole, via: string) => {
    const d = defs[def];
    if (!d || (RANK[role] ?? 0) <= (RANK[reached[def] as CodeRole] ?? 0)) return;
    reached[def] = role;
    queue.push({ def, role, via });
  };
  const fromCall = (call: CallSite, role: CodeRole, via: string) => {
    for (const t of targets(call.name)) reach(t, role, via);
    for (const name of callbackArgs(call))
      for (const t of targets(name)) reach(t, role, `${via} (callback of ${call.name})`);
  };
  const fromDecorators = (d: Definition, role: CodeRole) => {
    for (const name of d.decorators ?? [])
      for (const t of targets(name)) reach(t, role, `decorator @${name} at line ${d.line}`);
  };
  const where = (call: CallSite) => `line ${call.line}: ${call.text.slice(0, 60).replace(/\s+/g, ' ')}`;

  for (const call of calls) if (RANK[call.role]) fromCall(call, call.role, where(call));
  for (const d of defs) if (d.role && RANK[d.role]) fromDecorators(d, d.role);

  for (let head = 0; head < queue.length; head++) {
    const { def, role, via } = queue[head] as (typeof queue)[number];
    if (reached[def] !== role) continue; // raised to install after this entry was queued
    const runs = `runs at ${role} time, reached from ${via}`;
    (defs[def] as Definition).reached = role;
    for (const i of callsIn[def] ?? []) {
      const call = calls[i] as CallSite;
      if (call.role === 'runtime' || (call.role === 'import' && role === 'install')) {
        call.role = role;
        call.via = runs;
      }
      if (RANK[call.role]) fromCall(call, call.role, via);
    }
    for (const i of stringsIn[def] ?? []) {
      const s = strings[i];
      if (s && (s.role === 'runtime' || (s.role === 'import' && role === 'install'))) {
        s.role = role;
        s.via = runs;
      }
    }
    for (const i of importsIn[def] ?? []) {
      const imp = imports[i];
      if (imp && (imp.role === 'runtime' || (imp.role === 'import' && role === 'install'))) imp.role = role;
    }
    for (const child of nestedDefs[def] ?? []) fromDecorators(defs[child] as Definition, role);
  }
}
