// Which release a ref means (the pinned one, or the newest that satisfies its specifier) and which of its
// files are analysed: those the lockfile's hashes allow, pip's pick per target platform, the sdists, up to
// a cap; what is left out becomes notes (not installed on the targets) or gaps (installable, over the cap).
import type { Gap, OrFinding, PackageRef } from '../types.js';
import { found, hashMismatch } from './errors.js';
import { isPublicPypi } from './indexes.js';
import { selectForTargets } from './select.js';
import type { TargetPlatform } from './tags.js';
import type { RegistryFile, Resolution } from './types.js';
import { lockDigests } from './verify.js';
import { matchesPin, newestSatisfying, versionKey } from './version.js';

export interface Release {
  version: string;
  files: RegistryFile[];
}

export interface ChooseOptions {
  targets: TargetPlatform[];
  pythonMinors?: number[];
  /** Most files analysed per release; the rest are gaps. */
  maxFiles: number;
}

/** The files of the pinned version (`==1.0` also matches 1.0.0 and 1.0+local); undefined when there are none. */
export function pinnedRelease(files: RegistryFile[], pinned: string): Release | undefined {
  const matches = new Map<string, boolean>();
  const matching = (version: string) => {
    let m = matches.get(version);
    if (m === undefined) {
      m = matchesPin(version, pinned);
      matches.set(version, m);
    }
    return m;
  };
  const release = files.filter((f) => f.version !== null && matching(f.version));
  return release.length > 0 ? { version: pinned, files: release } : undefined;
}

/** The newest non-yanked final release that satisfies the specifier, spelled as its first file spells it. */
export function newestRelease(files: RegistryFile[], specifier: string): Release | undefined {
  // Files grouped by PEP 440 identity (1.0 and 1.0.0 together), keyed once per file: a project can have
  // thousands of versions and files, so no per-file search over the versions seen.
  const byVersion = new Map<string, RegistryFile[]>();
  const spelling = new Map<string, string>();
  for (const f of files) {
    if (f.version === null) continue;
    const identity = versionKey(f.version);
    if (!spelling.has(identity)) spelling.set(identity, f.version);
    const key = spelling.get(identity)!;
    const group = byVersion.get(key);
    if (group) group.push(f);
    else byVersion.set(key, [f]);
  }
  const version = newestSatisfying(
    [...byVersion].map(([v, group]) => ({ version: v, yanked: group.every((f) => f.yanked !== false) })),
    specifier,
  );
  return version === null ? undefined : { version, files: byVersion.get(version)! };
}

/** The files pip may install under the lockfile's hashes: with --require-hashes, only locked ones. */
export function allowedByLock(
  files: RegistryFile[],
  ref: PackageRef,
  label: string,
): OrFinding<RegistryFile[]> {
  const locked = lockDigests(ref.hashes).get('sha256');
  if (!locked) return found(files);
  const sha = (f: RegistryFile) => f.hashes.sha256?.toLowerCase();
  const matching = files.filter((f) => locked.has(sha(f) ?? ''));
  // Files whose sha256 the index does not state are downloaded and checked against the lock instead.
  const unknown = files.filter((f) => sha(f) === undefined);
  if (matching.length === 0 && unknown.length === 0) {
    return hashMismatch(
      `${label}: none of the ${files.length} file(s) the index serves matches the lockfile's hashes: ` +
        'the files differ from the ones the lockfile pins',
    );
  }
  return found([...matching, ...unknown]);
}

