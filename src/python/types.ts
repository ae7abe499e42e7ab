import type { CodeRole } from './roles.js';

export interface ImportRecord {
  module: string;
  /** The imported name for `from module import name`. */
  name?: string;
  /** The local name bound (alias, or the first segment of `import a.b`). */
  alias: string;
  line: number;
  role: CodeRole;
  /** Index in `defs` of the innermost function or class around it (absent at module level). */
  inDef?: number;
}

export interface CallSite {
  /** Resolved dotted path ('subprocess.Popen', 'exec'), or '<expr>.attr' for a method on an unknown receiver. */
  name: string;
  line: number;
  role: CodeRole;
  /** Argument source texts, each cut to 200 characters. */
  args: string[];
  /** The call's source text, cut to 200 characters. */
  text: string;
  nestedIn?: string;
  /** Set when `name` was read through folding, getattr, __import__, a namespace subscript or an alias of a code runner. */
  resolved?: boolean;
  /** Index in `defs` of the innermost function or class around it (absent at module level). */
  inDef?: number;
  /** Why a function body's call runs at install/import time (reachability): the root that reaches it. */
  via?: string;
}

export interface StringLiteral {
  /** Decoded best-effort (escapes resolved; f-string interpolations kept as source). */
  value: string;
  /** Source text, cut to 200 characters. */
  raw: string;
  line: number;
  role: CodeRole;
  length: number;
  /** Set for a value folded from an expression ('a' + 'b', ''.join, os.path.join, decoders), not a literal. */
  folded?: boolean;
  /** Index in `defs` of the innermost function or class around it (absent at module level). */
  inDef?: number;
  /** Why a function body's string is used at install/import time (reachability). */
  via?: string;
}

export interface Definition {
  name: string;
  line: number;
  kind: 'function' | 'class';
  /** Where the def/class statement itself runs (decorators run there too). */
  role?: CodeRole;
  /** Index in `defs` of the enclosing function or class. */
  parent?: number;
  /** Decorator names (`@app.route(...)` -> app.route), which are called when the statement runs. */
  decorators?: string[];
  /** Set when reachability found the body runs at install/import time: the role it takes (reach.ts). */
  reached?: CodeRole;
}

export interface SetupCall {
  line: number;
  /** Every keyword passed to setup(). */
  keywords: string[];
  /** Keywords whose value is a literal string (name, version, author, author_email, url, description, ...). */
  strings: Record<string, string>;
  /** Keywords whose value is a literal list/tuple of strings (install_requires, classifiers, ...). */
  lists: Record<string, string[]>;
  cmdclass: boolean;
}

export interface ParsedFile {
  path: string;
  source: string;
  lines: string[];
  /** False when tree-sitter produced no tree or the file is too large; text features still apply. */
  parsed: boolean;
  /** Why parsed is false, for the analysis notes. */
  parseError?: string;
  /** The analysis itself failed on this file (an exception in the walk): what it does was not read. */
  failed?: boolean;
  /** Why the parse was stopped by a limit of ParseOptions (an analysis budget), not refused by the parser. */
  stopped?: string;
  errorNodes: number;
  imports: ImportRecord[];
  calls: CallSite[];
  strings: StringLiteral[];
  identifiers: string[];
  defs: Definition[];
  /** setup(..., cmdclass={...}) or a class overriding an install-time command's run(). */
  cmdclass: boolean;
  setupCall?: SetupCall;
  topLevelStatements: number;
}
