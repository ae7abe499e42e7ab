// Calls made by a function the code hands its callable to: `map(os.system, cmds)`,
// `Thread(target=os.system, args=(cmd,))`, `functools.partial(os.system, cmd)`, `atexit.register(exec, code)`,
// `executor.submit(os.system, cmd)`. The callable runs as if called at that line, so the collector adds a
// site for it and every rule sees the call. Also libc's system() reached through ctypes.
import { dottedChain, resolve } from './chain.js';
import type { CallSite } from './types.js';

/** Where each dispatcher takes its callable: a position among the arguments, or a keyword. */
const DISPATCHERS: Record<string, { position?: number; keyword?: string }> = {
  map: { position: 0 },
  'functools.partial': { position: 0 },
  'atexit.register': { position: 0 },
  'asyncio.to_thread': { position: 0 },
  'threading.Thread': { keyword: 'target' },
  'threading.Timer': { position: 1, keyword: 'function' },
  'multiprocessing.Process': { keyword: 'target' },
  '<expr>.submit': { position: 0 },
  '<expr>.apply_async': { position: 0 },
  '<expr>.run_in_executor': { position: 1 },
  '<expr>.call_soon': { position: 0 },
  '<expr>.call_later': { position: 1 },
};
const KEYWORD = /^([A-Za-z_]\w*)\s*=\s*([\s\S]*)$/;
const DOTTED = /^[A-Za-z_][\w.]*$/;
const NOT_LIBC = new Set(['os', 'platform', 'self', 'cls', 'sys']);

/**
 * The call a dispatcher makes of an imported function or a code runner it is handed, or undefined. Local
 * functions are left to reachability (src/python/reach.ts), which follows them into their bodies.
 */
export function handedCall(
  site: CallSite,
  bindings: ReadonlyMap<string, string>,
  isRunner: (name: string) => boolean,
): CallSite | undefined {
  const spec = DISPATCHERS[site.name];
  if (!spec) return undefined;
  let callable: string | undefined;
  const rest: string[] = [];
  site.args.forEach((arg, i) => {
    const keyword = KEYWORD.exec(arg);
    if (keyword) {
      if (spec.keyword !== undefined && keyword[1] === spec.keyword) callable = keyword[2]!.trim();
      else if (keyword[1] === 'args' || keyword[1] === 'kwargs') rest.push(keyword[2]!.trim());
    } else if (i === spec.position) callable = arg.trim();
    else if (spec.position !== undefined && i > spec.position) rest.push(arg);
  });
  if (!callable || !DOTTED.test(callable)) return undefined;
  const chain = dottedChain(callable);
  if (!chain || !('root' in chain) || (!bindings.has(chain.root) && !isRunner(chain.root))) return undefined;
  return { ...site, name: resolve(chain, bindings as Map<string, string>), args: rest, resolved: true };
}

/** `ctypes.CDLL(None).system(cmd)` or `libc.system(cmd)` in a file that imports ctypes: libc's system(). */
export function isLibcSystem(site: CallSite, importsCtypes: boolean): boolean {
  if (!importsCtypes || site.args.length !== 1) return false;
  const match = /^(<expr>|[A-Za-z_]\w*)\.system$/.exec(site.name);
  return match !== null && !NOT_LIBC.has(match[1]!);
}
