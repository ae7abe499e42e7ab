// The shape every format parser has: pure, content and path in, a LockfileResult out.
import type { LockfileFormat, LockfileResult } from '../types.js';

/** A read the file-system edge would not do (outside the workspace, under .git/, not a regular file). */
export interface ReadRefusal {
  refused: string;
}

export interface ParseOptions {
  format?: LockfileFormat;
  /**
   * Reads an included file (requirements -r/-c), path relative to the checkout; undefined when
   * missing, a ReadRefusal when the edge refuses it (read.ts's workspaceReader never leaves the root).
   */
  readFile?: (path: string) => string | undefined | ReadRefusal;
  /** Environment for ${VAR} expansion in requirements files. */
  env?: Record<string, string | undefined>;
}

export type Parser = (content: string, path: string, opts: ParseOptions) => LockfileResult;
