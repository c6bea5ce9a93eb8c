import { DataError, InvalidArgumentError } from '../errors/errors.js';
import type { NgramTable } from './hashed-counts.js';
import { checkSavedRuns } from './saved-runs.js';

/** Numbers per n-gram slot: its key, its check, where its run of languages starts, and how many. */
const SLOT = 4;
/** Numbers per run entry: the string's count as an n-gram, as a history, and its distinct next characters. */
const ENTRY = 3;
/** Runs shorter than this are scanned; longer ones binary-searched (per language) or merged (for many). */
const SCAN = 8;
/**
 * Runs of at least this many languages also get a table by language (entry or −1): the short
 * n-grams most languages share are read at every character, and a search per language in a run
 * of hundreds was the bulk of a mixture fit's time.
 */
const DENSE_RUN = 48;

/**
 * Every bank language's n-gram counts in one index: an open-addressing table of the n-grams of any
 * language, each pointing at a run of (language, counts) entries sorted by language. Reading one
 * character under ten or three hundred languages then costs one table lookup per n-gram length
 * (a likely cache miss) and a search in a short contiguous run, where a table per language cost
 * a cache miss per language and length: the bank's mixture fit and a 100-way episode's queries
 * read the same position under many languages.
 */
export class BankIndex {
  private slots!: Uint32Array;
  private mask!: number;
  /** Each entry's language, apart from its counts: a search reads a run's languages only. */
  private langs!: Uint16Array;
  private entries!: Uint32Array;
  /** Slot of a long run → where its table by language starts in `byLanguage`. */
  private readonly dense = new Map<number, number>();
  private readonly byLanguage: Int32Array;
  /** Languages the index was built for (its language numbers are below this). */
  readonly languages: number;

  /** From the count tables of languages 0, 1, … (they can be dropped afterwards), or from saved parts. */
  constructor(tables: readonly NgramTable[] | BankIndexParts) {
    if (!Array.isArray(tables)) {
      const parts = checkedParts(tables as BankIndexParts);
      this.slots = parts.slots;
      this.mask = parts.slots.length / SLOT - 1;
      this.langs = parts.langs;
      this.entries = parts.entries;
      this.languages = parts.languages;
      this.byLanguage = this.denseTables(parts.languages);
      return;
    }
    this.byLanguage = this.build(tables as readonly NgramTable[]);
    this.languages = tables.length;
  }

  /** The arrays that hold the index (shared, not copied): enough to make it again (BankIndex(parts)). */
  parts(): BankIndexParts {
    return { slots: this.slots, langs: this.langs, entries: this.entries, languages: this.languages };
  }

  /** Builds slots, runs and entries from the count tables; returns the dense tables by language. */
  private build(tables: readonly NgramTable[]): Int32Array {
    if (tables.length > 0xffff)
      throw new InvalidArgumentError(`a bank holds at most 65535 languages, got ${tables.length}`);
    // first pass: the distinct n-grams and how many languages hold each
    let distinctKeys = 0;
    let pairs = 0;
    for (const t of tables) pairs += t.size;
    let size = 4;
    while (size < pairs * 2) size *= 2;
    let slots = new Uint32Array(size * SLOT);
    let mask = size - 1;
    for (const t of tables)
      t.forEach((key, check) => {
        let s = key & mask;
        while (slots[s * SLOT] !== 0 && (slots[s * SLOT] !== key || slots[s * SLOT + 1] !== check))
          s = (s + 1) & mask;
        if (slots[s * SLOT] === 0) {
          slots[s * SLOT] = key;
          slots[s * SLOT + 1] = check;
          distinctKeys++;
        }
        slots[s * SLOT + 3]++;
      });
    // the table sized for the distinct n-grams (at most half full), runs laid out in slot order
    size = 4;
    while (size < distinctKeys * 2) size *= 2;
    const sized = new Uint32Array(size * SLOT);
    const sizedMask = size - 1;
    let start = 0;
    for (let at = 0; at < slots.length; at += SLOT) {
      const key = slots[at];
      if (key === 0) continue;
      let s = key & sizedMask;
      while (sized[s * SLOT] !== 0) s = (s + 1) & sizedMask;
      sized[s * SLOT] = key;
      sized[s * SLOT + 1] = slots[at + 1];
      sized[s * SLOT + 2] = start;
      start += slots[at + 3];
    }
    slots = sized;
    mask = sizedMask;
    this.slots = slots;
    this.mask = mask;
    // second pass: languages in increasing order, so every run is sorted by language
    this.langs = new Uint16Array(pairs);
    this.entries = new Uint32Array(pairs * ENTRY);
    const filled = new Uint32Array(size);
    tables.forEach((t, lang) =>
      t.forEach((key, check, count, total, distinct) => {
        const s = this.find(key, check);
        const e = slots[s * SLOT + 2] + filled[s]++;
        this.langs[e] = lang;
        this.entries[e * ENTRY] = count;
        this.entries[e * ENTRY + 1] = total;
        this.entries[e * ENTRY + 2] = distinct;
      }),
    );
    for (let s = 0; s < size; s++) slots[s * SLOT + 3] = filled[s];
    return this.denseTables(tables.length);
  }

