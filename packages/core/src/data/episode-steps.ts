import { InvalidArgumentError } from '../errors/errors.js';
import { Rng, type RngState } from '../random/rng.js';

/*
 * Episode sampling for classification families as small seedable steps over cheap task
 * descriptions (in the manner of learn2learn's task transforms): which classes, which of their
 * variants, which items. No step touches data; a family turns the finished description into
 * its episode (pixels, token ids) with its own materialise step.
 *
 *   eligibleClasses → allClassesPool | oneGroupPool → nWays → kShotsQueries  (= describeEpisode)
 */

/** A class as the steps see it: how many items (images, sentences) it holds and its group (alphabet, language family). */
export interface ClassSummary {
  count: number;
  group: string;
}

/** One class of an episode: a source class and which of its variants (0 when classes have none). */
export interface ClassChoice {
  classIndex: number;
  variant: number;
}

/** A class of an episode with the items drawn for it. */
export interface ClassDraw extends ClassChoice {
  /** Positions within the class (0 ≤ i < count), distinct: the first `shots` are support, the rest query. */
  items: number[];
  /**
   * Where the random draws reserved for this class's items begin (see kShotsQueries' `drawsPerItem`):
   * the materialise step replays them from here. Absent when nothing was reserved.
   */
  stream?: RngState;
}

/** A cheap N-way K-shot episode: its classes in label order and their items, no data. */
export interface EpisodeDescription {
  ways: number;
  shots: number;
  queries: number;
  classes: ClassDraw[];
}

/** How error messages name a family's things. */
export interface ClassWords {
  /** A class's items, plural: 'images'. */
  items: string;
  /** What groups classes: 'alphabet'. */
  group: string;
  /** Its plural: 'alphabets'. */
  groups: string;
  /** After a group's class count where variants count as classes, e.g. ' counting rotations'. */
  variantsInGroup?: string;
  /** After the overall class count where variants count as classes, e.g. ' (counting rotations)'. */
  variantsOverall?: string;
}

/** Throws unless ways ≥ 2, shots ≥ 1 and queries ≥ 1 are whole numbers. */
export function checkEpisodeShape(ways: number, shots: number, queries: number): void {
  checkCount('ways', ways, 2);
  checkCount('shots', shots, 1);
  checkCount('queries', queries, 1);
}

/** Indices of the classes holding at least `perClass` items, in order; throws if there are none. */
export function eligibleClasses(
  classes: readonly ClassSummary[],
  perClass: number,
  words: ClassWords,
): number[] {
  const eligible = classes.map((_, i) => i).filter((i) => classes[i].count >= perClass);
  if (eligible.length === 0) {
    const most = Math.max(0, ...classes.map((c) => c.count));
    throw new InvalidArgumentError(
      `shots + queries = ${perClass} exceeds the ${words.items} per class (at most ${most}); lower --shots or --queries`,
    );
  }
  return eligible;
}

/** Each class as `variants` classes of its own, class-major: (c, 0), (c, 1), …, (c', 0), … */
export function classVariants(classIndices: readonly number[], variants = 1): ClassChoice[] {
  return classIndices.flatMap((classIndex) =>
    Array.from({ length: variants }, (_, variant) => ({ classIndex, variant })),
  );
}

/** Class indices (all, or those given) grouped by their group, groups and members in the order they come. */
export function classesByGroup(
  classes: readonly ClassSummary[],
  indices: readonly number[] = classes.map((_, i) => i),
): Map<string, number[]> {
  const byGroup = new Map<string, number[]>();
  for (const i of indices) {
    const g = classes[i].group;
    const members = byGroup.get(g);
    if (members) members.push(i);
    else byGroup.set(g, [i]);
  }
  return byGroup;
}

/** Pool step without draws: every eligible class in each of its variants; throws if that is fewer than `ways`. */
export function allClassesPool(
  eligible: readonly number[],
  o: { ways: number; perClass: number; variants?: number; words: ClassWords },
): ClassChoice[] {
  const pool = classVariants(eligible, o.variants);
  if (o.ways > pool.length) {
    throw new InvalidArgumentError(
      `ways = ${o.ways} exceeds the ${pool.length} classes available${o.words.variantsOverall ?? ''} with at least ${o.perClass} ${o.words.items} each`,
    );
  }
  return pool;
}

