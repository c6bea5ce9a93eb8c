import { InvalidArgumentError } from '../errors/errors.js';
import { charLmText } from './char-lm.js';
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

/** One language's counts: n-gram → count, history → total · 2^20 + distinct next characters. */
interface BankModel {
  grams: Map<string, number>;
  histories: Map<string, number>;
}

// distinct next characters stay far below 2^20; totals times 2^20 stay exact in a double
const DISTINCT = 1_048_576;

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
   * Witten–Bell estimates of p(x | history) under bank language j for every history length
   * 0..levels−1, starting from `p0` (the episode's floor): out[k] uses histories of up to k
   * characters. `histories[k]` is the history of length k (undefined past the text's start).
   */
  conditional(
    j: number,
    x: string,
    histories: readonly (string | undefined)[],
    levels: number,
    beta: number,
    p0: number,
    out: Float64Array,
  ): void {
    const m = this.models[j];
    let p = p0;
    let known = true;
    for (let k = 0; k < levels; k++) {
      const h = histories[k];
      const packed = known && h !== undefined ? m.histories.get(h) : undefined;
      if (packed === undefined) known = false;
      else {
        const total = Math.floor(packed / DISTINCT);
        const back = beta * (packed % DISTINCT);
        p = ((m.grams.get(h + x) ?? 0) + back * p) / (total + back);
      }
      out[k] = p;
    }
  }
}

/** Counts of every n-gram of length 1..order of the texts (as char-lm sees them). */
function countsOf(texts: readonly string[], order: number): BankModel {
  const grams = new Map<string, number>();
  const histories = new Map<string, number>();
  for (const text of texts) {
    const ch = charLmText(text);
    for (let i = 1; i < ch.length; i++) {
      let h = '';
      for (let k = 0; k < order && k <= i; k++) {
        if (k > 0) h = ch[i - k] + h;
        const key = h + ch[i];
        const c = grams.get(key) ?? 0;
        grams.set(key, c + 1);
        // a new next character adds one to the history's distinct count
        histories.set(h, (histories.get(h) ?? 0) + DISTINCT + (c === 0 ? 1 : 0));
      }
    }
  }
  return { grams, histories };
}
