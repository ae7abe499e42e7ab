// Lockfiles -> what to scan, for the action and the CLI alike. Diff mode parses each lockfile at head and at base and keeps added and
// changed packages; full mode keeps everything. File access is passed in (git, contents API, disk).
import { diffPackages, parseLockfile } from '../lockfiles/index.js';
import type { ScanItem } from '../scan.js';
import type { LockfileResult, PackageRef } from '../types.js';

export interface CollectInput {
  files: string[];
  mode: 'diff' | 'full';
  /** Head content of a checkout-relative path; undefined when missing. */
  readHead(path: string): string | undefined;
  /** Base content: null when the file did not exist at base (a new lockfile); throws when unknown. */
  readBase?(path: string): Promise<string | null>;
  /**
   * A file included from a base lockfile (requirements -r/-c), when the base is in git objects: without
   * it, the packages of an included file all look added on every pull request.
   */
  readBaseInclude?(path: string): string | undefined;
}

export interface Collected {
  lockfiles: LockfileResult[];
  items: ScanItem[];
  /** The items by the lockfile that first named them (a package pinned in two files is scanned once). */
  byLockfile: Map<string, ScanItem[]>;
  /** Human-readable notes (e.g. a base that could not be read, so the file was scanned in full). */
  notes: string[];
}

/** Same package pinned in several places is scanned once (keyed by name, version and source). */
const identity = (r: PackageRef): string =>
  `${r.name}\u0000${r.version ?? r.specifier ?? ''}\u0000${r.source ?? ''}`;

export async function collect(input: CollectInput): Promise<Collected> {
  const lockfiles: LockfileResult[] = [];
  const items: ScanItem[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  const byLockfile = new Map<string, ScanItem[]>();
  let current: ScanItem[] = [];
  const push = (item: ScanItem) => {
    const id = identity(item.ref);
    if (seen.has(id)) return;
    seen.add(id);
    items.push(item);
    current.push(item);
  };
  for (const file of input.files) {
    current = [];
    byLockfile.set(file, current);
    const content = input.readHead(file);
    if (content === undefined) {
      lockfiles.push({
        file,
        format: 'requirements',
        packages: [],
        issues: [],
        status: 'error',
        error: `${file}: file not found in the checkout`,
      });
      continue;
    }
    const head = parseLockfile(content, file, { readFile: input.readHead });
    lockfiles.push(head);
    if (head.status === 'error') continue;
    if (input.mode === 'full' || !input.readBase) {
      for (const ref of head.packages) push({ ref, change: input.mode === 'full' ? 'unchanged' : 'added' });
      continue;
    }
    let baseContent: string | null;
    try {
      baseContent = await input.readBase(file);
    } catch (err) {
      notes.push(
        `${file}: base version unavailable (${err instanceof Error ? err.message : String(err)}); scanning all its packages`,
      );
      baseContent = null;
    }
    const basePackages =
      baseContent === null
        ? []
        : parseLockfile(baseContent, file, { format: head.format, readFile: input.readBaseInclude }).packages;
    const diff = diffPackages(basePackages, head.packages);
    for (const ref of diff.added) push({ ref, change: 'added' });
    for (const { ref, previous } of diff.changed) push({ ref, change: 'changed', previous });
  }
  return { lockfiles, items, byLockfile, notes };
}
