// What the index's own history says about a pinned release (Simple API: PEP 592 yanked, PEP 700 versions
// and upload-time): missing or yanked, a brand-new project, a fresh upload, a dependency-confusion style
// version jump, a project with a single release. Low/medium only, never decisive: each alone is common
// among honest packages and makes a package at most suspicious.
import { compare, explain, valid } from '@renovatebot/pep440';
import { matchesPin, versionKey } from '../registry/version.js';
import type { Signal } from '../types.js';

export interface HistoryFile {
  filename: string;
  version: string | null;
  uploadTime?: string;
  yanked: boolean | string;
}

export interface HistoryInput {
  name: string;
  version: string;
  files: HistoryFile[];
  /** PEP 700 `versions` (may be empty on HTML pages: then the files' versions are used). */
  versions: string[];
  now: Date;
}

export interface HistoryOptions {
  /** A project first published fewer days ago than this is new. */
  newProjectDays?: number;
  /** This version uploaded fewer hours ago than this is fresh. */
  freshUploadHours?: number;
  /** A major version at least this far above the previous highest is a jump. */
  majorJump?: number;
}

const DAY_MS = 24 * 3600 * 1000;

export function historySignals(input: HistoryInput, options: HistoryOptions = {}): Signal[] {
  const newProjectDays = options.newProjectDays ?? 30;
  const freshUploadHours = options.freshUploadHours ?? 24;
  const majorJump = options.majorJump ?? 10;
  const signals: Signal[] = [];
  const label = `${input.name} ${input.version}`;
  const fileVersions = input.files.map((f) => f.version).filter((v): v is string => v !== null);
  const allVersions = uniqueVersions([...input.versions, ...fileVersions]);
  // pip's rule: `==1.0` is also served by `1.0+local` files, so those are this release's files too.
  const ownFiles = input.files.filter((f) => f.version !== null && matchesPin(f.version, input.version));

  if (ownFiles.length === 0) {
    const listed = allVersions.some((v) => matchesPin(v, input.version));
    signals.push({
      id: 'release-missing',
      severity: 'medium',
      message: listed
        ? `${label}: the index lists this version but serves no file for it (removed files?)`
        : `${label}: the pinned release is not on the index (removed? the index deletes malware it finds)`,
    });
  } else if (ownFiles.every((f) => f.yanked !== false)) {
    const reasons = [
      ...new Set(ownFiles.map((f) => f.yanked).filter((r): r is string => typeof r === 'string')),
    ];
    signals.push({
      id: 'release-yanked',
      severity: 'medium',
      message: `${label}: the release is yanked` + (reasons.length ? ` (reason: ${reasons.join('; ')})` : ''),
    });
  }

  const firstUpload = earliest(input.files);
  if (firstUpload !== null) {
    const ageDays = (input.now.getTime() - firstUpload.getTime()) / DAY_MS;
    if (ageDays < newProjectDays) {
      signals.push({
        id: 'new-project',
        severity: ageDays < 2 ? 'medium' : 'low',
        message: `${input.name}: project first published ${describeAge(ageDays)} ago (${firstUpload.toISOString()})`,
      });
    }
  }
  const ownUpload = earliest(ownFiles);
  if (ownUpload !== null) {
    const ageHours = (input.now.getTime() - ownUpload.getTime()) / 3600_000;
    if (ageHours < freshUploadHours) {
      signals.push({
        id: 'fresh-upload',
        severity: 'medium',
        message: `${label}: uploaded ${describeAge(ageHours / 24)} ago (${ownUpload.toISOString()})`,
      });
    }
  }

  const jump = versionJump(input.version, allVersions, majorJump);
  if (jump) signals.push({ id: 'version-jump', severity: 'medium', message: `${label}: ${jump}` });

  if (allVersions.length === 1 && sameVersion(allVersions[0]!, input.version)) {
    signals.push({
      id: 'single-release',
      severity: 'low',
      message: `${input.name}: this is the only release ever`,
    });
  }
  return signals;
}

function sameVersion(a: string, b: string): boolean {
  return valid(a) && valid(b) ? compare(a, b) === 0 : a === b;
}

/** Versions without PEP 440 duplicates, in first-seen order; keyed, so linear in the count (thousands). */
function uniqueVersions(versions: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of versions) {
    const key = versionKey(v);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** The first upload, or null when any file's time is unknown (then the first upload is unknown too). */
function earliest(files: HistoryFile[]): Date | null {
  let best: Date | null = null;
  for (const file of files) {
    const when = file.uploadTime ? new Date(file.uploadTime) : null;
    if (when === null || Number.isNaN(when.getTime())) return null;
    if (best === null || when < best) best = when;
  }
  return best;
}

function describeAge(days: number): string {
  if (days < 0) return 'in the future';
  if (days < 1) return `${Math.max(1, Math.round(days * 24))} hour(s)`;
  return `${Math.round(days)} day(s)`;
}

const major = (version: string): number | null => {
  const release = explain(version)?.release;
  return release && release.length > 0 ? release[0]! : null;
};

// Calendar versions (2024.1) are an honest switch from 0.x/1.x, not a jump.
const isCalendar = (m: number): boolean => m >= 1990 && m <= 2200;

/** "99.0.0 after at most 1.4.2": the dependency-confusion pattern of a public upload outbidding a private one. */
function versionJump(version: string, versions: string[], minJump: number): string | null {
  const current = valid(version) ? major(version) : null;
  if (current === null || isCalendar(current)) return null;
  const earlier = versions.filter((v) => valid(v) && compare(v, version) < 0);
  if (earlier.length === 0) {
    return current >= 50
      ? `first release is already major version ${current} (dependency-confusion style)`
      : null;
  }
  const highest = earlier.sort(compare).at(-1)!;
  const previous = major(highest)!;
  if (isCalendar(previous)) return null;
  if (current - previous >= minJump && current >= 2 * previous + 2) {
    return `version jumps far above the previous ones (${highest} -> ${version}, dependency-confusion style)`;
  }
  return null;
}
