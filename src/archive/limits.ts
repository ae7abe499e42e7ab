// The reader's limits: what an archive may cost before reading stops. Each has a default and can be
// overridden per call; `resolveLimits` is the one place the defaults live.

export interface ArchiveLimits {
  /** Uncompressed bytes read in total (decompressed stream for tar, inflated entries for zip). */
  totalBytes: number;
  /** Uncompressed bytes per byte of input, across the whole archive. */
  ratio: number;
  /** Entries of any type (files, directories, links...). */
  entries: number;
  /** Bytes of one file kept for analysis; the rest is cut and the entry marked `truncated`. */
  fileBytes: number;
  /** Path components in one entry name. */
  depth: number;
}

export type LimitName = keyof ArchiveLimits;

export const DEFAULT_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  totalBytes: 256 * 1024 * 1024,
  ratio: 100,
  entries: 100_000,
  fileBytes: 5 * 1024 * 1024,
  depth: 64,
});

/**
 * The ratio is judged only once this many bytes were read: a tiny archive of repetitive text can pass
 * 100:1 honestly, and below this size a bomb costs nothing anyway.
 */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Defaults overlaid with the given overrides; rejects values that are not positive numbers. */
export function resolveLimits(overrides: Partial<ArchiveLimits> = {}): ArchiveLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides) as [LimitName, number | undefined][]) {
    if (value === undefined) continue;
    if (!(name in DEFAULT_LIMITS)) throw new TypeError(`unknown archive limit '${name}'`);
    if (typeof value !== 'number' || !(value > 0))
      throw new TypeError(`archive limit ${name} must be a positive number`);
    limits[name] = value;
  }
  return limits;
}
