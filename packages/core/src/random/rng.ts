import { xoroshiro128plus } from 'pure-rand';

type Generator = ReturnType<typeof xoroshiro128plus>;

/** Serializable RNG state: four 32-bit words of xoroshiro128+. */
export type RngState = readonly number[];

/** Mixes a string label into a 32-bit seed (FNV-1a), so named streams are independent. */
export function hashSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed | 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // one avalanche round so nearby seeds give unrelated streams
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h | 0;
}

/**
 * Seedable random stream with state that can be saved and restored exactly.
 * All randomness in hypermeta (task sampling, noise, initial weights) flows through it,
 * so the same seed on the same backend gives the same numbers.
 */
export class Rng {
  private constructor(private gen: Generator) {}

  static fromSeed(seed: number, label = ''): Rng {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    return new Rng(xoroshiro128plus(label ? hashSeed(seed, label) : seed | 0));
  }

  static fromState(state: RngState): Rng {
    return new Rng(xoroshiro128plus.fromState([...state]));
  }

  state(): number[] {
    return [...this.gen.getState()];
  }

  /** A stream 2^64 draws ahead of this one: disjoint from it for any practical run length. */
  jumped(): Rng {
    return new Rng(this.gen.jump!());
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.gen.unsafeNext() >>> 5;
    const b = this.gen.unsafeNext() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller; the second value is dropped to keep the state simple). */
  normal(): number {
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }

  fill(n: number, draw: (r: Rng) => number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = draw(this);
    return out;
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k > items.length) throw new RangeError(`cannot sample ${k} of ${items.length} items`);
    return this.shuffle(items).slice(0, k);
  }
}
