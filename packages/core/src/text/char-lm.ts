import { InvalidArgumentError } from '../errors/errors.js';
import { checkOneOf } from '../validate/checks.js';
import { BankIndex } from './bank-index.js';
import { type BankKeys, bankKeys, BankReader, prepareHashes } from './bank-reader.js';
import { ngramCounts } from './hashed-counts.js';
import type { LanguageBank } from './language-bank.js';
import { charLmText } from './lm-text.js';
import type { TextEpisode } from './text-types.js';

/**
 * Character n-gram language models written from an episode's support texts, one per class, and
 * the log-likelihood they give each query. A short query shares few whole trigrams with a
 * paragraph (the trigram-profile baseline counts those), but nearly every one of its characters
 * has a history the paragraph has seen: scoring every character given the ones before it uses
 * far more of the support text. Plain JavaScript, so it runs in browsers and worker threads.
 */
export interface CharLmOptions {
  /** Longest n-gram: a character is predicted from up to order − 1 characters before it. */
  order: number;
  /**
   * Witten–Bell weight of the lower order: p = (c(hx) + β·n(h)·p_lower) / (c(h) + β·n(h)),
   * n(h) the distinct characters seen after history h. Default 1 (with the pooled floor, 1 was
   * best of 0.25/0.5/1/1.5/2 on 20-way episodes of the training languages, by 0.3 points at most).
   */
  beta?: number;
  /**
   * What the interpolation of the orders starts from: 'pooled' (default), the unigram model of
   * every class's support text together (Witten–Bell over a uniform floor), or 'uniform', a
   * uniform floor over the episode's characters (the estimator before; with beta 0.5).
   */
  floor?: CharLmFloor;
  /** Characters of a query that are scored (the rest is cut): bounds the cost of long queries. */
  maxQueryChars?: number;
  /** The models of known languages that every class's model is mixed with (see CharLmPrior). */
  prior?: CharLmPrior;
}

/**
 * A class's model mixed with a mixture of bank languages' models:
 * p = (1 − weight) · p_class + weight · Σ_j π_j · p_j, at every order. The candidates are the
 * `neighbours` bank languages whose trigram profiles are nearest to the class's support text; the
 * shares π_j are fitted to that text (EM, LanguageBank.fitMixture), and only the `keep` heaviest
 * are kept. One paragraph leaves most of a language's words unseen; its relatives' whole texts
 * have seen many of them.
 */
export interface CharLmPrior {
  bank: LanguageBank;
  /** Weight of the bank's mixture, in [0, 1). */
  weight: number;
  /** Candidate bank languages per class (nearest by trigram profile). */
  neighbours: number;
  /** Components kept per class after fitting, heaviest first (default: every candidate). */
  keep?: number;
  /** Bank labels no class may borrow from (training leaves out the episode's own languages). */
  exclude?: ReadonlySet<string>;
  /** Characters of a class's support text its shares are fitted on (default 200). */
  fitChars?: number;
  /**
   * Order of the bank models the shares are fitted with, at most the models' order (default:
   * theirs). A lower one reads fewer counts per character; the mixture is still of full-order models.
   */
  fitOrder?: number;
}

/** EM steps fitting each class's shares of its bank candidates (on calibration languages 10 and 30 scored alike). */
const BANK_EM_STEPS = 10;

/** The bottom of the recursion over orders (see CharLmOptions.floor). */
export const CHAR_LM_FLOORS = ['pooled', 'uniform'] as const;
export type CharLmFloor = (typeof CHAR_LM_FLOORS)[number];

const DEFAULT_BETA = 1;
const DEFAULT_MAX_QUERY = 256;

export { charLmText };

/**
 * The models of one episode: counts of every n-gram (length 1..order) and every history (length
 * 0..order−1) per class, in the index a bank keeps its languages in (the classes are its
 * languages), and the floor every class's interpolation starts from.
 */
export class CharLms {
  readonly ways: number;
  readonly order: number;
  /** The characters of the support texts (the closing space included, the leading one not). */
  readonly characters: ReadonlySet<string>;
  /** Reads every class's own model along a text. */
  private readonly own: BankReader;
  private readonly beta: number;
  private readonly floor: (x: string) => number;
  private readonly prior?: CharLmPrior;
  /** The bank languages of the episode's classes (indices into the bank), and each class's among them. */
  private readonly borrowed: number[] = [];
  private readonly neighboursOf: number[][] = [];
  private readonly sharesOf: number[][] = [];
  /** Scratch: the borrowed languages' estimates at every order, [borrowed, order]. */
  private readonly bankP: Float64Array = new Float64Array(0);
  private readonly reader?: BankReader;
  private readonly keys: BankKeys;

