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

export class HashedCounts {
  private readonly keys: Uint32Array;
  /** The first count of each slot, and the second where the table holds pairs. */
  readonly first: Uint32Array;
  readonly second: Uint32Array;
  private readonly mask: number;

  /** From key → count, or key → [count, count]. */
  constructor(entries: ReadonlyMap<string, number | readonly [number, number]>) {
    let size = 4;
    while (size < entries.size * 2) size *= 2;
    this.mask = size - 1;
    this.keys = new Uint32Array(size);
    this.first = new Uint32Array(size);
    const pairs = [...entries.values()].some((v) => typeof v !== 'number');
    this.second = new Uint32Array(pairs ? size : 0);
    for (const [key, value] of entries) {
      const h = keyHash(key);
      let s = h & this.mask;
      while (this.keys[s] !== 0 && this.keys[s] !== h) s = (s + 1) & this.mask;
      this.keys[s] = h;
      if (typeof value === 'number') this.first[s] += value;
      else {
        this.first[s] += value[0];
        this.second[s] += value[1];
      }
    }
  }

  /** The slot holding `hash` (from keyHash), or −1. */
  find(hash: number): number {
    let s = hash & this.mask;
    for (;;) {
      const k = this.keys[s];
      if (k === hash) return s;
      if (k === 0) return -1;
      s = (s + 1) & this.mask;
    }
  }

  /** Bytes of its arrays. */
  get bytes(): number {
    return this.keys.byteLength + this.first.byteLength + this.second.byteLength;
  }
}