  /** The tables by language of the runs of DENSE_RUN languages or more, in slot order. */
  private denseTables(languages: number): Int32Array {
    const { slots } = this;
    for (let s = 0; s < slots.length / SLOT; s++)
      if (slots[s * SLOT + 3] >= DENSE_RUN) this.dense.set(s, this.dense.size * languages);
    const byLanguage = new Int32Array(this.dense.size * languages).fill(-1);
    for (const [s, at] of this.dense) {
      const start = slots[s * SLOT + 2];
      for (let e = start; e < start + slots[s * SLOT + 3]; e++) byLanguage[at + this.langs[e]] = e;
    }
    return byLanguage;
  }

  /** The slot of the n-gram with key `key` (from keyOf) and `check` (from checkOf), or −1. */
  find(key: number, check: number): number {
    const { slots, mask } = this;
    let s = key & mask;
    for (;;) {
      const k = slots[s * SLOT];
      if (k === key && slots[s * SLOT + 1] === check) return s;
      if (k === 0) return -1;
      s = (s + 1) & mask;
    }
  }

  /** The entry of language `lang` in slot s's run, or −1 (also for s −1). */
  search(s: number, lang: number): number {
    if (s < 0) return -1;
    const { langs } = this;
    let lo = this.slots[s * SLOT + 2];
    let hi = lo + this.slots[s * SLOT + 3];
    while (hi - lo > SCAN) {
      const mid = (lo + hi) >>> 1;
      const l = langs[mid];
      if (l === lang) return mid;
      if (l < lang) lo = mid + 1;
      else hi = mid;
    }
    for (let e = lo; e < hi; e++) {
      const l = langs[e];
      if (l === lang) return e;
      if (l > lang) return -1;
    }
    return -1;
  }

  /**
   * out[at + a] ← the entry of langs[a] in slot s's run, or −1; `langs` sorted ascending. A run
   * much longer than the list is searched per language, otherwise the two are merged.
   */
  locate(s: number, langs: Int32Array, out: Int32Array, at = 0): void {
    if (s < 0) {
      for (let a = 0; a < langs.length; a++) out[at + a] = -1;
      return;
    }
    const start = this.slots[s * SLOT + 2];
    const end = start + this.slots[s * SLOT + 3];
    if (end - start >= DENSE_RUN) {
      const table = this.dense.get(s)!;
      for (let a = 0; a < langs.length; a++) out[at + a] = this.byLanguage[table + langs[a]];
      return;
    }
    if (end - start > langs.length * 4) {
      for (let a = 0; a < langs.length; a++) out[at + a] = this.search(s, langs[a]);
      return;
    }
    const held = this.langs;
    let e = start;
    for (let a = 0; a < langs.length; a++) {
      const lang = langs[a];
      while (e < end && held[e] < lang) e++;
      out[at + a] = e < end && held[e] === lang ? e : -1;
    }
  }

  /** Times entry e's string was seen as an n-gram in its language. */
  count(e: number): number {
    return this.entries[e * ENTRY];
  }

  /** Characters seen after entry e's string in its language. */
  total(e: number): number {
    return this.entries[e * ENTRY + 1];
  }

  /** Distinct characters seen after entry e's string in its language. */
  distinct(e: number): number {
    return this.entries[e * ENTRY + 2];
  }

  /** Bytes of its arrays. */
  get bytes(): number {
    return (
      this.slots.byteLength + this.langs.byteLength + this.entries.byteLength + this.byLanguage.byteLength
    );
  }
}

/** The arrays of a BankIndex (see BankIndex.parts), for saving one and making it again. */
export interface BankIndexParts {
  /** [key, check, run start, run length] per slot; a power of two of slots. */
  slots: Uint32Array;
  /** Each entry's language. */
  langs: Uint16Array;
  /** [count, history total, distinct] per entry. */
  entries: Uint32Array;
  /** Languages the index was built for. */
  languages: number;
}

/** Parts whose sizes agree and whose runs stay inside the entries; otherwise a DataError. */
function checkedParts(p: BankIndexParts): BankIndexParts {
  checkSavedRuns({ what: 'index', stride: SLOT, runAt: 2, ...p });
  if (p.entries.length !== p.langs.length * ENTRY)
    throw new DataError(
      `language bank index: ${p.entries.length} entry numbers for ${p.langs.length} entries`,
    );
  return p;
}
