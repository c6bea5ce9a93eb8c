import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import type { ClassSummary, ClassWords } from './episode-steps.js';
import {
  balancedQueries,
  describeVariableEpisode,
  imbalancedShots,
  META_DATASET_LIMITS,
  supportTotal,
  variableWays,
} from './variable-episode-steps.js';

const words: ClassWords = { items: 'images', group: 'alphabet', groups: 'alphabets' };
/** 120 classes in 4 groups with 4 to 300 images each (large classes exercise the caps). */
const classes: ClassSummary[] = Array.from({ length: 120 }, (_, i) => ({
  count: 4 + ((i * 37) % 297),
  group: `g${i % 4}`,
}));

const variable = (seed: number, extra: object = {}) =>
  describeVariableEpisode(classes, {
    rng: Rng.fromSeed(seed, 'episodes'),
    ways: 'variable',
    shots: 'variable',
    words,
    ...extra,
  });

describe("Meta-Dataset's variable-way variable-shot sampler", () => {
  it('keeps its invariants over many episodes: ways range, caps, balanced and disjoint queries', () => {
    const ways = new Set<number>();
    for (let seed = 0; seed < 400; seed++) {
      const d = variable(seed);
      expect(d.ways).toBeGreaterThanOrEqual(5);
      expect(d.ways).toBeLessThanOrEqual(50);
      ways.add(d.ways);
      expect(d.classes).toHaveLength(d.ways);
      expect(d.shots).toHaveLength(d.ways);
      const counts = d.classes.map((c) => classes[c.classIndex].count);
      expect(new Set(d.classes.map((c) => c.classIndex)).size).toBe(d.ways);
      // query size: the balanced rule, one size for every class
      expect(d.queries).toBe(Math.min(10, Math.floor(Math.min(...counts) / 2)));
      const total = d.shots.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(500);
      d.classes.forEach((c, k) => {
        expect(d.shots[k]).toBeGreaterThanOrEqual(1);
        expect(d.shots[k]).toBeLessThanOrEqual(counts[k] - d.queries);
        expect(c.items).toHaveLength(d.shots[k] + d.queries);
        // support and query items are distinct images of the class
        expect(new Set(c.items).size).toBe(c.items.length);
        expect(c.items.every((i) => i >= 0 && i < counts[k])).toBe(true);
      });
    }
    // ways spread over the range
    expect(Math.min(...ways)).toBeLessThanOrEqual(7);
    expect(Math.max(...ways)).toBeGreaterThanOrEqual(45);
  });

  it('draws class-imbalanced support sets', () => {
    let uneven = 0;
    for (let seed = 0; seed < 100; seed++) {
      const d = variable(seed);
      if (Math.max(...d.shots) > Math.min(...d.shots)) uneven++;
    }
    expect(uneven).toBeGreaterThan(80);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(variable(7)).toEqual(variable(7));
    expect(variable(7)).not.toEqual(variable(8));
  });

  it('caps ways by the classes there are and fixes either half on request', () => {
    const few = classes.slice(0, 8);
    for (let seed = 0; seed < 50; seed++) {
      const d = describeVariableEpisode(few, {
        rng: Rng.fromSeed(seed, 'few'),
        ways: 'variable',
        shots: 1,
        words,
      });
      expect(d.ways).toBeGreaterThanOrEqual(5);
      expect(d.ways).toBeLessThanOrEqual(8);
      expect(d.shots.every((k) => k === 1)).toBe(true);
    }
    const fiveWay = variable(3, { ways: 5 });
    expect(fiveWay.ways).toBe(5);
    const fixed = variable(3, { ways: 5, shots: 2, queries: 3 });
    expect(fixed.shots).toEqual([2, 2, 2, 2, 2]);
    expect(fixed.queries).toBe(3);
  });

  it('draws the classes of one group when asked', () => {
    for (let seed = 0; seed < 30; seed++) {
      const d = variable(seed, { withinGroup: true });
      const groups = new Set(d.classes.map((c) => classes[c.classIndex].group));
      expect(groups.size).toBe(1);
      expect(d.ways).toBeLessThanOrEqual(30);
    }
  });

  it('two-image classes give one shot and one query', () => {
    const pairs: ClassSummary[] = Array.from({ length: 20 }, () => ({ count: 2, group: 'x' }));
    const d = describeVariableEpisode(pairs, {
      rng: Rng.fromSeed(1),
      ways: 'variable',
      shots: 'variable',
      words,
    });
    expect(d.queries).toBe(1);
    expect(d.shots.every((k) => k === 1)).toBe(true);
  });

  it('the steps follow the formulas and refuse what cannot be drawn', () => {
    expect(balancedQueries([40, 7, 100])).toBe(3);
    expect(balancedQueries([400, 300])).toBe(10);
    expect(() => balancedQueries([1, 10])).toThrow(InvalidArgumentError);
    expect(() => variableWays(Rng.fromSeed(1), 1)).toThrow('at least 2 classes');
    expect(variableWays(Rng.fromSeed(1), 3)).toBeLessThanOrEqual(3);
    // β ∈ (0, 1]: the total never exceeds the per-class caps nor 500
    for (let s = 0; s < 50; s++) {
      const t = supportTotal(Rng.fromSeed(s), [300, 300, 300, 300, 300, 300], 10);
      expect(t).toBeLessThanOrEqual(500);
      expect(t).toBeGreaterThanOrEqual(6);
      const small = supportTotal(Rng.fromSeed(s), [12, 15], 5, META_DATASET_LIMITS);
      expect(small).toBeLessThanOrEqual(7 + 10);
    }
    const shots = imbalancedShots(Rng.fromSeed(2), [100, 100, 10], 5, 60);
    expect(shots[2]).toBeLessThanOrEqual(5);
    expect(shots.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(60);
    expect(() =>
      describeVariableEpisode(classes, { rng: Rng.fromSeed(1), ways: 500, shots: 1, words }),
    ).toThrow(InvalidArgumentError);
  });
});
