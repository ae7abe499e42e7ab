// Typosquatting: does a name imitate a popular PyPI project? Hand-written: no maintained npm library
// checks PyPI names (the generic edit distance comes from fastest-levenshtein).
import { distance } from 'fastest-levenshtein';
import type { Severity, Signal } from '../types.js';
import { normalizeName } from '../names.js';
import type { PopularNames } from './popular.js';

export type TyposquatTechnique =
  | 'separator'
  | 'homoglyph'
  | 'py-affix'
  | 'swapped'
  | 'doubled'
  | 'dropped'
  | 'one-edit';

export interface TyposquatMatch {
  name: string;
  imitates: string;
  rank: number;
  technique: TyposquatTechnique;
}

export interface TyposquatOptions {
  /** Only the top `editRankLimit` names are targets for one-character edits (the long tail is too dense). */
  editRankLimit?: number;
  /** Shortest name (normalized, without separators) for one-character edits: short names collide by chance. */
  editMinLength?: number;
  /** Shortest imitated name for the separator, homoglyph and py-affix games. */
  gameMinLength?: number;
}

const DEFAULTS: Required<TyposquatOptions> = { editRankLimit: 5000, editMinLength: 5, gameMinLength: 4 };

const REVERSE_AFFIX_RANK_LIMIT = 1000;

const stripSeparators = (name: string): string => name.replace(/-/g, '');

// Characters that read alike collapse to one class: l/1/i/I, o/0, rn->m, vv->w, and 5/s, 3/e, 4/a.
export function homoglyphSkeleton(name: string): string {
  return stripSeparators(name)
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[1il|]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/5/g, 's')
    .replace(/3/g, 'e')
    .replace(/4/g, 'a');
}

// Only affixes glued to the name: "python-foo" / "foo-py" is the usual honest name of a binding or port
// (Debian names every Python package so; 663 of 2,287 Debian source names would match), "pyfoo" is not.
const AFFIXES = ['python3', 'python', 'py3', 'py'] as const;

interface Index {
  popular: PopularNames;
  bySeparatorFree: Map<string, string>;
  bySkeleton: Map<string, string>;
  /** Each edit target and every single-character deletion of it -> targets (symmetric-delete index). */
  byDeletion: Map<string, string[]>;
  options: Required<TyposquatOptions>;
}

const indexes = new WeakMap<PopularNames, Map<string, Index>>();

function keepBest(map: Map<string, string>, key: string, name: string, popular: PopularNames): void {
  const existing = map.get(key);
  if (existing === undefined || popular.rank.get(name)! < popular.rank.get(existing)!) map.set(key, name);
}

function buildIndex(popular: PopularNames, options: Required<TyposquatOptions>): Index {
  const bySeparatorFree = new Map<string, string>();
  const bySkeleton = new Map<string, string>();
  const byDeletion = new Map<string, string[]>();
  for (const name of popular.names) {
    const bare = stripSeparators(name);
    if (bare.length < options.gameMinLength) continue;
    keepBest(bySeparatorFree, bare, name, popular);
    keepBest(bySkeleton, homoglyphSkeleton(name), name, popular);
    if (popular.rank.get(name)! > options.editRankLimit || bare.length < options.editMinLength) continue;
    for (const key of new Set([bare, ...deletions(bare)])) {
      const list = byDeletion.get(key);
      if (list) list.push(name);
      else byDeletion.set(key, [name]);
    }
  }
  return { popular, bySeparatorFree, bySkeleton, byDeletion, options };
}

