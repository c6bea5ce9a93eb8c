import type { BankIndex } from './bank-index.js';
import { CHECK_SEED, checkOf, extendCheck, extendLeft, HASH_SEED, keyOf } from './hashed-counts.js';

/**
 * The table keys of one character: of its histories of 0..order−1 characters and of those with
 * it appended (0: the history reaches past the text's start), and the position they were made for.
 */
export interface BankKeys {
  historyKeys: Uint32Array;
  gramKeys: Uint32Array;
  historyChecks: Uint32Array;
  gramChecks: Uint32Array;
  /** The text and index prepareHashes last saw (a BankReader reuses its slots along a text). */
  ch?: readonly string[];
  i: number;
}

/** Fills the table keys of `keys` for ch[i]: each one step of a hash from the one before, no string built. */
export function prepareHashes(ch: readonly string[], i: number, order: number, keys: BankKeys): void {
  let g = extendLeft(HASH_SEED, ch[i]);
  let gc = extendCheck(CHECK_SEED, ch[i]);
  let h = HASH_SEED;
  let hc = CHECK_SEED;
  for (let k = 0; k < order; k++) {
    if (k > i) {
      keys.historyKeys[k] = 0;
      keys.gramKeys[k] = 0;
      continue;
    }
    if (k > 0) {
      h = extendLeft(h, ch[i - k]);
      g = extendLeft(g, ch[i - k]);
      hc = extendCheck(hc, ch[i - k]);
      gc = extendCheck(gc, ch[i - k]);
    }
    keys.historyKeys[k] = keyOf(h);
    keys.gramKeys[k] = keyOf(g);
    keys.historyChecks[k] = checkOf(hc);
    keys.gramChecks[k] = checkOf(gc);
  }
  keys.ch = ch;
  keys.i = i;
}

/** Key arrays for prepareHashes. */
export function bankKeys(order: number): BankKeys {
  return {
    historyKeys: new Uint32Array(order),
    gramKeys: new Uint32Array(order),
    historyChecks: new Uint32Array(order),
    gramChecks: new Uint32Array(order),
    i: -1,
  };
}

/**
 * Witten–Bell estimates under a fixed set of an index's languages (a bank's, or an episode's
 * classes), read along a text: called for ch[i] right after ch[i − 1] of the same text, it takes
 * each history from the n-grams it found one character earlier (the history of k characters
 * before ch[i] is the n-gram of k characters ending at ch[i − 1]), which halves the lookups, each
 * a likely cache miss.
 */
export class BankReader {
  private readonly index: BankIndex;
  /** The languages' numbers in ascending order, and where each one's estimates go in the output. */
  private readonly sorted: Int32Array;
  private readonly place: Int32Array;
  /** The empty history's slot, and each language's entry in it. */
  private readonly emptySlot: number;
  private readonly emptyEntries: Int32Array;
  /** N-gram slots [length − 1] and entries [length − 1, language] at the previous and the current character. */
  private prevSlots: Int32Array;
  private curSlots: Int32Array;
  private prevEntries: Int32Array;
  private curEntries: Int32Array;
  /** Scratch: history slots [length] and entries [length, language] when not the previous character's. */
  private readonly historySlots: Int32Array;
  private readonly historyEntries: Int32Array;
  private lastCh?: readonly string[];
  private lastI = -1;

  constructor(
    index: BankIndex,
    readonly langs: readonly number[],
    readonly order: number,
    private readonly beta: number,
  ) {
    this.index = index;
    const byLang = langs.map((j, a) => ({ j, a })).sort((x, y) => x.j - y.j);
    this.sorted = Int32Array.from(byLang, (x) => x.j);
    this.place = Int32Array.from(byLang, (x) => x.a);
    const n = langs.length;
    this.emptySlot = this.index.find(keyOf(HASH_SEED), checkOf(CHECK_SEED));
    this.emptyEntries = new Int32Array(n);
    this.index.locate(this.emptySlot, this.sorted, this.emptyEntries);
    this.prevSlots = new Int32Array(order);
    this.curSlots = new Int32Array(order);
    this.prevEntries = new Int32Array(order * n);
    this.curEntries = new Int32Array(order * n);
    this.historySlots = new Int32Array(order);
    this.historyEntries = new Int32Array(order * n);
  }

  /**
   * out[at + a · order + k] ← p(x | up to k characters before it) under language langs[a], from
   * `p0` (the episode's floor), for the character `keys` were prepared for (prepareHashes).
   */
  read(keys: BankKeys, p0: number, out: Float64Array, at = 0): void {
    const { order, beta, index, sorted, place, curSlots, curEntries, prevSlots, prevEntries } = this;
    const { historyEntries, historySlots } = this;
    const n = sorted.length;
    const follows = keys.ch !== undefined && keys.ch === this.lastCh && keys.i === this.lastI + 1;
    // every lookup of a length first, then every run, then the arithmetic: the lookups of one
    // phase do not wait on each other, so their cache misses overlap
    for (let k = 0; k < order; k++) {
      const hk = keys.historyKeys[k];
      const hs =
        k === 0
          ? this.emptySlot
          : hk === 0
            ? -1
            : follows
              ? prevSlots[k - 1]
              : index.find(hk, keys.historyChecks[k]);
      historySlots[k] = hs;
      // where no language has the history, none has a longer n-gram either
      curSlots[k] = hs < 0 ? -1 : index.find(keys.gramKeys[k], keys.gramChecks[k]);
    }
    for (let k = 0; k < order; k++) {
      index.locate(curSlots[k], sorted, curEntries, k * n);
      if (k > 0 && !follows) index.locate(historySlots[k], sorted, historyEntries, k * n);
    }
    const empty = this.emptyEntries;
    for (let b = 0; b < n; b++) {
      let p = p0;
      const o = at + place[b] * order;
      for (let k = 0; k < order; k++) {
        const h = k === 0 ? empty[b] : follows ? prevEntries[(k - 1) * n + b] : historyEntries[k * n + b];
        // a history never followed by a character keeps the lower order's estimate, as do longer ones
        if (h >= 0) {
          const total = index.total(h);
          if (total > 0) {
            const back = beta * index.distinct(h);
            const g = curEntries[k * n + b];
            p = ((g < 0 ? 0 : index.count(g)) + back * p) / (total + back);
          }
        }
        out[o + k] = p;
      }
    }
    this.prevSlots = curSlots;
    this.curSlots = prevSlots;
    this.prevEntries = curEntries;
    this.curEntries = prevEntries;
    this.lastCh = keys.ch;
    this.lastI = keys.i;
  }
}
