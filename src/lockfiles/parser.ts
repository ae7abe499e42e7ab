// The shape every format parser has: pure, content and path in, a LockfileResult out.
import type { LockfileFormat, LockfileResult } from '../types.js';

export interface ParseOptions {
  format?: LockfileFormat;
  /** Reads an included file (requirements -r/-c), path relative to the checkout; undefined when missing. */
  readFile?: (path: string) => string | undefined;
  /** Environment for ${VAR} expansion in requirements files. */
  env?: Record<string, string | undefined>;
}

export type Parser = (content: string, path: string, opts: ParseOptions) => LockfileResult;
