import { extendLeft, HASH_SEED, keyHash, keyOf } from './hashed-counts.js';
import { DataError } from '../errors/errors.js';
import type { Profile } from './ngram-profile.js';
import { checkSavedRuns } from './saved-runs.js';

/** Numbers per slot: the trigram's key, where its postings start, and how many. */
const SLOT = 3;

/**
 * Trigram → the languages whose profile holds it, with its weight there (each profile scaled to
 * unit length), in typed arrays looked up by the trigram's hash: finding a paragraph's nearest
 * bank languages is one lookup per distinct trigram of the paragraph and a walk along its postings.
 */
export class TrigramPostings {
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly langs: Uint16Array;
  private readonly weights: Float64Array;
  readonly languages: number;

  /** From each language's trigram profile (see ngramProfile; at most 65535 languages), or from saved parts. */
  constructor(profiles: readonly Profile[] | TrigramPostingsParts) {
    if (!Array.isArray(profiles)) {
      const p = checkedParts(profiles as TrigramPostingsParts);
      this.languages = p.languages;
      this.slots = p.slots;
      this.mask = p.slots.length / SLOT - 1;
      this.langs = p.langs;
      this.weights = p.weights;
      return;
    }
    this.languages = profiles.length;
    const runs = new Map<number, { langs: number[]; weights: number[] }>();
    profiles.forEach((p, j) => {
      if (p.norm === 0) return;
      for (const [g, w] of p.weights) {
        const key = keyHash(g);
        let run = runs.get(key);
        if (!run) runs.set(key, (run = { langs: [], weights: [] }));
        run.langs.push(j);
        run.weights.push(w / p.norm);
      }
    });
    let size = 4;
    while (size < runs.size * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Uint32Array(size * SLOT);
    let total = 0;
    for (const run of runs.values()) total += run.langs.length;
    this.langs = new Uint16Array(total);
    this.weights = new Float64Array(total);
    let start = 0;
    for (const [key, run] of runs) {
      let s = key & this.mask;
      while (this.slots[s * SLOT] !== 0) s = (s + 1) & this.mask;
      this.slots.set([key, start, run.langs.length], s * SLOT);
      this.langs.set(run.langs, start);
      this.weights.set(run.weights, start);
      start += run.langs.length;
    }
  }

  /**
   * Each language's cosine with the trigram counts of `texts` (lower-cased, padded with a space
   * at each end, by code point, as ngramProfile counts them); 0 for a text without trigrams.
   */
  scores(texts: readonly string[]): Float64Array {
    const counts = new Map<number, number>();
    for (const text of texts) {
      const cps = Array.from(` ${text.toLowerCase()} `);
      for (let i = 2; i < cps.length; i++) {
        const key = keyOf(extendLeft(extendLeft(extendLeft(HASH_SEED, cps[i]), cps[i - 1]), cps[i - 2]));
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const score = new Float64Array(this.languages);
    const { slots, mask, langs, weights } = this;
    let norm = 0;
    for (const w of counts.values()) norm += w * w;
    if (norm === 0) return score;
    norm = Math.sqrt(norm);
    for (const [key, w] of counts) {
      let s = key & mask;
      while (slots[s * SLOT] !== 0 && slots[s * SLOT] !== key) s = (s + 1) & mask;
      if (slots[s * SLOT] === 0) continue;
      const end = slots[s * SLOT + 1] + slots[s * SLOT + 2];
      for (let e = slots[s * SLOT + 1]; e < end; e++) score[langs[e]] += (w / norm) * weights[e];
    }
    return score;
  }

  /** The arrays that hold the postings (shared, not copied): enough to make them again. */
  parts(): TrigramPostingsParts {
    const { slots, langs, weights, languages } = this;
    return { slots, langs, weights, languages };
  }

  /** Bytes of its arrays. */
  get bytes(): number {
    return this.slots.byteLength + this.langs.byteLength + this.weights.byteLength;
  }
}

/** The arrays of TrigramPostings (see TrigramPostings.parts). */
export interface TrigramPostingsParts {
  /** [key, postings start, count] per slot; a power of two of slots. */
  slots: Uint32Array;
  langs: Uint16Array;
  weights: Float64Array;
  languages: number;
}

/** Parts whose sizes agree and whose postings stay inside the list; otherwise a DataError. */
function checkedParts(p: TrigramPostingsParts): TrigramPostingsParts {
  checkSavedRuns({ what: 'postings', stride: SLOT, runAt: 1, ...p });
  if (p.weights.length !== p.langs.length)
    throw new DataError(`language bank postings: ${p.weights.length} weights for ${p.langs.length} postings`);
  return p;
}
