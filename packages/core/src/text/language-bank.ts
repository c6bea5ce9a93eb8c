import { InvalidArgumentError } from '../errors/errors.js';
import { charLmText } from './char-lm.js';
import { HashedCounts, keyHash } from './hashed-counts.js';
import { ngramProfile } from './ngram-profile.js';
import type { TextClass } from './text-types.js';

/** A language the bank keeps: its label (an ISO 639-3 code for the UDHR corpus) and its text. */
export interface BankLanguage {
  label: string;
  texts: readonly string[];
}

/**
 * Trigrams kept per bank language for finding its neighbours: its 400 most frequent, as the
 * confusable episodes' neighbour ranking keeps (on 5-way confusable episodes of the calibration
 * languages, neighbours found this way gave the same accuracy as from whole profiles).
 */
const PROFILE_TOP = 400;

/**
 * Characters of a support text the mixture shares are fitted on: on 5-way confusable episodes of
 * the calibration languages 200 scored as whole paragraphs did (100 lost 0.25 points), at less
 * than half the cost.
 */
const FIT_CHARS = 200;

/** One language's counts: n-gram → count, history → [total, distinct next characters]. */
interface BankModel {
  grams: HashedCounts;
  histories: HashedCounts;
}

/**
 * Character n-gram counts of every language a model was trained on, from all of its text. A
 * language seen from one support paragraph borrows them as a prior: the paragraph's nearest bank
 * languages (by character-trigram profile) are usually its relatives, whose whole text knows the
 * words and endings one paragraph lacks. Plain JavaScript, so it runs in browsers.
 */
export class LanguageBank {
  readonly labels: readonly string[];
  readonly order: number;
  private readonly models: BankModel[];
  /** trigram → the bank languages whose profile holds it, with its weight there (unit-length profiles). */
  private readonly postings = new Map<string, { langs: number[]; weights: number[] }>();

  constructor(languages: readonly BankLanguage[], order: number) {
    if (!Number.isInteger(order) || order < 1 || order > 16)
      throw new InvalidArgumentError(`the bank's n-gram order must be an integer from 1 to 16, got ${order}`);
    if (languages.length === 0) throw new InvalidArgumentError('a language bank needs at least one language');
    this.order = order;
    this.labels = languages.map((l) => l.label);
    this.models = languages.map((l) => countsOf(l.texts, order));
    languages.forEach((l, j) => {
      const p = ngramProfile(
        l.texts.map((t) => t.toLowerCase()),
        3,
        PROFILE_TOP,
      );
      if (p.norm === 0) return;
      for (const [g, w] of p.weights) {
        let post = this.postings.get(g);
        if (!post) this.postings.set(g, (post = { langs: [], weights: [] }));
        post.langs.push(j);
        post.weights.push(w / p.norm);
      }
    });
  }

  /** A bank of corpus classes (every paragraph of every article). */
  static ofClasses(classes: readonly TextClass[], order: number): LanguageBank {
    return new LanguageBank(
      classes.map((c) => ({ label: c.label, texts: c.articles.flat() })),
      order,
    );
  }

  get size(): number {
    return this.models.length;
  }

  /**
   * The `k` bank languages whose trigram profiles are nearest (cosine) to that of `texts`,
   * nearest first; labels in `exclude` are passed over (training leaves an episode's own
   * languages out, so a class never borrows its own whole text).
   */
  nearest(texts: readonly string[], k: number, exclude?: ReadonlySet<string>): number[] {
    const p = ngramProfile(
      texts.map((t) => t.toLowerCase()),
      3,
    );
    const score = new Float64Array(this.models.length);
    for (const [g, w] of p.weights) {
      const post = this.postings.get(g);
      if (!post) continue;
      for (let i = 0; i < post.langs.length; i++) score[post.langs[i]] += w * post.weights[i];
    }
    const order = [...score.keys()].filter((j) => !exclude?.has(this.labels[j]));
    // ties (no shared trigram at all) go to the lower index, so the choice never depends on sorting
    order.sort((a, b) => score[b] - score[a] || a - b);
    return order.slice(0, k);
  }