  constructor(supportByClass: readonly (readonly string[])[], o: CharLmOptions) {
    const { order } = o;
    const beta = o.beta ?? DEFAULT_BETA;
    if (!Number.isInteger(order) || order < 1 || order > 16)
      throw new InvalidArgumentError(`the n-gram order must be an integer from 1 to 16, got ${order}`);
    if (!(beta > 0)) throw new InvalidArgumentError(`beta must be positive, got ${beta}`);
    if (o.floor !== undefined) checkOneOf('floor', o.floor, CHAR_LM_FLOORS);
    if (supportByClass.some((t) => t.length === 0))
      throw new InvalidArgumentError('every class needs a support text for its n-gram model');
    this.ways = supportByClass.length;
    this.order = order;
    this.beta = beta;
    const split = supportByClass.map((texts) => texts.map(charLmText));
    this.own = new BankReader(
      new BankIndex(split.map((texts) => ngramCounts(texts, order, false))),
      split.map((_, c) => c),
      order,
      beta,
    );
    // the characters each support text predicts (not its leading space), and how often
    const unigrams = new Map<string, number>();
    let total = 0;
    for (const ch of split.flat()) {
      for (let i = 1; i < ch.length; i++) unigrams.set(ch[i], (unigrams.get(ch[i]) ?? 0) + 1);
      total += ch.length - 1;
    }
    this.characters = new Set(unigrams.keys());
    // one more slot for every character no support text has
    const uniform = 1 / (unigrams.size + 1);
    this.floor = o.floor === 'uniform' ? () => uniform : this.pooledUnigram(unigrams, total, uniform);
    this.keys = bankKeys(order);
    if (o.prior && o.prior.weight > 0) {
      const { weight, neighbours, bank } = o.prior;
      if (!(weight < 1)) throw new InvalidArgumentError(`the bank's weight must be below 1, got ${weight}`);
      if (!Number.isInteger(neighbours) || neighbours < 1)
        throw new InvalidArgumentError(`bank neighbours must be a positive integer, got ${neighbours}`);
      if (bank.order < order)
        throw new InvalidArgumentError(
          `the bank holds n-grams up to ${bank.order}, the models need ${order}`,
        );
      this.prior = o.prior;
      const keep = o.prior.keep ?? neighbours;
      if (!Number.isInteger(keep) || keep < 1)
        throw new InvalidArgumentError(`bank components kept must be a positive integer, got ${keep}`);
      const fit = o.prior.fitChars;
      if (fit !== undefined && (!Number.isInteger(fit) || fit < 1))
        throw new InvalidArgumentError(`bank fit characters must be a positive integer, got ${fit}`);
      const fitOrder = o.prior.fitOrder ?? order;
      if (!Number.isInteger(fitOrder) || fitOrder < 1 || fitOrder > order)
        throw new InvalidArgumentError(
          `the bank's fit order must be an integer from 1 to ${order}, got ${fitOrder}`,
        );
      const slot = new Map<number, number>();
      for (const [c, texts] of supportByClass.entries()) {
        const near = bank.nearest(texts, neighbours, o.prior.exclude);
        const shares = bank.fitMixture(
          near,
          split[c],
          fitOrder,
          beta,
          this.floor,
          BANK_EM_STEPS,
          o.prior.fitChars,
        );
        // heaviest first (ties: nearer first), the kept shares renormalised
        const kept = near
          .map((j, a) => ({ j, share: shares[a], a }))
          .sort((x, y) => y.share - x.share || x.a - y.a)
          .slice(0, keep);
        const total = kept.reduce((t, k) => t + k.share, 0);
        this.sharesOf.push(kept.map((k) => (total > 0 ? k.share / total : 1 / kept.length)));
        this.neighboursOf.push(
          kept.map(({ j }) => {
            if (!slot.has(j)) slot.set(j, slot.size);
            return slot.get(j)!;
          }),
        );
      }
      this.borrowed = [...slot.keys()];
      this.bankP = new Float64Array(this.borrowed.length * order);
      this.reader = new BankReader(bank.counts, this.borrowed, order, beta);
    }
  }

  /** The bank languages each class borrows from, heaviest share first (labels; none without a bank). */
  bankNeighbours(): string[][] {
    const labels = this.prior?.bank.labels ?? [];
    return this.neighboursOf.map((slots) => slots.map((s) => labels[this.borrowed[s]]));
  }

  /** Each class's shares of the languages bankNeighbours names (summing to 1). */
  bankShares(): number[][] {
    return this.sharesOf.map((s) => [...s]);
  }

