// Which of a release's files to analyse: what pip would install on each target platform, for each Python
// version, plus the sdists of the versions picked (pip builds them wherever no wheel fits). pip's choice
// among the candidates of a pinned requirement (pip/_internal/index/package_finder.py, _sort_key): a
// non-yanked file first, then the highest version (`==1.0` also matches `1.0+local`), then the wheel whose
// best tag comes earliest in the interpreter's supported-tag order, then the highest build tag, then the
// first listed. Wheels no target would pick are returned as not analysed, with the reason.
import { compare, satisfies, valid } from '@renovatebot/pep440';
import { parseFilename } from './filename.js';
import { markerMayApply } from './markers.js';
import {
  buildTag,
  cpythonTags,
  DEFAULT_PYTHON_MINORS,
  MAX_WHEEL_TAGS,
  type TargetPlatform,
  wheelTags,
} from './tags.js';

export interface SelectableFile {
  filename: string;
  hashes: Record<string, string>;
  requiresPython?: string;
  yanked?: boolean | string;
}

export interface SelectOptions {
  project: string;
  targets: TargetPlatform[];
  /** CPython 3.<minor> versions to consider; default 3.9-3.14. */
  pythonMinors?: number[];
  /** The requirement's PEP 508 marker: platforms and Pythons where it says pip skips it are left out. */
  markers?: string;
}

export interface Selection<T> {
  /** sdists first, then wheels in the order the targets first picked them. */
  chosen: T[];
  /** For each chosen file, the targets that pick it ("linux-x86_64 cp312", "sdist"). */
  pickedBy: Map<T, string[]>;
  /** Files of the release that no target would install, with why. */
  notAnalysed: { file: T; reason: string }[];
  /** Set when the marker excludes every target: then it was ignored (the project runs somewhere else). */
  markerExcludesAll?: boolean;
  /** Wheels some target could install (tags and requires-python fit), picked first or not. */
  installable: Set<T>;
}

/** Whether a requires-python specifier admits CPython 3.<minor> (any patch release). */
function allowsPython(requiresPython: string | undefined, minor: number): boolean {
  const spec = requiresPython?.trim();
  if (!spec) return true;
  try {
    return satisfies(`3.${minor}.0`, spec) || satisfies(`3.${minor}.99`, spec);
  } catch {
    return true; // an unreadable specifier: pip ignores it too (it logs and keeps the file)
  }
}

const versionOf = (filename: string, project: string): string | null =>
  parseFilename(filename, project).version;

function compareVersions(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return valid(a) && valid(b) ? compare(a, b) : 0;
}

const sameVersion = (a: string | null, b: string | null): boolean =>
  a === b || (a !== null && b !== null && valid(a) !== null && valid(b) !== null && compare(a, b) === 0);

interface Candidate<T> {
  file: T;
  order: number;
  version: string | null;
  yanked: boolean;
  tags: string[] | null | 'too-many';
  build: [number, string] | null;
  sdist: boolean;
}

function better<T>(a: Candidate<T>, rankA: number, b: Candidate<T>, rankB: number): boolean {
  if (a.yanked !== b.yanked) return !a.yanked;
  const byVersion = compareVersions(a.version, b.version);
  if (byVersion !== 0) return byVersion > 0;
  if (rankA !== rankB) return rankA < rankB;
  const [na, sa] = a.build ?? [-1, ''];
  const [nb, sb] = b.build ?? [-1, ''];
  if (na !== nb) return na > nb;
  if (sa !== sb) return sa > sb;
  return a.order < b.order;
}

/** pip's pick among `candidates` for one interpreter whose supported tags rank as `rank`. */
function pick<T>(
  candidates: Candidate<T>[],
  rank: Map<string, number>,
  minor: number,
  installable: Set<T>,
): Candidate<T> | undefined {
  let best: Candidate<T> | undefined;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (!allowsPython((c.file as SelectableFile).requiresPython, minor)) continue;
    let r: number;
    if (c.sdist) r = Number.POSITIVE_INFINITY;
    else {
      r = Number.POSITIVE_INFINITY;
      if (c.tags === 'too-many') continue; // analysed apart, below
      for (const tag of c.tags ?? []) {
        const at = rank.get(tag);
        if (at !== undefined && at < r) r = at;
      }
      if (r === Number.POSITIVE_INFINITY) continue; // not installable here
      installable.add(c.file);
    }
    if (!best || better(c, r, best, bestRank)) {
      best = c;
      bestRank = r;
    }
  }
  return best;
}