/**
 * Pool step with one draw: the eligible classes (in each of their variants) of one group, chosen
 * uniformly among the groups, by sorted name, that hold at least `ways` of them; throws if none does.
 */
export function oneGroupPool(
  rng: Rng,
  classes: readonly ClassSummary[],
  eligible: readonly number[],
  o: { ways: number; variants?: number; words: ClassWords },
): ClassChoice[] {
  const variants = o.variants ?? 1;
  const byGroup = classesByGroup(classes, eligible);
  const names = [...byGroup.keys()].sort();
  const fits = names.filter((g) => byGroup.get(g)!.length * variants >= o.ways);
  if (fits.length === 0) {
    const most = Math.max(...names.map((g) => byGroup.get(g)!.length)) * variants;
    throw new InvalidArgumentError(
      `ways = ${o.ways} exceeds the classes available within any one ${o.words.group} (at most ${most}` +
        `${o.words.variantsInGroup ?? ''}); lower --ways or sample across ${o.words.groups}`,
    );
  }
  return classVariants(byGroup.get(fits[rng.int(fits.length)])!, variants);
}

/** N-way step: `ways` distinct classes of the pool; their order is the label order. */
export function nWays(rng: Rng, pool: readonly ClassChoice[], ways: number): ClassChoice[] {
  return distinctIndices(rng, pool.length, ways).map((i) => pool[i]);
}

/**
 * K-shot + Q-query step: for each chosen class in label order, `shots + queries` distinct items.
 * `drawsPerItem` reserves that many draws (Rng.uniform) per item right after each class's items,
 * for a materialise step that randomises items (augmentation) and replays them from `stream`:
 * the stream is then used exactly as if the items had been randomised as they were drawn.
 */
export function kShotsQueries(
  rng: Rng,
  classes: readonly ClassSummary[],
  chosen: readonly ClassChoice[],
  shots: number,
  queries: number,
  drawsPerItem = 0,
): EpisodeDescription {
  const perClass = shots + queries;
  const draws = chosen.map(({ classIndex, variant }): ClassDraw => {
    const items = distinctIndices(rng, classes[classIndex].count, perClass);
    if (drawsPerItem <= 0) return { classIndex, variant, items };
    const stream = rng.state();
    skipDraws(rng, drawsPerItem * perClass);
    return { classIndex, variant, items, stream };
  });
  return { ways: chosen.length, shots, queries, classes: draws };
}

/** What describeEpisode needs besides the classes. */
export interface DescribeOptions {
  ways: number;
  shots: number;
  queries: number;
  rng: Rng;
  /** Classes each source class stands for (e.g. its rotations); default 1. */
  variants?: number;
  /** All classes of an episode from one group. */
  withinGroup?: boolean;
  /** Draws per item to reserve for the materialise step (see kShotsQueries). */
  drawsPerItem?: number;
  words: ClassWords;
}

/** The usual pipeline: check the shape, eligible classes, pool (all or one group), N ways, K shots + Q queries. */
export function describeEpisode(classes: readonly ClassSummary[], o: DescribeOptions): EpisodeDescription {
  const { ways, shots, queries, rng, variants, words } = o;
  checkEpisodeShape(ways, shots, queries);
  const perClass = shots + queries;
  const eligible = eligibleClasses(classes, perClass, words);
  const pool = o.withinGroup
    ? oneGroupPool(rng, classes, eligible, { ways, variants, words })
    : allClassesPool(eligible, { ways, perClass, variants, words });
  return kShotsQueries(rng, classes, nWays(rng, pool, ways), shots, queries, o.drawsPerItem);
}

/** A fresh copy of the draws reserved for a class's items; throws if none were reserved. */
export function reservedStream(draw: ClassDraw): Rng {
  if (!draw.stream)
    throw new InvalidArgumentError(
      `class ${draw.classIndex} of the episode has no random draws reserved for its items`,
    );
  return Rng.fromState(draw.stream);
}

/** k distinct integers from [0, n) in random order; avoids shuffling large pools. */
export function distinctIndices(rng: Rng, n: number, k: number): number[] {
  if (k * 2 > n)
    return rng.sample(
      Array.from({ length: n }, (_, i) => i),
      k,
    );
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const i = rng.int(n);
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}

/** Advances `rng` by n uniform draws. */
export function skipDraws(rng: Rng, n: number): void {
  for (let i = 0; i < n; i++) rng.uniform();
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be a whole number >= ${min}, got ${value}`);
  }
}
