/**
 * Counts looked up by a 32-bit hash of their key, in typed arrays (open addressing, linear
 * probing). The language bank holds millions of n-gram counts and looks each query character up
 * in many languages: string-keyed Maps took about 300 MiB for the 330 UDHR training languages and
 * were the bulk of an adaptation's time. Two keys whose hashes collide share one entry (their
 * counts add): with ~10^4 keys per table and 2^32 hashes that happens to a few keys in a million.
 */

/** 32-bit FNV-1a of a string's UTF-16 code units; never 0, which marks an empty slot. */
export function keyHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}

/**
 * Each slot's key and counts sit side by side in one array, so a lookup that finds its key
 * usually reads one cache line: the bank's tables are megabytes, and its lookups miss the cache.
 */
export class HashedCounts {
  private readonly data: Uint32Array;
  /** Numbers per slot: the key hash, then one or two counts. */
  private readonly stride: number;
  private readonly mask: number;

  /** From key → count, or key → [count, count]. */
  constructor(entries: ReadonlyMap<string, number | readonly [number, number]>) {
    let size = 4;
    while (size < entries.size * 2) size *= 2;
    this.mask = size - 1;
    const pairs = [...entries.values()].some((v) => typeof v !== 'number');
    this.stride = pairs ? 3 : 2;
    this.data = new Uint32Array(size * this.stride);
    for (const [key, value] of entries) {
      const h = keyHash(key);
      let s = h & this.mask;
      while (this.data[s * this.stride] !== 0 && this.data[s * this.stride] !== h) s = (s + 1) & this.mask;
      const at = s * this.stride;
      this.data[at] = h;
      if (typeof value === 'number') this.data[at + 1] += value;
      else {
        this.data[at + 1] += value[0];
        this.data[at + 2] += value[1];
      }
    }
  }

  /** The slot holding `hash` (from keyHash), or −1. */
  find(hash: number): number {
    const { data, stride, mask } = this;
    let s = hash & mask;
    for (;;) {
      const k = data[s * stride];
      if (k === hash) return s;
      if (k === 0) return -1;
      s = (s + 1) & mask;
    }
  }

  /** The first count of slot s (from find). */
  first(s: number): number {
    return this.data[s * this.stride + 1];
  }

  /** The second count of slot s, in a table of pairs. */
  second(s: number): number {
    return this.data[s * this.stride + 2];
  }

  /** Bytes of its array. */
  get bytes(): number {
    return this.data.byteLength;
  }
}
