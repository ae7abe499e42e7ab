// Compiled Python that the interpreter would load instead of source the gate read. Bytecode is not read
// (no maintained npm library decodes CPython's marshal format across versions), so such a file is a gap:
// the package fails closed with a reason, instead of being judged on the honest source beside it.
import { inTestOrDocFolder } from '../archive/names.js';

const BYTECODE = /\.py[co]$/i;
/** CPython 3.7's first magic number (3390): from then on a .pyc header carries PEP 552's flags word. */
const FIRST_FLAGGED_MAGIC = 3390;

/**
 * Why Python would run `path`'s bytecode rather than source the gate analysed, or undefined when it would
 * not (no bytecode, tests and docs, a cache checked against its source).
 * - A .pyc outside __pycache__ with no .py beside it is a module of its own: `import name` loads it.
 * - A __pycache__ .pyc marked "unchecked hash" (PEP 552) is loaded without comparing it to the source, so
 *   an honest .py can sit beside bytecode that does something else. Timestamp and checked-hash caches
 *   are recompiled when the source differs, so what runs is the source.
 * An sdist's tests and docs are left alone (test data, never installed); a wheel installs its tests/
 * folder as an importable package like any other, so there they count.
 */
export function unreadBytecode(
  path: string,
  data: Uint8Array | undefined,
  paths: ReadonlySet<string>,
  inWheel = false,
): string | undefined {
  if (!BYTECODE.test(path) || (!inWheel && inTestOrDocFolder(path))) return undefined;
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  if (!folder.endsWith('__pycache__/')) {
    if (paths.has(path.replace(BYTECODE, '.py'))) return undefined;
    return `${path} is compiled Python with no source beside it: importing it runs bytecode the gate cannot read`;
  }
  if (!data || data.length < 8)
    return `${path} is bytecode whose header could not be read: Python may load it without checking its source`;
  const magic = data[0]! | (data[1]! << 8);
  const flags = data[4]! | (data[5]! << 8);
  if (magic < FIRST_FLAGGED_MAGIC || (flags & 1) === 0 || (flags & 2) !== 0) return undefined;
  return `${path} is bytecode Python loads without checking it against its source (an unchecked-hash .pyc): the gate read the source, not what runs`;
}