function getIndex(popular: PopularNames, options: Required<TyposquatOptions>): Index {
  const key = JSON.stringify(options);
  let perOptions = indexes.get(popular);
  if (!perOptions) {
    perOptions = new Map();
    indexes.set(popular, perOptions);
  }
  let index = perOptions.get(key);
  if (!index) {
    index = buildIndex(popular, options);
    perOptions.set(key, index);
  }
  return index;
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Names one typing slip apart, and how: swapped neighbours, a doubled or dropped character, one edit. */
function editTechnique(candidate: string, target: string): TyposquatTechnique | null {
  if (candidate === target) return null;
  if (candidate.length === target.length) {
    const diffs: number[] = [];
    for (let i = 0; i < candidate.length && diffs.length <= 2; i++) {
      if (candidate[i] !== target[i]) diffs.push(i);
    }
    if (
      diffs.length === 2 &&
      diffs[1] === diffs[0]! + 1 &&
      candidate[diffs[0]!] === target[diffs[1]!] &&
      candidate[diffs[1]!] === target[diffs[0]!]
    ) {
      return 'swapped';
    }
  }
  if (distance(candidate, target) !== 1) return null;
  if (candidate.length === target.length + 1) {
    const i = firstDifference(candidate, target);
    return candidate[i] === candidate[i - 1] || candidate[i] === candidate[i + 1] ? 'doubled' : 'one-edit';
  }
  if (candidate.length + 1 === target.length) return 'dropped';
  return 'one-edit';
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** All the popular names `name` imitates, best (lowest rank) first. Popular names themselves never match. */
export function findTyposquatMatches(
  name: string,
  popular: PopularNames,
  options: TyposquatOptions = {},
): TyposquatMatch[] {
  const normalized = normalizeName(name);
  if (popular.rank.has(normalized)) return [];
  const index = getIndex(popular, { ...DEFAULTS, ...options });
  const found = new Map<string, TyposquatMatch>();
  const add = (imitates: string | undefined, technique: TyposquatTechnique): void => {
    if (imitates === undefined || imitates === normalized || found.has(imitates)) return;
    found.set(imitates, { name: normalized, imitates, rank: popular.rank.get(imitates)!, technique });
  };
  const bare = stripSeparators(normalized);

  add(index.bySeparatorFree.get(bare), 'separator');
  add(index.bySkeleton.get(homoglyphSkeleton(normalized)), 'homoglyph');
  for (const rest of withoutAffixes(normalized)) add(lookupGame(index, rest), 'py-affix');
  // The popular name is this one with a py/python prefix or suffix (dateutil -> python-dateutil).
  // Only for the top names: many honest projects drop the python- of a less known binding's name.
  for (const affix of ['python-', 'python', 'py']) {
    for (const target of [lookupGame(index, affix + normalized), lookupGame(index, normalized + affix)]) {
      if (target !== undefined && popular.rank.get(target)! <= REVERSE_AFFIX_RANK_LIMIT)
        add(target, 'py-affix');
    }
  }
  for (const [target, technique] of editMatches(index, bare)) add(target, technique);
  // Two games at once: a py/python affix around a misspelt popular name (reqests-py).
  for (const rest of withoutAffixes(normalized)) {
    for (const [target] of editMatches(index, stripSeparators(rest))) add(target, 'py-affix');
  }
  return [...found.values()].sort((a, b) => a.rank - b.rank);
}

function editMatches(index: Index, bare: string): [string, TyposquatTechnique][] {
  if (bare.length < index.options.editMinLength) return [];
  const out: [string, TyposquatTechnique][] = [];
  for (const key of new Set([bare, ...deletions(bare)])) {
    for (const target of index.byDeletion.get(key) ?? []) {
      const technique = editTechnique(bare, stripSeparators(target));
      if (technique) out.push([target, technique]);
    }
  }
  return out;
}

function withoutAffixes(normalized: string): string[] {
  const out: string[] = [];
  for (const affix of AFFIXES) {
    const rest = normalized.slice(affix.length);
    if (normalized.startsWith(affix) && rest !== '' && !rest.startsWith('-')) out.push(rest);
    const head = normalized.slice(0, -affix.length);
    if (normalized.endsWith(affix) && head !== '' && !head.endsWith('-')) out.push(head);
  }
  return out;
}

function lookupGame(index: Index, rest: string): string | undefined {
  const trimmed = rest.replace(/^-+|-+$/g, '');
  if (stripSeparators(trimmed).length < index.options.gameMinLength) return undefined;
  return index.bySeparatorFree.get(stripSeparators(trimmed));
}

const TECHNIQUE_TEXT: Record<TyposquatTechnique, string> = {
  separator: 'the same letters with different separators',
  homoglyph: 'look-alike characters',
  'py-affix': 'a py/python prefix or suffix',
  swapped: 'two neighbouring characters swapped',
  doubled: 'a doubled character',
  dropped: 'a dropped character',
  'one-edit': 'one character changed',
};

/** A 'typosquat' signal naming the best-ranked package `name` imitates, or null. Never decisive. */
export function findTyposquat(
  name: string,
  popular: PopularNames,
  options: TyposquatOptions = {},
): Signal | null {
  const [best] = findTyposquatMatches(name, popular, options);
  if (!best) return null;
  // High (the policy's warning level) only for the top names, where a near-miss is rarely an accident.
  const severity: Severity = best.rank <= 1000 ? 'high' : 'medium';
  return {
    id: 'typosquat',
    severity,
    message:
      `name ${best.name} looks like the popular package ${best.imitates} (download rank ${best.rank}): ` +
      TECHNIQUE_TEXT[best.technique],
  };
}
