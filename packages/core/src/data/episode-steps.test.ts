import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import {
  allClassesPool,
  type ClassSummary,
  type ClassWords,
  classesByGroup,
  classVariants,
  describeEpisode,
  distinctIndices,
  eligibleClasses,
  kShotsQueries,
  nWays,
  oneGroupPool,
  reservedStream,
  skipDraws,
} from './episode-steps.js';

// A text family's view: languages holding sentences, grouped by language family.
const words: ClassWords = { items: 'sentences', group: 'language family', groups: 'language families' };
const languages: ClassSummary[] = [
  { count: 5, group: 'romance' },
  { count: 2, group: 'germanic' },
  { count: 8, group: 'romance' },
  { count: 6, group: 'germanic' },
  { count: 4, group: 'slavic' },
  { count: 9, group: 'romance' },
];

describe('episode steps', () => {
  it('eligibleClasses keeps classes with enough items, in order, and names the shortfall', () => {
    expect(eligibleClasses(languages, 5, words)).toEqual([0, 2, 3, 5]);
    expect(() => eligibleClasses(languages, 10, words)).toThrow(InvalidArgumentError);
    expect(() => eligibleClasses(languages, 10, words)).toThrow(
      'shots + queries = 10 exceeds the sentences per class (at most 9); lower --shots or --queries',
    );
  });

  it('classVariants lists each class in each of its variants, class-major', () => {
    expect(classVariants([3, 1], 2)).toEqual([
      { classIndex: 3, variant: 0 },
      { classIndex: 3, variant: 1 },
      { classIndex: 1, variant: 0 },
      { classIndex: 1, variant: 1 },
    ]);
    expect(classVariants([4])).toEqual([{ classIndex: 4, variant: 0 }]);
  });

  it('classesByGroup keeps first-seen group order and member order', () => {
    expect([...classesByGroup(languages)]).toEqual([
      ['romance', [0, 2, 5]],
      ['germanic', [1, 3]],
      ['slavic', [4]],
    ]);
    expect([...classesByGroup(languages, [5, 3, 0])]).toEqual([
      ['romance', [5, 0]],
      ['germanic', [3]],
    ]);
  });

  it('allClassesPool draws nothing and refuses more ways than classes', () => {
    expect(allClassesPool([0, 2], { ways: 4, perClass: 5, variants: 2, words })).toHaveLength(4);
    expect(() => allClassesPool([0, 2], { ways: 3, perClass: 5, words })).toThrow(
      'ways = 3 exceeds the 2 classes available with at least 5 sentences each',
    );
  });

  it('oneGroupPool takes one draw to pick a group, among those with enough classes', () => {
    const eligible = eligibleClasses(languages, 2, words); // all: 3 romance, 2 germanic, 1 slavic
    const seen = new Set<string>();
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 40; i++) {
      const before = Rng.fromState(rng.state());
      const pool = oneGroupPool(rng, languages, eligible, { ways: 3, words });
      // only romance has three languages
      expect(pool.map((c) => c.classIndex)).toEqual([0, 2, 5]);
      before.uniform();
      expect(rng.state()).toEqual(before.state());
      const twoWays = oneGroupPool(rng, languages, eligible, { ways: 2, variants: 1, words });
      seen.add(languages[twoWays[0].classIndex].group);
    }
    expect([...seen].sort()).toEqual(['germanic', 'romance']);
    expect(() => oneGroupPool(rng, languages, eligible, { ways: 4, words })).toThrow(
      'ways = 4 exceeds the classes available within any one language family (at most 3); lower --ways or sample across language families',
    );
    expect(() =>
      oneGroupPool(rng, languages, eligible, {
        ways: 7,
        variants: 2,
        words: { ...words, variantsInGroup: ' counting variants' },
      }),
    ).toThrow('(at most 6 counting variants)');
  });

  it('nWays picks distinct classes of the pool in a random label order', () => {
    const pool = classVariants([0, 1, 2, 3, 4], 2);
    const orders = new Set<string>();
    const rng = Rng.fromSeed(2);
    for (let i = 0; i < 20; i++) {
      const chosen = nWays(rng, pool, 4);
      expect(chosen).toHaveLength(4);
      expect(new Set(chosen.map((c) => `${c.classIndex}/${c.variant}`)).size).toBe(4);
      orders.add(JSON.stringify(chosen));
    }
    expect(orders.size).toBeGreaterThan(10);
  });

  it('kShotsQueries draws distinct items per class and reserves draws right after them', () => {
    const chosen = [
      { classIndex: 5, variant: 0 },
      { classIndex: 3, variant: 1 },
    ];
    const rng = Rng.fromSeed(3);
    const plain = kShotsQueries(Rng.fromSeed(3), languages, chosen, 2, 3);
    const d = kShotsQueries(rng, languages, chosen, 2, 3, 4);
    expect(d.ways).toBe(2);
    expect(d.classes.map((c) => c.classIndex)).toEqual([5, 3]);
    d.classes.forEach((c) => {
      expect(new Set(c.items).size).toBe(5);
      expect(c.items.every((i) => Number.isInteger(i) && i >= 0 && i < languages[c.classIndex].count)).toBe(
        true,
      );
    });
    // without reservation: the same first class, no stream
    expect(plain.classes[0].items).toEqual(d.classes[0].items);
    expect(plain.classes[0].stream).toBeUndefined();
    // replaying: picks of class 0, its 5 × 4 reserved draws, picks of class 1, its draws
    const replay = Rng.fromSeed(3);
    distinctIndices(replay, 9, 5);
    expect(reservedStream(d.classes[0]).state()).toEqual(replay.state());
    skipDraws(replay, 20);
    expect(distinctIndices(replay, 6, 5)).toEqual(d.classes[1].items);
    expect(reservedStream(d.classes[1]).state()).toEqual(replay.state());
    skipDraws(replay, 20);
    expect(rng.state()).toEqual(replay.state());
    expect(() => reservedStream(plain.classes[0])).toThrow(/no random draws reserved/);
  });

  it('describeEpisode composes the steps for any family and is repeatable', () => {
    const o = { ways: 3, shots: 1, queries: 2, words };
    const a = describeEpisode(languages, { ...o, rng: Rng.fromSeed(4) });
    expect(describeEpisode(languages, { ...o, rng: Rng.fromSeed(4) })).toEqual(a);
    expect(a.classes.every((c) => languages[c.classIndex].count >= 3)).toBe(true);
    const within = describeEpisode(languages, { ...o, rng: Rng.fromSeed(5), withinGroup: true });
    expect(new Set(within.classes.map((c) => languages[c.classIndex].group)).size).toBe(1);
    expect(() => describeEpisode(languages, { ...o, ways: 1, rng: Rng.fromSeed(4) })).toThrow(
      'ways must be a whole number >= 2, got 1',
    );
    expect(() => describeEpisode(languages, { ...o, ways: 6, rng: Rng.fromSeed(4) })).toThrow(
      'ways = 6 exceeds the 5 classes available with at least 3 sentences each',
    );
  });

  it('distinctIndices returns k distinct indices below n on both of its paths', () => {
    const rng = Rng.fromSeed(6);
    for (const [n, k] of [
      [10, 3],
      [10, 8],
      [5, 5],
    ]) {
      const got = distinctIndices(rng, n, k);
      expect(got).toHaveLength(k);
      expect(new Set(got).size).toBe(k);
      expect(got.every((i) => i >= 0 && i < n)).toBe(true);
    }
  });
});
