import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';
import {
  type ClassChoice,
  type ClassDraw,
  type ClassSummary,
  type ClassWords,
  classesByGroup,
  classVariants,
  distinctIndices,
  nWays,
  skipDraws,
} from './episode-steps.js';

/*
 * Meta-Dataset's episode sampler (Triantafillou et al., ICLR 2020, Sec. 3.2 and appendix) as
 * steps beside episode-steps.ts: variable ways, a balanced query set, a support set whose total
 * size and per-class shares are drawn, so classes hold different numbers of examples.
 *
 *   pool (all | one group) → variableWays → nWays → balancedQueries → supportTotal
 *     → imbalancedShots → unevenShotsQueries                              (= describeVariableEpisode)
 *
 * Either half can be fixed instead (ways N with variable shots, variable ways with K shots).
 */

/** The paper's constants. */
export interface VariableLimits {
  minWays: number;
  maxWays: number;
  /** Query examples per class at most. */
  maxQueries: number;
  /** Support examples a class contributes to the total at most. */
  maxSupportPerClass: number;
  /** Support set size at most. */
  maxSupport: number;
}

export const META_DATASET_LIMITS: VariableLimits = {
  minWays: 5,
  maxWays: 50,
  maxQueries: 10,
  maxSupportPerClass: 100,
  maxSupport: 500,
};

/** A described episode whose classes may hold different numbers of support items. */
export interface VariableEpisodeDescription {
  ways: number;
  /** Support items per class, in label order. */
  shots: number[];
  /** Query items per class (the same for every class). */
  queries: number;
  /** Per class: the first shots[c] items are support, the next `queries` query. */
  classes: ClassDraw[];
}

/** Ways step: uniform in [min, min(max, available)] (fewer than min only when that is all there is). */
export function variableWays(
  rng: Rng,
  available: number,
  limits: VariableLimits = META_DATASET_LIMITS,
): number {
  if (available < 2)
    throw new InvalidArgumentError(`an episode needs at least 2 classes, only ${available} can be drawn`);
  const hi = Math.min(limits.maxWays, available);
  const lo = Math.min(limits.minWays, hi);
  return lo + rng.int(hi - lo + 1);
}

/** Query step: q = min(maxQueries, ⌊min_c |Im(c)| / 2⌋), and at most what `reserve` leaves of each class. */
export function balancedQueries(counts: readonly number[], maxQueries = 10, reserve = 1): number {
  const fewest = Math.min(...counts);
  const q = Math.min(maxQueries, Math.floor(fewest / 2), fewest - reserve);
  if (q < 1)
    throw new InvalidArgumentError(
      `a class with ${fewest} item(s) leaves no query after ${reserve} support item(s)`,
    );
  return q;
}

/**
 * Support-size step: |S| = min(maxSupport, Σ_c ⌈β · min(maxSupportPerClass, |Im(c)| − q)⌉),
 * β ~ U(0, 1]; at least one item per class.
 */
export function supportTotal(
  rng: Rng,
  counts: readonly number[],
  queries: number,
  limits: VariableLimits = META_DATASET_LIMITS,
): number {
  const beta = 1 - rng.uniform(); // (0, 1]
  let total = 0;
  for (const n of counts) total += Math.ceil(beta * Math.min(limits.maxSupportPerClass, n - queries));
  return Math.max(counts.length, Math.min(limits.maxSupport, total));
}

/**
 * Per-class shots step: shares R_c ∝ exp(α_c)·|Im(c)| with α_c ~ U[log ½, log 2), then
 * k_c = min(⌊R_c · (|S| − N)⌋ + 1, |Im(c)| − q): every class gets one, the rest in noisy proportion
 * to its size.
 */
export function imbalancedShots(
  rng: Rng,
  counts: readonly number[],
  queries: number,
  total: number,
): number[] {
  const lo = Math.log(0.5);
  const hi = Math.log(2);
  const weights = counts.map((n) => Math.exp(lo + (hi - lo) * rng.uniform()) * n);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = Math.max(0, total - counts.length);
  return counts.map((n, c) => Math.min(Math.floor((weights[c] / sum) * spare) + 1, n - queries));
}

/**
 * Items step for uneven shots: for each chosen class in label order, shots[c] + queries distinct
 * items. `drawsPerItem` reserves draws for a materialise step as kShotsQueries does.
 */
