// Tar hard links and symlinks, given the content pip's extraction leaves at their path. Python's
// tarfile resolves both to a member of the same archive (TarFile._find_link_target: a hard link to the
// last member of that name before it, a symlink relative to its own folder, names normalised as
// os.path.normpath does), and pip writes the target's bytes there (extractfile) or links the file on
// disk. So a `setup.py` that is a link to `x/evil.py` runs evil.py's code: the link gets the target's
// content here, looked up inside the archive only, never on any file system. A link that leaves the
// archive, or names no member, has no content the gate can know: for a code file that is a gap.
import type { ArchiveEntry } from '../types.js';
import type { Collector } from './collector.js';

/** Links followed from one link before giving up (Linux gives ELOOP after 40; no honest chain is long). */
const MAX_HOPS = 16;

/**
 * Names whose content Python runs or loads, or a build reads: a link there that cannot be resolved is a
 * gap. Others are notes (an honest sdist may keep a dangling `.activate.sh -> venv/bin/activate`).
 */
const CODE_NAME = /\.(py|pyw|pth|pyc|so|pyd|dll|dylib|exe)$|(^|\/)(setup\.cfg|pyproject\.toml)$/i;

/** os.path.normpath on a POSIX name; undefined when '..' climbs above the archive's root. */
export function normaliseMemberName(name: string): string | undefined {
  if (name.startsWith('/')) return undefined;
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

function dirname(name: string): string {
  const at = name.replace(/\/+$/, '').lastIndexOf('/');
  return at < 0 ? '' : name.slice(0, at);
}

export function resolveLinks(collector: Collector): void {
  const entries = collector.entries;
  // Name -> indices of the members of that name, in archive order (a later member overwrites an earlier one).
  const byName = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const key = normaliseMemberName(e.path);
    if (key === undefined) return;
    const list = byName.get(key);
    if (list) list.push(i);
    else byName.set(key, [i]);
  });
  const targetOf = (index: number): { index?: number; problem?: string } => {
    const link = entries[index]!;
    const raw = link.linkTarget ?? '';
    if (raw === '') return { problem: 'has an empty link target' };
    const wanted =
      link.type === 'symlink'
        ? normaliseMemberName(`${dirname(link.path)}/${raw}`)
        : normaliseMemberName(raw);
    if (wanted === undefined || raw.startsWith('/')) return { problem: 'points outside the archive' };
    const candidates = byName.get(wanted) ?? [];
    // A hard link names a member stored before it; a symlink whatever ends up at that path.
    const before = candidates.filter((c) => c < index);
    const pick = link.type === 'hardlink' && before.length > 0 ? before.at(-1) : candidates.at(-1);
    if (pick === undefined || pick === index) return { problem: 'names no member of the archive' };
    return { index: pick };
  };

  for (let i = 0; i < entries.length; i++) {
    const link = entries[i]!;
    if (link.type !== 'hardlink' && link.type !== 'symlink') continue;
    let at = i;
    let problem: string | undefined;
    const seen = new Set<number>([i]);
    for (let hop = 0; ; hop++) {
      const step = targetOf(at);
      if (step.problem !== undefined) {
        problem = hop === 0 ? step.problem : `leads to a link that ${step.problem}`;
        break;
      }
      at = step.index!;
      const target = entries[at]!;
      if (target.type !== 'hardlink' && target.type !== 'symlink') break;
      if (seen.has(at)) {
        problem = 'is part of a cycle of links';
        break;
      }
      seen.add(at);
      if (hop + 1 >= MAX_HOPS) {
        problem = `is a chain of more than ${MAX_HOPS} links`;
        break;
      }
    }
    if (problem !== undefined) {
      const reason = `${link.type === 'symlink' ? 'symbolic' : 'hard'} link to '${(link.linkTarget ?? '').slice(0, 200)}' ${problem}`;
      if (CODE_NAME.test(link.path)) collector.gap(link.path, reason);
      else collector.note(`${link.path}: ${reason}`);
      continue;
    }
    if (!give(collector, link, entries[at]!)) return;
  }
}

/**
 * The link shows the target's content (shared, not copied: entries' data is never written to). Its
 * bytes count against the archive's limits like any file's: every link is analysed on its own, so
 * 100,000 links to one 5 MB file would otherwise cost the analysis 500 GB. False when a limit stops it.
 */
function give(collector: Collector, link: ArchiveEntry, target: ArchiveEntry): boolean {
  if (target.type !== 'file' || target.data === undefined) return true; // a folder, a device: no content
  if (!collector.count(target.data.length)) return false;
  link.data = target.data;
  link.size = target.size;
  if (target.truncated) link.truncated = true;
  if (target.nested) link.nested = target.nested;
  return true;
}
