/**
 * Character n-gram counts looked up by two independent 32-bit hashes of the n-gram (a key that
 * picks the slot and a check), in one typed array (open addressing, linear probing). The language
 * bank holds millions of n-gram counts and looks each query character up in many languages:
 * string-keyed Maps took about 300 MiB for the 330 UDHR training languages and were the bulk of
 * an adaptation's time. With one 32-bit hash, a query n-gram no language has would match one of
 * the bank's two million others about once in 2,000 lookups (2 million keys among 2^32 hashes);
 * two strings now share an entry only if both hashes collide.
 */

/** The hash of the empty string (FNV-1a's offset basis). */
export const HASH_SEED = 0x811c9dc5;

/**
 * The hash of `c + s` from the hash `h` of s: FNV-1a over the code units from the last to the
 * first. Strings are hashed from their end so that the n-grams ending at one character, longest
 * last, each cost one step from the one before, with no string built.
 */
export function extendLeft(h: number, c: string): number {
  for (let u = c.length - 1; u >= 0; u--) {
    h ^= c.charCodeAt(u);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/**
 * The table key of a hash: mixed so that its low bits (a table's slot) depend on every bit (FNV's
 * low bits depend only on the input's low bits, and linear probing clustered on them), never 0
 * (0 marks an empty slot).
 */
export function keyOf(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0 || 1;
}

/** The table key of a string. */
export function keyHash(s: string): number {
  return keyOf(extendLeft(HASH_SEED, s));
}

/** The second hash's state for the empty string. */
export const CHECK_SEED = 0x9e3779b9;

/** The second hash of `c + s` from that of s: the same walk as extendLeft with another multiplier. */
export function extendCheck(h: number, c: string): number {
  for (let u = c.length - 1; u >= 0; u--) {
    h ^= c.charCodeAt(u);
    h = Math.imul(h, 0x2e5bf271);
  }
  return h;
}

/** The check of a second-hash state, mixed with other constants than keyOf. */
export function checkOf(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

/** The check of a string. */
export function checkHash(s: string): number {
  return checkOf(extendCheck(CHECK_SEED, s));
}

/** Numbers per slot: the key, the check, the string's count as an n-gram, as a history, and its distinct next characters. */
const STRIDE = 5;

/**
 * Every n-gram of a text and every history (the characters before one) share a table: the history
 * of k characters before ch[i] is the n-gram of k characters ending at ch[i − 1], so a reader
 * walking a text finds a position's histories in the slots it found one position earlier. A
 * slot's key and counts sit side by side, so a lookup that finds its key usually reads one cache
 * line: the bank's tables are megabytes, and its lookups miss the cache.
 */
export class NgramTable {
  private data: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = 16) {
    let size = 4;
    while (size < capacity) size *= 2;
    this.mask = size - 1;
    this.data = new Uint32Array(size * STRIDE);
  }

  /** Counts one occurrence of an n-gram (its key and check) after a history (its key and check). */
  add(gram: number, gramCheck: number, history: number, historyCheck: number): void {
    const g = this.slotFor(gram, gramCheck) * STRIDE;
    const first = this.data[g + 2] === 0;
    this.data[g + 2]++;
    // looked up after the n-gram's update: inserting the history may move every slot
    const h = this.slotFor(history, historyCheck) * STRIDE;
    this.data[h + 3]++;
    // a new next character adds one to the history's distinct count
    if (first) this.data[h + 4]++;
  }

  /** The slot holding `key` (from keyOf) with `check` (from checkOf), or −1. */
  find(key: number, check: number): number {
    const { data, mask } = this;
    let s = key & mask;
    for (;;) {
      const k = data[s * STRIDE];
      if (k === key && data[s * STRIDE + 1] === check) return s;
      if (k === 0) return -1;
      s = (s + 1) & mask;
    }
  }

  /** Times slot s's string was seen as an n-gram. */
  count(s: number): number {
    return this.data[s * STRIDE + 2];
  }

  /** Characters seen after slot s's string (as a history). */
  total(s: number): number {
    return this.data[s * STRIDE + 3];
  }

  /** Distinct characters seen after slot s's string. */
  distinct(s: number): number {
    return this.data[s * STRIDE + 4];
  }

  /** Strings held. */
  get size(): number {
    return this.used;
  }

  /** Bytes of its array. */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Calls `fn` with every string's key, check and counts (in slot order). */
  forEach(fn: (key: number, check: number, count: number, total: number, distinct: number) => void): void {
    const { data } = this;
    for (let at = 0; at < data.length; at += STRIDE)
      if (data[at] !== 0) fn(data[at], data[at + 1], data[at + 2], data[at + 3], data[at + 4]);
  }

  /** Rehashed into the smallest table at most half full, once counting is done. */
  compact(): void {
    let size = 4;
    while (size < this.used * 2) size *= 2;
    if (size <= this.mask) this.rehash(size);
  }

  private slotFor(key: number, check: number): number {
    let s = this.find(key, check);
    if (s >= 0) return s;
    // at most half full: probes stay short
    if ((this.used + 1) * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
    const { data, mask } = this;
    s = key & mask;
    while (data[s * STRIDE] !== 0) s = (s + 1) & mask;
    data[s * STRIDE] = key;
    data[s * STRIDE + 1] = check;
    this.used++;
    return s;
  }

  private rehash(size: number): void {
    const old = this.data;
    this.data = new Uint32Array(size * STRIDE);
    this.mask = size - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      const key = old[at];
      if (key === 0) continue;
      let s = key & this.mask;
      while (this.data[s * STRIDE] !== 0) s = (s + 1) & this.mask;
      this.data.set(old.subarray(at, at + STRIDE), s * STRIDE);
    }
  }
}

/**
 * Counts of every n-gram of length 1..order of the texts (split by charLmText), and of their
 * histories; `compact` sizes the table to its content (a bank's, kept) rather than to the texts
 * (an episode's, soon dropped).
 */
export function ngramCounts(
  texts: readonly (readonly string[])[],
  order: number,
  compact = true,
): NgramTable {
  // sized for every n-gram distinct (at most half full): a paragraph's table never grows
  let chars = 0;
  for (const ch of texts) chars += ch.length;
  const table = new NgramTable(compact ? 1 << 12 : 2 * chars * order);
  for (const ch of texts) {
    // the leading space is context only: it starts every text, so predicting it says nothing
    for (let i = 1; i < ch.length; i++) {
      let g = extendLeft(HASH_SEED, ch[i]);
      let gc = extendCheck(CHECK_SEED, ch[i]);
      let h = HASH_SEED;
      let hc = CHECK_SEED;
      for (let k = 0; k < order && k <= i; k++) {
        if (k > 0) {
          h = extendLeft(h, ch[i - k]);
          g = extendLeft(g, ch[i - k]);
          hc = extendCheck(hc, ch[i - k]);
          gc = extendCheck(gc, ch[i - k]);
        }
        table.add(keyOf(g), checkOf(gc), keyOf(h), checkOf(hc));
      }
    }
  }
  if (compact) table.compact();
  return table;
}
