// The paper's "textual characteristics": a hashed bag of tokens (identifiers, called names, imported
// modules, string-literal words, description words) for the text base learner. The hashing trick keeps the
// vocabulary fixed without shipping one; collisions are rare enough at this size and cost little.

/** Number of hash buckets; part of the model's contract (models/model.json records it). */
export const TOKEN_BUCKETS = 4096;
/** Counts per bucket are capped so one generated file cannot drown the rest. */
const MAX_COUNT = 50;

/** FNV-1a, 32-bit: tiny, fast and stable across platforms (hand-written: it is five lines). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isWordChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

export type TokenKind = 'id' | 'call' | 'mod' | 'str' | 'desc';

/** FNV-1a's state after `${kind}:`, so a token is hashed as that prefix and itself without building the string. */
const PREFIX_STATE: Record<TokenKind, number> = { id: 0, call: 0, mod: 0, str: 0, desc: 0 };
for (const kind of Object.keys(PREFIX_STATE) as TokenKind[]) {
  let hash = 0x811c9dc5;
  for (const c of `${kind}:`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193);
  PREFIX_STATE[kind] = hash;
}

export class TokenBag {
  /** Count per bucket (a typed array: a Map of bucket numbers cost more than hashing the token). */
  private readonly counts = new Uint32Array(TOKEN_BUCKETS);

  add(kind: TokenKind, token: string): void {
    if (token.length < 2 || token.length > 40) return;
    // fnv1a(`${kind}:${token}`), continued from the prefix's state.
    let hash = PREFIX_STATE[kind];
    for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
    const bucket = (hash >>> 0) % TOKEN_BUCKETS;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
  }

  /** Lower-cased words of 3..24 letters from free text (string literals, descriptions). */
  addWords(kind: TokenKind, text: string, maxChars = 2000): void {
    // The matches of /[A-Za-z][A-Za-z0-9_]{2,23}/g, scanned by hand: no match object per word (this runs
    // over every string literal of every file).
    const n = Math.min(text.length, maxChars);
    let i = 0;
    while (i < n) {
      if (!isLetter(text.charCodeAt(i))) {
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && end - i < 24 && isWordChar(text.charCodeAt(end))) end++;
      if (end - i >= 3) {
        this.add(kind, text.slice(i, end).toLowerCase());
        i = end;
      } else i++;
    }
  }

  toRecord(): Record<number, number> {
    const out: Record<number, number> = {};
    this.counts.forEach((count, bucket) => {
      if (count > 0) out[bucket] = Math.min(count, MAX_COUNT);
    });
    return out;
  }
}
