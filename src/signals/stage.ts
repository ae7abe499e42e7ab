// The signals stage as scan.ts calls it: signals(ref, previous) -> Signal[]. Everything it needs from the
// registry and the analysis stages is passed in, so tests run it on plain values and the action wires the
// real index client. OSV is asked once for the whole scan (prepare) and per package only as a fallback.
import type { Analysis, PackageRef, Signal } from '../types.js';
import { type HistoryFile, type HistoryOptions, historySignals } from './history.js';
import { type OsvOptions, type OsvRef, osvKey, queryOsv } from './osv.js';
import { bundledPopularNames, type PopularNames } from './popular.js';
import { findTyposquat, type TyposquatOptions } from './typosquat.js';
import { versionDiffSignals } from './version-diff.js';

export interface SignalsStageDeps {
  /**
   * The project's index page (PEP 700 files and versions) from the indexes the ref is locked to; a
   * rejection becomes a notice, not a failure.
   */
  getProject?(name: string, ref?: PackageRef): Promise<{ files: HistoryFile[]; versions: string[] }>;
  /** The analysis of one pinned release (the scan's own pipeline, cached by the caller). */
  analyze?(ref: PackageRef): Promise<Analysis>;
  now?: () => Date;
  /** false turns OSV off (input `osv`). */
  osv?: false | OsvOptions;
  popular?: PopularNames;
  typosquat?: false | TyposquatOptions;
  history?: HistoryOptions;
  /** A signal source that could not be used (OSV down, index page unreadable): shown, the scan goes on. */
  onNotice?(message: string): void;
}

export interface SignalsStage {
  /** One OSV batch for every pinned ref of the scan. */
  prepare(refs: PackageRef[]): Promise<void>;
  signals(ref: PackageRef, previous: PackageRef | undefined): Promise<Signal[]>;
}

const pinned = (ref: PackageRef | undefined): ref is PackageRef & { version: string } =>
  ref !== undefined &&
  ref.version !== null &&
  (ref.source === undefined || !['url', 'vcs', 'path'].includes(ref.source));

export function createSignalsStage(deps: SignalsStageDeps): SignalsStage {
  const osvSignals = new Map<string, Signal[]>();
  let osvDown = false;
  const notice = (message: string) => deps.onNotice?.(message);

  async function askOsv(refs: OsvRef[]): Promise<void> {
    if (deps.osv === false || osvDown || refs.length === 0) return;
    const result = await queryOsv(refs, deps.osv ?? {});
    if (result.status === 'unavailable') {
      osvDown = true;
      notice(`${result.error}; known-malware check skipped`);
      return;
    }
    for (const note of result.notes) notice(note);
    for (const [key, signals] of result.byPackage) osvSignals.set(key, signals);
  }

  return {
    async prepare(refs) {
      await askOsv(refs.filter(pinned).map((ref) => ({ name: ref.name, version: ref.version })));
    },

    async signals(ref, previous) {
      const out: Signal[] = [];
      if (pinned(ref)) {
        const key = osvKey({ name: ref.name, version: ref.version });
        if (!osvSignals.has(key)) await askOsv([{ name: ref.name, version: ref.version }]);
        out.push(...(osvSignals.get(key) ?? []));
      }
      if (deps.typosquat !== false) {
        const squat = findTyposquat(ref.name, deps.popular ?? bundledPopularNames(), deps.typosquat ?? {});
        if (squat) out.push(squat);
      }
      if (pinned(ref) && deps.getProject) {
        try {
          const page = await deps.getProject(ref.name, ref);
          const now = deps.now?.() ?? new Date();
          out.push(
            ...historySignals(
              { name: ref.name, version: ref.version, files: page.files, versions: page.versions, now },
              deps.history,
            ),
          );
        } catch (error) {
          notice(`${ref.name}: index history unavailable: ${(error as Error).message}`);
        }
      }
      if (pinned(ref) && pinned(previous) && previous.version !== ref.version && deps.analyze) {
        try {
          const [before, after] = await Promise.all([deps.analyze(previous), deps.analyze(ref)]);
          out.push(...versionDiffSignals(before, after, { from: previous.version, to: ref.version }));
        } catch (error) {
          notice(
            `${ref.name} ${previous.version} -> ${ref.version}: version diff unavailable: ${(error as Error).message}`,
          );
        }
      }
      return out;
    },
  };
}
