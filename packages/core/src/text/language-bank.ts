import { DataError, InvalidArgumentError } from '../errors/errors.js';
import { charLmText } from './lm-text.js';
import { BankIndex, type BankIndexParts } from './bank-index.js';
import { bankKeys, BankReader, prepareHashes } from './bank-reader.js';
import { ngramCounts } from './hashed-counts.js';
import { ngramProfile } from './ngram-profile.js';
import { TrigramPostings, type TrigramPostingsParts } from './trigram-postings.js';
import type { TextClass } from './text-types.js';

/** A language the bank keeps: its label (an ISO 639-3 code for the UDHR corpus) and its text. */
export interface BankLanguage {
  label: string;
  texts: readonly string[];
}

/** A bank's labels, order and arrays (LanguageBank.parts). */
export interface LanguageBankParts {
  labels: string[];
  order: number;
  index: BankIndexParts;
  postings: TrigramPostingsParts;
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

/**
 * Character n-gram counts of every language a model was trained on, from all of its text. A
 * language seen from one support paragraph borrows them as a prior: the paragraph's nearest bank
 * languages (by character-trigram profile) are usually its relatives, whose whole text knows the
 * words and endings one paragraph lacks. Plain JavaScript, so it runs in browsers.
 */
export class LanguageBank {
  readonly labels: readonly string[];
  readonly order: number;
  private readonly index: BankIndex;
  /** Trigram → the bank languages whose profile holds it, for finding a text's nearest. */
  private readonly postings: TrigramPostings;

  /** From the languages' texts; `built` (from fromParts) gives their counts, and their texts are then not read. */
  constructor(
    languages: readonly BankLanguage[],
    order: number,
    built?: { index: BankIndex; postings: TrigramPostings },
  ) {
    if (!Number.isInteger(order) || order < 1 || order > 16)
      throw new InvalidArgumentError(`the bank's n-gram order must be an integer from 1 to 16, got ${order}`);
    if (languages.length === 0) throw new InvalidArgumentError('a language bank needs at least one language');
    this.order = order;
    this.labels = languages.map((l) => l.label);
    if (built) {
      if (built.index.languages !== languages.length || built.postings.languages !== languages.length)
        throw new DataError(
          `a language bank of ${languages.length} languages cannot hold counts of ${built.index.languages}`,
        );
      this.index = built.index;
      this.postings = built.postings;
      return;
    }
    // the index refuses more languages than its 16-bit language numbers hold, before the postings use them
    this.index = new BankIndex(languages.map((l) => ngramCounts(l.texts.map(charLmText), order)));
    this.postings = new TrigramPostings(
      languages.map((l) =>
        ngramProfile(
          l.texts.map((t) => t.toLowerCase()),
          3,
          PROFILE_TOP,
        ),
      ),
    );
  }

  /** The bank from its parts (see parts()); a DataError where they do not fit together. */
  static fromParts(p: LanguageBankParts): LanguageBank {
    return new LanguageBank(
      p.labels.map((label) => ({ label, texts: [] })),
      p.order,
      { index: new BankIndex(p.index), postings: new TrigramPostings(p.postings) },
    );
  }

  /** Everything the bank holds, as arrays shared with it: what a saved bank is made from. */
  parts(): LanguageBankParts {
    return {
      labels: [...this.labels],
      order: this.order,
      index: this.index.parts(),
      postings: this.postings.parts(),
    };
  }

  /** A bank of corpus classes (every paragraph of every article). */
  static ofClasses(classes: readonly TextClass[], order: number): LanguageBank {
    return new LanguageBank(
      classes.map((c) => ({ label: c.label, texts: c.articles.flat() })),
      order,
    );
  }

  get size(): number {
    return this.labels.length;
  }

  /**
   * The `k` bank languages whose trigram profiles are nearest (cosine) to that of `texts`,
   * nearest first; labels in `exclude` are passed over (training leaves an episode's own
   * languages out, so a class never borrows its own whole text).
   */
  nearest(texts: readonly string[], k: number, exclude?: ReadonlySet<string>): number[] {
    const score = this.postings.scores(texts);
    // k passes of a selection: the highest score first, ties (no shared trigram at all) to the
    // lower index, so the choice never depends on sorting
    const taken = Uint8Array.from(this.labels, (l) => (exclude?.has(l) ? 1 : 0));
    const out: number[] = [];
    while (out.length < k) {
      let best = -1;
      for (let j = 0; j < score.length; j++) if (!taken[j] && (best < 0 || score[j] > score[best])) best = j;
      if (best < 0) break;
      taken[best] = 1;
      out.push(best);
    }
    return out;
  }

  /**
   * Mixture weights over bank languages `langs` that make their models' mixture predict `texts`
   * (as charLmText splits them) best (maximum likelihood, `iterations` EM steps from equal
   * weights; the first `fitChars` characters of the texts are enough), each character scored
   * as CharLms scores a query: Witten–Bell of the given order from `floor(x)`. A paragraph of a
   * language the bank lacks is usually best explained by a few relatives in different shares.
   */
  fitMixture(
    langs: readonly number[],
    texts: readonly (readonly string[])[],
    order: number,
    beta: number,
    floor: (x: string) => number,
    iterations: number,
    fitChars = FIT_CHARS,
  ): Float64Array {
    const n = langs.length;
    const probs = new Float64Array(fitChars * n);
    let T = 0;
    const keys = bankKeys(order);
    const reader = new BankReader(this.index, langs, order, beta);
    const est = new Float64Array(n * order);
    let left = fitChars;
    for (const ch of texts) {
      for (let i = 1; i < ch.length && left > 0; i++, left--) {
        prepareHashes(ch, i, order, keys);
        reader.read(keys, floor(ch[i]), est);
        for (let a = 0; a < n; a++) probs[T * n + a] = est[a * order + order - 1];
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

  /** The bank's counts, every language in one index. */
  get counts(): BankIndex {
    return this.index;
  }

  /** Bytes of the bank's count tables. */
  get bytes(): number {
    return this.index.bytes + this.postings.bytes;
  }
}