// Each interpreter's tag ranks are built once per process (a thousand tags for Linux), not per release.
const rankCache = new WeakMap<string[], Map<number, Map<string, number>>>();
function ranks(platforms: string[], minor: number): Map<string, number> {
  let byMinor = rankCache.get(platforms);
  if (!byMinor) {
    byMinor = new Map();
    rankCache.set(platforms, byMinor);
  }
  let rank = byMinor.get(minor);
  if (!rank) {
    rank = new Map(cpythonTags(minor, platforms).map((t, i) => [t, i]));
    byMinor.set(minor, rank);
  }
  return rank;
}

/** The files pip would install for the targets, from the candidate files of the requirement's version(s). */
export function selectForTargets<T extends SelectableFile>(files: T[], options: SelectOptions): Selection<T> {
  const minors = options.pythonMinors ?? DEFAULT_PYTHON_MINORS;
  const candidates: Candidate<T>[] = [];
  const notAnalysed: { file: T; reason: string }[] = [];
  files.forEach((file, order) => {
    const parsed = parseFilename(file.filename, options.project);
    if (parsed.kind === 'wheel' || parsed.kind === 'sdist') {
      candidates.push({
        file,
        order,
        version: versionOf(file.filename, options.project),
        yanked: file.yanked !== undefined && file.yanked !== false,
        tags: parsed.kind === 'wheel' ? wheelTags(file.filename) : null,
        build: parsed.kind === 'wheel' ? buildTag(file.filename) : null,
        sdist: parsed.kind === 'sdist',
      });
    } else {
      notAnalysed.push({
        file,
        reason: `${parsed.kind === 'egg' ? 'an egg' : 'not a wheel or sdist'}: pip does not install it`,
      });
    }
  });

  const pickedBy = new Map<T, string[]>();
  const note = (file: T, by: string) => pickedBy.set(file, [...(pickedBy.get(file) ?? []), by]);
  const pickedVersions = new Set<string | null>();
  const installable = new Set<T>();
  const applies = (id: string, minor: number) => markerMayApply(options.markers, id, minor);
  const markerExcludesAll = !options.targets.some((t) => minors.some((minor) => applies(t.id, minor)));
  for (const target of options.targets) {
    for (const minor of minors) {
      if (!markerExcludesAll && !applies(target.id, minor)) continue;
      const seen = new Set<T>();
      for (const platforms of target.orders) {
        const chosen = pick(candidates, ranks(platforms, minor), minor, installable);
        if (!chosen || seen.has(chosen.file)) continue;
        seen.add(chosen.file);
        pickedVersions.add(chosen.version);
        note(chosen.file, `${target.id} cp3${minor}`);
      }
    }
  }
  // A wheel naming more tags than the gate ranks may install anywhere: analysed, never left out.
  for (const c of candidates) if (c.tags === 'too-many') note(c.file, `more than ${MAX_WHEEL_TAGS} tags`);
  // The sdist of every version picked: pip builds it wherever no wheel fits (another platform, Python).
  for (const c of candidates) {
    if (c.sdist && [...pickedVersions].some((v) => sameVersion(v, c.version))) note(c.file, 'sdist');
  }
  const sdists = candidates.filter((c) => c.sdist && pickedBy.has(c.file)).map((c) => c.file);
  const wheels = [...pickedBy.keys()].filter((f) => !sdists.includes(f));
  const chosen = [...sdists, ...wheels];
  const where = `${options.targets.map((t) => t.id).join(', ')}; CPython 3.${minors[0]}-3.${minors[minors.length - 1]}${options.markers && !markerExcludesAll ? '; where its marker applies' : ''}`;
  for (const c of candidates) {
    if (pickedBy.has(c.file)) continue;
    notAnalysed.push({
      file: c.file,
      reason: c.sdist
        ? 'an sdist of a version no target picks'
        : c.tags === null
          ? 'a wheel name pip cannot read'
          : installable.has(c.file)
            ? `pip picks another file wherever it fits (${where})`
            : `no target installs it (${where})`,
    });
  }
  return { chosen, pickedBy, notAnalysed, installable, ...(markerExcludesAll ? { markerExcludesAll } : {}) };
}