  /**
   * Mixture weights over bank languages `langs` that make their models' mixture predict `texts`
   * best (maximum likelihood, `iterations` EM steps from equal weights; the first FIT_CHARS
   * characters of the texts are enough), each character scored
   * as CharLms scores a query: Witten–Bell of the given order from `floor(x)`. A paragraph of a
   * language the bank lacks is usually best explained by a few relatives in different shares.
   */
  fitMixture(
    langs: readonly number[],
    texts: readonly string[],
    order: number,
    beta: number,
    floor: (x: string) => number,
    iterations: number,
  ): Float64Array {
    const n = langs.length;
    const probs = new Float64Array(FIT_CHARS * n);
    let T = 0;
    const keys = bankKeys(order);
    const scratch = new Float64Array(order);
    let left = FIT_CHARS;
    for (const text of texts) {
      const ch = charLmText(text);
      for (let i = 1; i < ch.length && left > 0; i++, left--) {
        prepareKeys(ch, i, order, keys);
        const p0 = floor(ch[i]);
        for (let a = 0; a < n; a++) {
          this.conditional(langs[a], keys, order, beta, p0, scratch);
          probs[T * n + a] = scratch[order - 1];
        }
        T++;
      }
    }
    let w = new Float64Array(n).fill(1 / n);
    for (let it = 0; it < iterations && T > 0; it++) {
      const next = new Float64Array(n);
      for (let t = 0; t < T; t++) {
        let z = 0;
        for (let a = 0; a < n; a++) z += w[a] * probs[t * n + a];
        for (let a = 0; a < n; a++) next[a] += (w[a] * probs[t * n + a]) / (z * T);
      }
      w = next;
    }
    return w;
  }

  /**
   * Witten–Bell estimates of p(x | history) under bank language j for every history length
   * 0..levels−1, starting from `p0` (the episode's floor): out[at + k] uses histories of up to k
   * characters. `keys` are those of prepareKeys for x and its histories, shared by every bank
   * language: a string made once is hashed once, however many maps look it up.
   */
  conditional(
    j: number,
    keys: BankKeys,
    levels: number,
    beta: number,
    p0: number,
    out: Float64Array,
    at = 0,
  ): void {
    const { grams, histories } = this.models[j];
    let p = p0;
    let known = true;
    for (let k = 0; k < levels; k++) {
      const hh = keys.historyHashes[k];
      const s = known && hh !== 0 ? histories.find(hh) : -1;
      if (s < 0) known = false;
      else {
        const back = beta * histories.second(s);
        const g = grams.find(keys.gramHashes[k]);
        p = ((g < 0 ? 0 : grams.first(g)) + back * p) / (histories.first(s) + back);
      }
      out[at + k] = p;
    }
  }

  /** Bytes of the bank's count tables. */
  get bytes(): number {
    return this.models.reduce((t, m) => t + m.grams.bytes + m.histories.bytes, 0);
  }
}

/**
 * The lookup keys of one character: its histories of 0..order−1 characters and those with it
 * appended (for the episode's own models), and their hashes (for the bank's; 0: no history).
 */
export interface BankKeys {
  histories: (string | undefined)[];
  grams: (string | undefined)[];
  historyHashes: Uint32Array;
  gramHashes: Uint32Array;
}

/** Fills `keys` for ch[i] (histories past the text's start are undefined); `hashes` also hashes them. */
export function prepareKeys(
  ch: readonly string[],
  i: number,
  order: number,
  keys: BankKeys,
  hashes = true,
): void {
  const x = ch[i];
  let h: string | undefined = '';
  for (let k = 0; k < order; k++) {
    if (k > 0) h = h !== undefined && k <= i ? ch[i - k] + h : undefined;
    keys.histories[k] = h;
    const g = h === undefined ? undefined : h + x;
    keys.grams[k] = g;
    if (hashes) {
      keys.historyHashes[k] = h === undefined ? 0 : keyHash(h);
      keys.gramHashes[k] = g === undefined ? 0 : keyHash(g);
    }
  }
}

/** Key arrays for prepareKeys. */
export function bankKeys(order: number): BankKeys {
  return {
    histories: new Array(order),
    grams: new Array(order),
    historyHashes: new Uint32Array(order),
    gramHashes: new Uint32Array(order),
  };
}

/** Counts of every n-gram of length 1..order of the texts (as char-lm sees them). */
function countsOf(texts: readonly string[], order: number): BankModel {
  const grams = new Map<string, number>();
  const histories = new Map<string, [number, number]>();
  for (const text of texts) {
    const ch = charLmText(text);
    for (let i = 1; i < ch.length; i++) {
      let h = '';
      for (let k = 0; k < order && k <= i; k++) {
        if (k > 0) h = ch[i - k] + h;
        const key = h + ch[i];
        const c = grams.get(key) ?? 0;
        grams.set(key, c + 1);
        let hs = histories.get(h);
        if (!hs) histories.set(h, (hs = [0, 0]));
        hs[0]++;
        // a new next character adds one to the history's distinct count
        if (c === 0) hs[1]++;
      }
    }
  }
  return { grams: new HashedCounts(grams), histories: new HashedCounts(histories) };
}