export function unevenShotsQueries(
  rng: Rng,
  classes: readonly ClassSummary[],
  chosen: readonly ClassChoice[],
  shots: readonly number[],
  queries: number,
  drawsPerItem = 0,
): VariableEpisodeDescription {
  const draws = chosen.map(({ classIndex, variant }, c): ClassDraw => {
    const perClass = shots[c] + queries;
    const items = distinctIndices(rng, classes[classIndex].count, perClass);
    if (drawsPerItem <= 0) return { classIndex, variant, items };
    const stream = rng.state();
    skipDraws(rng, drawsPerItem * perClass);
    return { classIndex, variant, items, stream };
  });
  return { ways: chosen.length, shots: [...shots], queries, classes: draws };
}

/** What describeVariableEpisode needs besides the classes. */
export interface VariableEpisodeOptions {
  rng: Rng;
  /** A fixed count, or 'variable' (Meta-Dataset's rule). */
  ways: number | 'variable';
  shots: number | 'variable';
  /** Fixed query items per class; default the balanced rule. */
  queries?: number;
  /** Draw the classes from one group (Meta-Dataset does so for Omniglot's alphabets). */
  withinGroup?: boolean;
  /** Classes each source class stands for; default 1. */
  variants?: number;
  drawsPerItem?: number;
  limits?: VariableLimits;
  words: ClassWords;
}

/** The pool: every class with enough items (in each variant), or those of one group drawn uniformly. */
function poolOf(
  classes: readonly ClassSummary[],
  perClass: number,
  o: VariableEpisodeOptions,
): ClassChoice[] {
  const variants = o.variants ?? 1;
  const eligible = classes.map((_, i) => i).filter((i) => classes[i].count >= perClass);
  const need = o.ways === 'variable' ? 2 : o.ways;
  if (!o.withinGroup) {
    if (eligible.length * variants < need)
      throw new InvalidArgumentError(
        `ways = ${need} exceeds the ${eligible.length * variants} classes with at least ${perClass} ${o.words.items}`,
      );
    return classVariants(eligible, variants);
  }
  const byGroup = classesByGroup(classes, eligible);
  const names = [...byGroup.keys()].sort();
  // Variable ways: groups that allow the paper's minimum; a set whose groups are all smaller uses every group.
  const minWays = o.ways === 'variable' ? (o.limits ?? META_DATASET_LIMITS).minWays : need;
  const size = (g: string) => byGroup.get(g)!.length * variants;
  let fits = names.filter((g) => size(g) >= minWays);
  if (fits.length === 0 && o.ways === 'variable') fits = names.filter((g) => size(g) >= 2);
  if (fits.length === 0)
    throw new InvalidArgumentError(
      `ways = ${need} exceeds the classes available within any one ${o.words.group} (at most ${Math.max(0, ...names.map(size))})`,
    );
  return classVariants(byGroup.get(fits[o.rng.int(fits.length)])!, variants);
}

/**
 * An episode under Meta-Dataset's protocol, or with ways or shots fixed: pool, ways, classes,
 * balanced queries, then the support sizes. Deterministic for the rng's state.
 */
export function describeVariableEpisode(
  classes: readonly ClassSummary[],
  o: VariableEpisodeOptions,
): VariableEpisodeDescription {
  const limits = o.limits ?? META_DATASET_LIMITS;
  if (o.ways !== 'variable') checkWhole('ways', o.ways, 2);
  if (o.shots !== 'variable') checkWhole('shots', o.shots, 1);
  if (o.queries !== undefined) checkWhole('queries', o.queries, 1);
  const fixedShots = o.shots === 'variable' ? 1 : o.shots;
  const perClass = fixedShots + (o.queries ?? 1);
  const pool = poolOf(classes, perClass, o);
  const ways = o.ways === 'variable' ? variableWays(o.rng, pool.length, limits) : o.ways;
  const chosen = nWays(o.rng, pool, ways);
  const counts = chosen.map((c) => classes[c.classIndex].count);
  const queries = o.queries ?? balancedQueries(counts, limits.maxQueries, fixedShots);
  const shots =
    o.shots === 'variable'
      ? imbalancedShots(o.rng, counts, queries, supportTotal(o.rng, counts, queries, limits))
      : counts.map(() => fixedShots);
  return unevenShotsQueries(o.rng, classes, chosen, shots, queries, o.drawsPerItem);
}

function checkWhole(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidArgumentError(`${name} must be a whole number >= ${min}, got ${value}`);
}