/** What to analyse among the candidate files: pip's pick per target, the sdists, the cap; notes on the rest. */
export function chooseFiles(
  candidates: RegistryFile[],
  release: RegistryFile[],
  ref: PackageRef,
  label: string,
  options: ChooseOptions,
): Pick<Resolution, 'files' | 'notes' | 'gaps'> {
  const { targets, maxFiles } = options;
  const selection = selectForTargets(candidates, {
    project: ref.name,
    targets,
    pythonMinors: options.pythonMinors,
    ...(ref.markers ? { markers: ref.markers } : {}),
  });
  const lockedShas = lockDigests(ref.hashes).get('sha256');
  const isLocked = (f: RegistryFile) => lockedShas?.has(f.hashes.sha256?.toLowerCase() ?? '') === true;
  // A wheel the lockfile pins that a target could install is analysed even when pip there prefers
  // another: the lock says it is installed somewhere (an older glibc, another Python build).
  const picked = new Set(selection.chosen);
  let files = [
    ...selection.chosen,
    ...[...selection.installable].filter((f) => isLocked(f) && !picked.has(f)),
  ];
  const notes: string[] = [];
  const onTargets = targets.map((t) => t.id).join(', ');
  if (selection.markerExcludesAll)
    notes.push(
      `${label}: its marker (${ref.markers!.slice(0, 200)}) excludes every target platform (${onTargets}); analysed as if it applied`,
    );
  if (files.length === 0) {
    // Nothing installs on the targets (wheels for other platforms only, no sdist): pip there would fail,
    // but the project may run elsewhere, so analyse what the release offers rather than nothing.
    files = candidates.filter((f) => f.kind === 'wheel' || f.kind === 'sdist');
    if (files.length > 0)
      notes.push(
        `${label}: no file installs on the target platforms (${onTargets}); analysed what the release offers`,
      );
  }
  const gaps = overCap(files, maxFiles, label);
  files = files.slice(0, maxFiles);
  const analysed = new Set(files);
  const allowed = new Set(candidates);
  const left = [
    ...selection.notAnalysed.filter((n) => !analysed.has(n.file)),
    ...release
      .filter((f) => !allowed.has(f))
      .map((file) => ({ file, reason: 'not among the files the lockfile hashes allow: pip refuses it' })),
  ];
  notes.push(...leftOutNotes(left, ref, label, isLocked));
  return { files, notes, gaps };
}

/** One gap per file over the cap, up to 20, then one for the rest: a hostile release can list thousands. */
function overCap(files: RegistryFile[], maxFiles: number, label: string): Gap[] {
  if (files.length <= maxFiles) return [];
  const over = files.slice(maxFiles);
  const why = `${files.length} files would be installed on the target platforms, more than the ${maxFiles} analysed per release`;
  const gaps: Gap[] = over.slice(0, 20).map((file) => ({
    stage: 'download',
    artifact: file.filename,
    reason: `${label}: ${why}; ${file.filename} was not analysed`,
  }));
  if (over.length > 20)
    gaps.push({
      stage: 'download',
      reason: `${label}: ${why}; ${over.length - 20} more files were not analysed`,
    });
  return gaps;
}

/** The release's files that are not analysed, one line per reason, and the locked ones among them. */
function leftOutNotes(
  left: { file: RegistryFile; reason: string }[],
  ref: PackageRef,
  label: string,
  isLocked: (f: RegistryFile) => boolean,
): string[] {
  const notes: string[] = [];
  // One line per reason, at most 20 names each: a release can have a hundred wheels.
  const byReason = new Map<string, string[]>();
  for (const n of left) {
    const names = byReason.get(n.reason);
    if (names) names.push(n.file.filename);
    else byReason.set(n.reason, [n.file.filename]);
  }
  for (const [reason, names] of byReason) {
    const more = names.length > 20 ? ` and ${names.length - 20} more` : '';
    notes.push(`${label}: not analysed (${reason}): ${names.slice(0, 20).join(', ')}${more}`);
  }
  const lockedLeft = left.filter((n) => isLocked(n.file));
  if (lockedLeft.length > 0) {
    notes.push(
      `${label}: ${ref.file}:${ref.line} pins the hashes of ${lockedLeft.length} file(s) the gate did not analyse (no target platform installs them): ${lockedLeft
        .slice(0, 10)
        .map((n) => n.file.filename)
        .join(', ')}`,
    );
  }
  return notes;
}

/** The release's page for the report: pypi.org's project page, else the index's project page. */
export function releaseUrl(
  file: RegistryFile | undefined,
  name: string,
  version: string,
): string | undefined {
  if (!file) return undefined;
  try {
    if (isPublicPypi(new URL(file.index).hostname)) return `https://pypi.org/project/${name}/${version}/`;
  } catch {
    return undefined;
  }
  return `${file.index}${encodeURIComponent(name)}/`;
}
