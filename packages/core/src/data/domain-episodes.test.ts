import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import {
  concatDomains,
  materializeVariableEpisode,
  multiDomainEpisodeSource,
  sampleDomainEpisode,
} from './domain-episodes.js';
import { buildImageSet, imageAt, type ImageItem, type ImageSet } from './image-set.js';

/** Image k of class c holds the value c * 100 + k + 1 at pixel 0, so every image says where it came from. */
function taggedSet(classes: number, perClass: number, groups = 1, size = 4): ImageSet {
  const items: ImageItem[] = [];
  for (let c = 0; c < classes; c++)
    for (let k = 0; k < perClass; k++) {
      const pixels = new Float32Array(size * size);
      pixels[0] = c * 100 + k + 1;
      const character = `c${String(c).padStart(3, '0')}`;
      items.push({ alphabet: `g${c % groups}`, character, key: `k${String(k).padStart(3, '0')}`, pixels });
    }
  return buildImageSet(size, items);
}

const tag = (px: Float32Array, i: number, size = 4) => px[i * size * size];

describe('domain episodes', () => {
  it('materialises uneven support sets class-major with their sizes; queries balanced; no image twice', () => {
    const set = taggedSet(60, 30, 3);
    for (let s = 0; s < 20; s++) {
      const e = sampleDomainEpisode(set, { ways: 'variable', shots: 'variable', rng: Rng.fromSeed(s, 'e') });
      const total = e.classSizes.reduce((a, b) => a + b, 0);
      expect(e.supportShape[0]).toBe(total);
      expect(e.queryShape[0]).toBe(e.ways * e.queries);
      expect(e.shots).toBe(Math.min(...e.classSizes));
      let at = 0;
      const seen = new Set<number>();
      e.classSizes.forEach((n, label) => {
        const cls = Math.floor((tag(e.support, at) - 1) / 100);
        for (let k = 0; k < n; k++, at++) {
          expect(e.supportLabels[at]).toBe(label);
          expect(Math.floor((tag(e.support, at) - 1) / 100)).toBe(cls);
          seen.add(tag(e.support, at));
        }
        for (let q = 0; q < e.queries; q++) {
          const i = label * e.queries + q;
          expect(e.queryLabels[i]).toBe(label);
          expect(Math.floor((tag(e.query, i) - 1) / 100)).toBe(cls);
          expect(seen.has(tag(e.query, i))).toBe(false); // support and query disjoint
          seen.add(tag(e.query, i));
        }
      });
    }
  });

  it('is deterministic for a seed', () => {
    const set = taggedSet(20, 10);
    const a = sampleDomainEpisode(set, { ways: 'variable', shots: 'variable', rng: Rng.fromSeed(3, 'x') });
    const b = sampleDomainEpisode(set, { ways: 'variable', shots: 'variable', rng: Rng.fromSeed(3, 'x') });
    expect(a).toEqual(b);
  });

  it('refuses a description whose items do not fit its shots', () => {
    const set = taggedSet(3, 5);
    const d = {
      ways: 2,
      shots: [2, 1],
      queries: 1,
      classes: [
        { classIndex: 0, variant: 0, items: [0, 1, 2] },
        { classIndex: 1, variant: 0, items: [0, 1, 2] },
      ],
    };
    expect(() => materializeVariableEpisode(set, d)).toThrow('class 1 of the episode needs 2 images');
  });

  it('concatenates domains with their groups kept apart', () => {
    const a = taggedSet(3, 2, 1);
    const b = taggedSet(2, 4, 2);
    const all = concatDomains([
      { name: 'a', set: a },
      { name: 'b', set: b },
    ]);
    expect(all.classes.map((c) => c.alphabet)).toEqual(['a/g0', 'a/g0', 'a/g0', 'b/g0', 'b/g1']);
    expect(all.classOf.length).toBe(6 + 8);
    expect(imageAt(all, 6)).toEqual(imageAt(b, 0));
  });

  it('training draws each episode from one domain, every domain in turn; pre-training labels count across them', () => {
    const a = taggedSet(6, 4); // tags < 600
    const b = taggedSet(8, 4); // the same tags: told apart by their class counts below
    const source = multiDomainEpisodeSource(
      [
        { name: 'a', set: a },
        { name: 'b', set: b },
      ],
      { ways: 5, rotations: false, reflections: false, augment: false },
    );
    const rng = Rng.fromSeed(5, 'train');
    let fromB = 0;
    for (let i = 0; i < 200; i++) {
      const e = source.episode(1, 1, rng);
      const classes = e.classes.map((c) => c.classIndex);
      if (classes.some((c) => c >= 6)) fromB++;
    }
    // b's episodes use a class ≥ 6 with probability 1 - C(6,5)/C(8,5) = 0.89: about 89 of 200
    expect(fromB).toBeGreaterThan(65);
    expect(fromB).toBeLessThan(115);
    const batch = source.pretrainBatch(400, Rng.fromSeed(1));
    const labels = Array.from(batch.labels);
    expect(Math.min(...labels)).toBe(0);
    expect(Math.max(...labels)).toBe(13);
    expect(labels.filter((l) => l >= 6).length).toBeGreaterThan(150);
    expect(batch.shape).toEqual([400, 4, 4, 1]);
  });
});
