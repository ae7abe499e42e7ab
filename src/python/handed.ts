// Calls made by a function the code hands its callable to: `map(os.system, cmds)`,
// `Thread(target=os.system, args=(cmd,))`, `functools.partial(os.system, cmd)`, `atexit.register(exec, code)`,
// `executor.submit(os.system, cmd)`, `sorted(cmds, key=os.system)`. The callable runs as if called at that
// line, so the collector adds a site for it and every rule sees the call. Also libc's system() reached
// through ctypes.
import { type Chain, dottedChain, resolve } from './chain.js';
import type { CallSite } from './types.js';

/**
 * Where each dispatcher takes its callable: a position among the arguments or a keyword. What it passes on:
 * the positional arguments at `argsAt`/`kwargsAt` (Thread's args and kwargs), else those from `restFrom`
 * (`sorted(xs, key=f)` passes xs), else those after the callable; and any args=/kwargs=/kwds=/argument= keyword.
 */
type Dispatch = {
  position?: number;
  keyword?: string;
  restFrom?: number;
  argsAt?: number;
  kwargsAt?: number;
};
const DISPATCHERS = new Map<string, Dispatch>([
  ['map', { position: 0 }],
  ['filter', { position: 0 }],
  ['sorted', { keyword: 'key', restFrom: 0 }],
  ['min', { keyword: 'key', restFrom: 0 }],
  ['max', { keyword: 'key', restFrom: 0 }],
  ['heapq.nsmallest', { keyword: 'key', restFrom: 1 }],
  ['heapq.nlargest', { keyword: 'key', restFrom: 1 }],
  ['itertools.starmap', { position: 0 }],
  ['itertools.filterfalse', { position: 0 }],
  ['itertools.takewhile', { position: 0 }],
  ['itertools.dropwhile', { position: 0 }],
  ['itertools.groupby', { position: 1, keyword: 'key', restFrom: 0 }],
  ['itertools.accumulate', { position: 1, keyword: 'func', restFrom: 0 }],
  ['functools.partial', { position: 0 }],
  ['functools.reduce', { position: 0 }],
  ['operator.call', { position: 0 }],
  ['atexit.register', { position: 0 }],
  ['weakref.finalize', { position: 1 }],
  ['asyncio.to_thread', { position: 0 }],
  ['threading.Thread', { position: 1, keyword: 'target', argsAt: 3, kwargsAt: 4 }],
  ['threading.Timer', { position: 1, keyword: 'function', argsAt: 2, kwargsAt: 3 }],
  ['multiprocessing.Process', { position: 1, keyword: 'target', argsAt: 3, kwargsAt: 4 }],
  ['_thread.start_new_thread', { position: 0, argsAt: 1, kwargsAt: 2 }],
  ['_thread.start_new', { position: 0, argsAt: 1, kwargsAt: 2 }],
  ['thread.start_new_thread', { position: 0, argsAt: 1, kwargsAt: 2 }],
]);
/** Methods that call what they are handed, on whatever receiver (`ex.submit`, `pool.map`, `stack.callback`). */
const METHOD_DISPATCHERS = new Map<string, Dispatch>([
  ['submit', { position: 0 }],
  ['apply', { position: 0 }],
  ['apply_async', { position: 0 }],
  ['map', { position: 0 }],
  ['map_async', { position: 0 }],
  ['imap', { position: 0 }],
  ['imap_unordered', { position: 0 }],
  ['starmap', { position: 0 }],
  ['run_in_executor', { position: 1 }],
  ['call_soon', { position: 0 }],
  ['call_soon_threadsafe', { position: 0 }],
  ['call_later', { position: 1 }],
  ['call_at', { position: 1 }],
  ['callback', { position: 0 }],
  ['enter', { position: 2, keyword: 'action', argsAt: 3, kwargsAt: 4 }],
  ['enterabs', { position: 2, keyword: 'action', argsAt: 3, kwargsAt: 4 }],
  ['sort', { keyword: 'key' }],
]);
/** The last names of every dispatcher: the collector reads a computed callable's chain only for these. */
export const DISPATCHER_NAMES = new Set([
  ...[...DISPATCHERS.keys()].map((name) => name.slice(name.lastIndexOf('.') + 1)),
  ...METHOD_DISPATCHERS.keys(),
]);
const KEYWORD = /^([A-Za-z_]\w*)\s*=\s*([\s\S]*)$/;
const PASSED_ON = new Set(['args', 'kwargs', 'kwds', 'argument']);
const DOTTED = /^[A-Za-z_][\w.]*$/;
const NOT_LIBC = new Set(['os', 'platform', 'self', 'cls', 'sys']);

function dispatchOf(name: string): Dispatch | undefined {
  const spec = DISPATCHERS.get(name);
  if (spec) return spec;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? METHOD_DISPATCHERS.get(name.slice(dot + 1)) : undefined;
}

/** Where `site` (a dispatcher call) names the callable it will call, and what it passes on; undefined for others. */
export function dispatchedCallable(
  site: Pick<CallSite, 'name' | 'args'>,
): { index: number; text: string; rest: string[] } | undefined {
  const spec = dispatchOf(site.name);
  if (!spec) return undefined;
  let index = -1;
  let text = '';
  const rest: string[] = [];
  const firstRest = spec.restFrom ?? (spec.position ?? Number.POSITIVE_INFINITY) + 1;
  site.args.forEach((arg, i) => {
    const keyword = KEYWORD.exec(arg);
    if (keyword) {
      if (spec.keyword !== undefined && keyword[1] === spec.keyword) {
        index = i;
        text = keyword[2]!.trim();
      } else if (PASSED_ON.has(keyword[1]!)) rest.push(keyword[2]!.trim());
    } else if (i === spec.position) {
      index = i;
      text = arg.trim();
    } else if (spec.argsAt !== undefined ? i === spec.argsAt || i === spec.kwargsAt : i >= firstRest)
      rest.push(arg);
  });
  return index < 0 ? undefined : { index, text, rest };
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
  const handed = dispatchedCallable(site);
  if (!handed) return undefined;
  const chain =
    argChains?.[handed.index] ?? (DOTTED.test(handed.text) ? dottedChain(handed.text) : undefined);
  if (!chain || !('root' in chain)) return undefined;
  // A computed callable (getattr with a folded name) names its module itself; a dotted one must be imported.
  if (!chain.module && !bindings.has(chain.root) && !isRunner(chain.root)) return undefined;
  const name = resolve(chain, bindings as Map<string, string>).replace(CALL_METHOD, '');
  return { ...site, name, args: handed.rest, resolved: true };
}

/** `f.__call__` is f. */
export const CALL_METHOD = /(\.__call__)+$/;

// `ctypes.CDLL(None)['system'](cmd)`, `libc['system'](cmd)`: a library's function read by subscript.
// Two levels of parentheses in the loader's arguments: `CDLL(ctypes.util.find_library('c'))['system']`.
const LIBC_SUBSCRIPT = /^[\w.]+(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))?\s*\[\s*(['"])system\2\s*\]\s*\(/;

/** `ctypes.CDLL(None).system(cmd)` or `libc.system(cmd)` in a file that imports ctypes: libc's system(). */
export function isLibcSystem(site: CallSite, importsCtypes: boolean): boolean {
  if (!importsCtypes || site.args.length !== 1) return false;
  if (site.name === '<expr>') return LIBC_SUBSCRIPT.test(site.text);
  const match = /^(<expr>|[A-Za-z_]\w*)\.system$/.exec(site.name);
  return match !== null && !NOT_LIBC.has(match[1]!);
}
