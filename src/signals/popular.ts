// The bundled list of popular PyPI names (data/popular-names.json, built by scripts/build-popular-names.ts
// from the top-pypi TSV). Rank = position in `names` + 1.
import data from '../../data/popular-names.json' with { type: 'json' };
import { normalizeName } from '../names.js';

export interface PopularNamesFile {
  source: string;
  names: string[];
}

export interface PopularNames {
  /** Normalized name -> 1-based download rank. */
  rank: Map<string, number>;
  /** Names in rank order. */
  names: readonly string[];
}

/** Turns the TSV (header `rank<TAB>name`) into the committed JSON form; bad lines are returned, not dropped. */
export function buildPopularNames(
  tsv: string,
  source: string,
): { file: PopularNamesFile; problems: string[] } {
  const problems: string[] = [];
  const rows: { rank: number; name: string }[] = [];
  const seen = new Set<string>();
  const lines = tsv.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const [rankText, rawName] = line.split('\t');
    const rank = Number(rankText);
    if (!Number.isInteger(rank) || rank < 1 || !rawName) {
      problems.push(`${source}:${index + 1}: expected "<rank>\\t<name>", got ${JSON.stringify(line)}`);
      return;
    }
    const name = normalizeName(rawName.trim());
    if (seen.has(name)) {
      problems.push(`${source}:${index + 1}: duplicate name ${name}`);
      return;
    }
    seen.add(name);
    rows.push({ rank, name });
  });
  rows.sort((a, b) => a.rank - b.rank);
  return { file: { source, names: rows.map((row) => row.name) }, problems };
}

export function popularNamesFrom(file: PopularNamesFile): PopularNames {
  return { names: file.names, rank: new Map(file.names.map((name, index) => [name, index + 1])) };
}

let bundled: PopularNames | undefined;
/** The list shipped with the tool. */
export function bundledPopularNames(): PopularNames {
  bundled ??= popularNamesFrom(data as PopularNamesFile);
  return bundled;
}

/** The committed file's exact bytes: one line, so the diff of a rebuild stays small to read. */
export function serializePopularNames(file: PopularNamesFile): string {
  return `${JSON.stringify(file)}\n`;
}
