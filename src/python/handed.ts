// Calls made by a function the code hands its callable to: `map(os.system, cmds)`,
// `Thread(target=os.system, args=(cmd,))`, `functools.partial(os.system, cmd)`, `atexit.register(exec, code)`,
// `executor.submit(os.system, cmd)`, `sorted(cmds, key=os.system)`. The callable runs as if called at that
// line, so the collector adds a site for it and every rule sees the call. Also libc's system() reached
// through ctypes.
import { type Chain, dottedChain, resolve } from './chain.js';
import type { CallSite } from './types.js';

/**
 * Where each dispatcher takes its callable: a position among the arguments or a keyword; `restFrom` is the
 * first positional argument it passes on when that is not the one after the callable (`sorted(xs, key=f)`).
 */
type Dispatch = { position?: number; keyword?: string; restFrom?: number };
const DISPATCHERS: Record<string, Dispatch> = {
  map: { position: 0 },
  filter: { position: 0 },
  sorted: { keyword: 'key', restFrom: 0 },
  min: { keyword: 'key', restFrom: 0 },
  max: { keyword: 'key', restFrom: 0 },
  'itertools.starmap': { position: 0 },
  'functools.partial': { position: 0 },
  'functools.reduce': { position: 0 },
  'atexit.register': { position: 0 },
  'weakref.finalize': { position: 1 },
  'asyncio.to_thread': { position: 0 },
  'threading.Thread': { position: 1, keyword: 'target' },
  'threading.Timer': { position: 1, keyword: 'function' },
  'multiprocessing.Process': { position: 1, keyword: 'target' },
  '_thread.start_new_thread': { position: 0 },
  'thread.start_new_thread': { position: 0 },
  '_thread.start_new': { position: 0 },
};
/** Methods that call what they are handed, on whatever receiver (`ex.submit`, `pool.map`, `stack.callback`). */
const METHOD_DISPATCHERS: Record<string, Dispatch> = {
  submit: { position: 0 },
  apply: { position: 0 },
  apply_async: { position: 0 },
  map: { position: 0 },
  map_async: { position: 0 },
  imap: { position: 0 },
  imap_unordered: { position: 0 },
  starmap: { position: 0 },
  run_in_executor: { position: 1 },
  call_soon: { position: 0 },
  call_soon_threadsafe: { position: 0 },
  call_later: { position: 1 },
  call_at: { position: 1 },
  callback: { position: 0 },
};
/** The last names of every dispatcher: the collector reads a computed callable's chain only for these. */
export const DISPATCHER_NAMES = new Set([
  ...Object.keys(DISPATCHERS).map((name) => name.slice(name.lastIndexOf('.') + 1)),
  ...Object.keys(METHOD_DISPATCHERS),
]);
const KEYWORD = /^([A-Za-z_]\w*)\s*=\s*([\s\S]*)$/;
const DOTTED = /^[A-Za-z_][\w.]*$/;
const NOT_LIBC = new Set(['os', 'platform', 'self', 'cls', 'sys']);

function dispatchOf(name: string): Dispatch | undefined {
  const spec = DISPATCHERS[name];
  if (spec) return spec;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? METHOD_DISPATCHERS[name.slice(dot + 1)] : undefined;
}

/**
 * The call a dispatcher makes of an imported function or a code runner it is handed, or undefined. Local
 * functions are left to reachability (src/python/reach.ts), which follows them into their bodies.
 * `argChains` holds the chains the collector read for computed arguments (`getattr(os, 'sys' + 'tem')`).
 */
export function handedCall(
  site: CallSite,
  bindings: ReadonlyMap<string, string>,
  isRunner: (name: string) => boolean,
  argChains?: readonly (Chain | undefined)[],
): CallSite | undefined {
  const spec = dispatchOf(site.name);
  if (!spec) return undefined;
  let callable: string | undefined;
  let callableAt = -1;
  const rest: string[] = [];
  site.args.forEach((arg, i) => {
    const keyword = KEYWORD.exec(arg);
    if (keyword) {
      if (spec.keyword !== undefined && keyword[1] === spec.keyword) {
        callable = keyword[2]!.trim();
        callableAt = i;
      } else if (keyword[1] === 'args' || keyword[1] === 'kwargs') rest.push(keyword[2]!.trim());
    } else if (i === spec.position) {
      callable = arg.trim();
      callableAt = i;
    } else if (i >= (spec.restFrom ?? (spec.position ?? Number.POSITIVE_INFINITY) + 1)) rest.push(arg);
  });
  if (!callable) return undefined;
  const chain = DOTTED.test(callable) ? dottedChain(callable) : argChains?.[callableAt];
  if (!chain || !('root' in chain)) return undefined;
  // A computed callable (getattr with a folded name) names its module itself; a dotted one must be imported.
  if (!chain.module && !bindings.has(chain.root) && !isRunner(chain.root)) return undefined;
  return { ...site, name: resolve(chain, bindings as Map<string, string>), args: rest, resolved: true };
}

// `ctypes.CDLL(None)['system'](cmd)`, `libc['system'](cmd)`: a library's function read by subscript.
const LIBC_SUBSCRIPT = /^[\w.]+(\([^()]*\))?\[\s*(['"])system\2\s*\]\s*\(/;

/** `ctypes.CDLL(None).system(cmd)` or `libc.system(cmd)` in a file that imports ctypes: libc's system(). */
export function isLibcSystem(site: CallSite, importsCtypes: boolean): boolean {
  if (!importsCtypes || site.args.length !== 1) return false;
  if (site.name === '<expr>') return LIBC_SUBSCRIPT.test(site.text);
  const match = /^(<expr>|[A-Za-z_]\w*)\.system$/.exec(site.name);
  return match !== null && !NOT_LIBC.has(match[1]!);
}
