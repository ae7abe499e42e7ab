// Which of a release's files to analyse: the sdist (install-time code lives in setup.py) and the
// wheel pip would install on a Linux CPython runner (pure wheel first, else newest manylinux x86_64).
import { parseFilename } from './filename.js';

export interface SelectableFile {
  filename: string;
  hashes: Record<string, string>;
}

function isPureWheel(filename: string, project: string): boolean {
  const tags = parseFilename(filename, project).tags;
  if (!tags) return false;
  if (tags.abi !== 'none' || tags.platform !== 'any') return false;
  return tags.python.split('.').some((py) => py === 'py3' || py === 'py2.py3');
}

function manylinuxGlibc(filename: string, project: string): number | null {
  const tags = parseFilename(filename, project).tags;
  if (!tags) return null;
  if (!tags.python.split('.').some((py) => py.startsWith('cp3') || py.startsWith('py3'))) return null;
  let best: number | null = null;
  for (const platform of tags.platform.split('.')) {
    const match = /^manylinux(?:_(\d+)_(\d+)|(1|2010|2014))_x86_64$/.exec(platform);
    if (!match) continue;
    const legacy: Record<string, number> = { '1': 2.05, '2010': 2.12, '2014': 2.17 };
    const glibc = match[3] ? (legacy[match[3]] ?? 0) : Number(match[1]) + Number(match[2]) / 100;
    best = best === null ? glibc : Math.max(best, glibc);
  }
  return best;
}

/** Chooses up to one sdist and one wheel; with lockfile hashes only files whose sha256 is locked count. */
export function selectArtifacts<T extends SelectableFile>(
  files: T[],
  project: string,
  lockHashes: string[] = [],
): T[] {
  const locked = new Set(
    lockHashes.filter((h) => h.startsWith('sha256:')).map((h) => h.slice('sha256:'.length).toLowerCase()),
  );
  const candidates =
    locked.size === 0 ? files : files.filter((f) => locked.has((f.hashes.sha256 ?? '').toLowerCase()));
  const chosen: T[] = [];
  const sdist = candidates.find((f) => parseFilename(f.filename, project).kind === 'sdist');
  if (sdist) chosen.push(sdist);
  const pure = candidates.find((f) => isPureWheel(f.filename, project));
  if (pure) chosen.push(pure);
  else {
    const linux = candidates
      .map((f) => ({ f, glibc: manylinuxGlibc(f.filename, project) }))
      .filter((x): x is { f: T; glibc: number } => x.glibc !== null)
      .sort((a, b) => b.glibc - a.glibc)[0];
    if (linux) chosen.push(linux.f);
  }
  return chosen;
}