  /**
   * The unigram model of all support texts together. Where a class lacks a character, its
   * models fall back on how common that character is in the episode: a character every other
   * language uses costs a class that lacks it less than one that marks another language. On
   * 20-way episodes of the training languages this floor (with β 1) scored 88.70 % against
   * 87.64 % for the uniform one (docs/LANGUAGE.md).
   */
  private pooledUnigram(
    counts: ReadonlyMap<string, number>,
    total: number,
    uniform: number,
  ): (x: string) => number {
    const back = this.beta * counts.size;
    const unseen = (back * uniform) / (total + back);
    const p = new Map<string, number>();
    for (const [x, n] of counts) p.set(x, (n + back * uniform) / (total + back));
    return (x) => p.get(x) ?? unseen;
  }

  /**
   * p(ch[i] | the characters before it) under every class's model, once for each order 1..order
   * (the interpolated estimate using histories up to k − 1 characters): out[c · order + k − 1].
   * `ch` is a text as charLmText gives it; i ≥ 1.
   */
  conditional(ch: readonly string[], i: number, out: Float64Array): void {
    const p0 = this.floor(ch[i]);
    prepareHashes(ch, i, this.order, this.keys);
    // histories longer than the text so far, or never seen in a class's support text, keep the
    // lower order's estimate
    this.own.read(this.keys, p0, out);
    if (this.reader) this.mixBank(p0, out);
  }

  /** out ← (1 − w) · out + w · each class's mixture of its bank languages' estimates, at every order. */
  private mixBank(p0: number, out: Float64Array): void {
    const { order, bankP, prior } = this;
    const { weight } = prior!;
    this.reader!.read(this.keys, p0, bankP);
    this.neighboursOf.forEach((slots, c) => {
      const shares = this.sharesOf[c];
      for (let k = 0; k < order; k++) {
        let q = 0;
        slots.forEach((s, a) => (q += shares[a] * bankP[s * order + k]));
        out[c * order + k] = (1 - weight) * out[c * order + k] + weight * q;
      }
    });
  }
}

/**
 * For every query and class, the mean log-probability per character of the query under the
 * class's model, once for each order 1..order (the interpolated estimate using histories up to
 * k − 1 characters). Returns [queries, ways, order], row-major.
 */
export function charLmScores(
  supportByClass: readonly (readonly string[])[],
  queries: readonly string[],
  o: CharLmOptions,
): Float32Array {
  const maxChars = o.maxQueryChars ?? DEFAULT_MAX_QUERY;
  const lms = new CharLms(supportByClass, o);
  const width = lms.ways * lms.order;
  const out = new Float32Array(queries.length * width);
  const p = new Float64Array(width);
  const sums = new Float64Array(width);
  queries.forEach((query, qi) => {
    const ch = charLmText(query).slice(0, maxChars + 2);
    sums.fill(0);
    for (let i = 1; i < ch.length; i++) {
      lms.conditional(ch, i, p);
      for (let j = 0; j < width; j++) sums[j] += Math.log(p[j]);
    }
    const n = Math.max(1, ch.length - 1);
    for (let j = 0; j < width; j++) out[qi * width + j] = sums[j] / n;
  });
  return out;
}

/** An episode's support texts grouped by class (labels are class indices). */
export function supportByClass(e: TextEpisode): string[][] {
  const ways = e.classes.length;
  const out: string[][] = Array.from({ length: ways }, () => []);
  e.supportTexts.forEach((t, i) => {
    const l = e.supportLabels[i];
    if (!Number.isInteger(l) || l < 0 || l >= ways)
      throw new InvalidArgumentError(`episode: support label ${l} is not a class index below ${ways}`);
    out[l].push(t);
  });
  return out;
}

/**
 * The class each query's full-order score picks, from charLmScores's [queries, ways, order] array
 * (ties go to the lower class index).
 */
export function charLmPredictions(
  scores: Float32Array,
  queries: number,
  ways: number,
  order: number,
): number[] {
  return Array.from({ length: queries }, (_, q) => {
    let best = 0;
    const at = (c: number) => scores[(q * ways + c) * order + order - 1];
    for (let c = 1; c < ways; c++) if (at(c) > at(best)) best = c;
    return best;
  });
}

/**
 * The no-training character-LM baseline: each query goes to the class whose model gives it the
 * highest likelihood (the full order's estimate), with a bank's models mixed in where `prior` is
 * given. Returns the predicted class index per query.
 */
export function charLmBaseline(e: TextEpisode, order = 5, prior?: CharLmPrior): number[] {
  const scores = charLmScores(supportByClass(e), e.queryTexts, prior ? { order, prior } : { order });
  return charLmPredictions(scores, e.queryTexts.length, e.classes.length, order);
}
