import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { supportSideArticles } from './class-articles.js';
import { sampleTextEpisode } from './episodes.js';
import { buildNeighbours } from './neighbours.js';
import type { TextClass, TextEpisodeOptions } from './text-types.js';

/** A class whose every paragraph names its class, article and paragraph: "c3 a7 p1 …". */
function makeClass(
  label: string,
  articles: number,
  paragraphs = 2,
  script = 'Latn',
  words = 'lorem ipsum',
): TextClass {
  return {
    label,
    name: label.toUpperCase(),
    script,
    articles: Array.from({ length: articles }, (_, a) =>
      Array.from({ length: paragraphs }, (_, p) => `${label} a${a} p${p} ${words} ${words}`),
    ),
  };
}

const classes = Array.from({ length: 12 }, (_, i) => makeClass(`c${i}`, 10));
const base: TextEpisodeOptions = { ways: 5, shots: 3, queries: 4, snippet: 0, confusable: false };

/** Article index of a whole-paragraph example. */
const articleOf = (text: string) => Number(/ a(\d+) /.exec(text)![1]);

describe('sampleTextEpisode', () => {
  it('gives ways x shots support and ways x queries queries, class-major, from distinct classes', () => {
    const ep = sampleTextEpisode(classes, base, Rng.fromSeed(1));
    expect(new Set(ep.classes).size).toBe(5);
    expect(ep.supportLabels).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
    expect(ep.queryLabels).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]);
    ep.supportTexts.forEach((t, i) => expect(t.startsWith(`${ep.classes[ep.supportLabels[i]]} `)).toBe(true));
    ep.queryTexts.forEach((t, i) => expect(t.startsWith(`${ep.classes[ep.queryLabels[i]]} `)).toBe(true));
  });

  it("draws a class's support and queries from different articles", () => {
    const rng = Rng.fromSeed(2);
    for (let e = 0; e < 50; e++) {
      const ep = sampleTextEpisode(classes, { ...base, shots: 5, queries: 10 }, rng);
      for (let c = 0; c < 5; c++) {
        const s = new Set(ep.supportTexts.filter((_, i) => ep.supportLabels[i] === c).map(articleOf));
        const q = ep.queryTexts.filter((_, i) => ep.queryLabels[i] === c).map(articleOf);
        expect(q.some((a) => s.has(a))).toBe(false);
      }
    }
  });

  it('spreads examples over articles and does not repeat a paragraph while others are left', () => {
    const ep = sampleTextEpisode(classes, { ...base, ways: 2, shots: 5, queries: 10 }, Rng.fromSeed(4));
    const support0 = ep.supportTexts.slice(0, 5);
    expect(new Set(support0.map(articleOf)).size).toBe(5);
    expect(new Set(ep.queryTexts.slice(0, 10)).size).toBe(10);
  });

  it('cuts snippets when asked', () => {
    const long = [
      makeClass('x', 4, 1, 'Latn', 'a b c d e f g h i j'),
      makeClass('y', 4, 1, 'Latn', 'k l m n o p'),
    ];
    const ep = sampleTextEpisode(
      long,
      { ...base, ways: 2, shots: 1, queries: 2, snippet: 9 },
      Rng.fromSeed(5),
    );
    for (const t of [...ep.supportTexts, ...ep.queryTexts]) expect(t.length).toBeLessThanOrEqual(9);
  });

  it('is the same for the same seed and differs for another', () => {
    const a = sampleTextEpisode(classes, { ...base, snippet: 12 }, Rng.fromSeed(7));
    expect(sampleTextEpisode(classes, { ...base, snippet: 12 }, Rng.fromSeed(7))).toEqual(a);
    expect(sampleTextEpisode(classes, { ...base, snippet: 12 }, Rng.fromSeed(8))).not.toEqual(a);
  });

  it('skips classes with fewer than two articles of text, and refuses when too few classes remain', () => {
    const few = [
      makeClass('a', 1),
      makeClass('b', 3),
      { ...makeClass('c', 3), articles: [[], ['', 'c a1 p1 x'], ['c a2 p0 x']] },
    ];
    const ep = sampleTextEpisode(few, { ...base, ways: 2, shots: 1, queries: 1 }, Rng.fromSeed(1));
    expect([...ep.classes].sort()).toEqual(['b', 'c']);
    expect(ep.supportTexts.concat(ep.queryTexts)).not.toContain('');
    expect(() => sampleTextEpisode(few, { ...base, ways: 3 }, Rng.fromSeed(1))).toThrow(/3 classes/);
  });

  it('refuses options no episode can have', () => {
    for (const bad of [{ ways: 1 }, { shots: 0 }, { queries: 1.5 }, { snippet: -2 }]) {
      expect(() => sampleTextEpisode(classes, { ...base, ...bad }, Rng.fromSeed(1))).toThrow(
        InvalidArgumentError,
      );
    }
  });

  describe('confusable', () => {
    // two families of similar languages in Latin script, one in Cyrillic
    const family = (prefix: string, words: string, script = 'Latn') =>
      Array.from({ length: 4 }, (_, i) => makeClass(`${prefix}${i}`, 8, 2, script, `${words} ${prefix}${i}`));
    const mixed = [
      ...family('ka', 'kakaka kokoko kukuku'),
      ...family('zi', 'zizizi zezeze zuzuzu'),
      ...family('ру', 'привет мир дом', 'Cyrl'),
    ];
    const opts = { ...base, ways: 4, shots: 2, queries: 3, confusable: true };

    it("takes an anchor's nearest neighbours of the same script", () => {
      const rng = Rng.fromSeed(3);
      for (let e = 0; e < 20; e++) {
        const ep = sampleTextEpisode(mixed, opts, rng);
        const prefixes = new Set(ep.classes.map((c) => c.slice(0, 2)));
        expect(prefixes.size).toBe(1);
      }
    });

    it('draws support from the profiled (support-side) articles and queries from the others', () => {
      const ep = sampleTextEpisode(mixed, opts, Rng.fromSeed(6), buildNeighbours(mixed));
      const byLabel = new Map(mixed.map((c) => [c.label, new Set(supportSideArticles(c))]));
      ep.supportTexts.forEach((t, i) =>
        expect(byLabel.get(ep.classes[ep.supportLabels[i]])!.has(articleOf(t))).toBe(true),
      );
      ep.queryTexts.forEach((t, i) =>
        expect(byLabel.get(ep.classes[ep.queryLabels[i]])!.has(articleOf(t))).toBe(false),
      );
    });

    it('gives the same episodes with neighbours built once and passed in', () => {
      const nb = buildNeighbours(mixed);
      expect(sampleTextEpisode(mixed, opts, Rng.fromSeed(9), nb)).toEqual(
        sampleTextEpisode(mixed, opts, Rng.fromSeed(9)),
      );
    });

    it('fills up with other scripts when a script has fewer classes than ways', () => {
      const ep = sampleTextEpisode(mixed, { ...opts, ways: 10 }, Rng.fromSeed(2));
      expect(new Set(ep.classes).size).toBe(10);
    });
  });
});
