import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { syntheticCharacters } from '../fewshot/fixtures.js';
import { defaultJitter, jitterDraws, jitterInto } from './augment.js';
import { skipDraws } from './episode-steps.js';
import {
  describeImageEpisode,
  type Episode,
  type EpisodeOptions,
  materializeImageEpisode,
  orientInto,
  rotateInto,
  sampleEpisode,
} from './episodes.js';
import {
  alphabetsOf,
  buildImageSet,
  imageAt,
  splitByAlphabet,
  type ImageItem,
  type ImageSet,
} from './image-set.js';

const SIZE = 4;

// Every image is unique and asymmetric: value encodes (image id, pixel position).
function synthetic(alphabets = 3, chars = 5, perClass = 6): ImageSet {
  const items: ImageItem[] = [];
  let id = 0;
  for (let a = 0; a < alphabets; a++) {
    for (let c = 0; c < chars; c++) {
      for (let k = 0; k < perClass; k++, id++) {
        const pixels = new Float32Array(SIZE * SIZE).map((_, p) => (id * SIZE * SIZE + p + 1) / 1e4);
        items.push({
          alphabet: `alpha${a}`,
          character: `character${String(c + 1).padStart(2, '0')}`,
          key: `${k}.png`,
          pixels,
        });
      }
    }
  }
  return buildImageSet(SIZE, items);
}

function imageOf(x: Float32Array, i: number): Float32Array {
  return x.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
}

function rotated(src: Float32Array, k: number): Float32Array {
  const out = new Float32Array(src.length);
  rotateInto(src, out, SIZE, k);
  return out;
}

describe('buildImageSet', () => {
  it('merges duplicate alphabet/character/key entries and sorts classes', () => {
    const px = new Float32Array(SIZE * SIZE);
    const set = buildImageSet(SIZE, [
      { alphabet: 'Latin', character: 'character02', key: 'b.png', pixels: px },
      { alphabet: 'Greek', character: 'character01', key: 'a.png', pixels: px },
      { alphabet: 'Latin', character: 'character02', key: 'b.png', pixels: px.map(() => 1) },
      { alphabet: 'Latin', character: 'character02', key: 'a.png', pixels: px },
    ]);
    expect(set.classes.map((c) => `${c.alphabet}/${c.character}:${c.images.length}`)).toEqual([
      'Greek/character01:1',
      'Latin/character02:2',
    ]);
    expect([...set.classOf]).toEqual([0, 1, 1]);
    expect(imageAt(set, 2).every((v) => v === 0)).toBe(true); // first copy of b.png wins
  });
});

describe('sampleEpisode', () => {
  const set = synthetic();

  it('returns class-major support and query with matching shapes and labels', () => {
    const ep = sampleEpisode(set, { ways: 4, shots: 2, queries: 3, rng: Rng.fromSeed(1) });
    expect(ep.supportShape).toEqual([8, SIZE, SIZE, 1]);
    expect(ep.queryShape).toEqual([12, SIZE, SIZE, 1]);
    expect(ep.support.length).toBe(8 * SIZE * SIZE);
    expect(ep.query.length).toBe(12 * SIZE * SIZE);
    expect([...ep.supportLabels]).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect([...ep.queryLabels]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(new Set(ep.classes.map((c) => c.classIndex)).size).toBe(4);
    // each image really comes from its label's class, and no image repeats within a class
    const all = [...Array(8).keys()]
      .map((i) => [imageOf(ep.support, i), ep.supportLabels[i]] as const)
      .concat([...Array(12).keys()].map((i) => [imageOf(ep.query, i), ep.queryLabels[i]] as const));
    const used = new Set<number>();
    for (const [img, label] of all) {
      const cls = set.classes[ep.classes[label].classIndex];
      const hit = cls.images.find((j) => imageAt(set, j).every((v, p) => v === img[p]));
      expect(hit).toBeDefined();
      expect(used.has(hit!)).toBe(false);
      used.add(hit!);
    }
  });

  it('is deterministic for the same RNG state and varies otherwise', () => {
    const opts = { ways: 3, shots: 1, queries: 2, rotations: true };
    const a = sampleEpisode(set, { ...opts, rng: Rng.fromSeed(7) });
    const b = sampleEpisode(set, { ...opts, rng: Rng.fromSeed(7) });
    const c = sampleEpisode(set, { ...opts, rng: Rng.fromSeed(8) });
    expect(b).toEqual(a);
    expect(c.support).not.toEqual(a.support);
    const rng = Rng.fromSeed(3);
    const saved = rng.state();
    const first = sampleEpisode(set, { ...opts, rng });
    expect(sampleEpisode(set, { ...opts, rng: Rng.fromState(saved) })).toEqual(first);
  });

  it('rotations rotate the pixels and make each rotation a class', () => {
    const seen = new Set<number>();
    const rng = Rng.fromSeed(11);
    for (let e = 0; e < 20; e++) {
      const ep = sampleEpisode(set, { ways: 5, shots: 1, queries: 1, rng, rotations: true });
      ep.classes.forEach((cls, label) => {
        seen.add(cls.rotation);
        const img = imageOf(ep.support, label);
        const source = set.classes[cls.classIndex].images.map((j) => imageAt(set, j));
        expect(source.some((s) => rotated(s, cls.rotation).every((v, p) => v === img[p]))).toBe(true);
        if (cls.rotation !== 0) expect(source.some((s) => s.every((v, p) => v === img[p]))).toBe(false);
      });
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });

  it('reflections add mirrored classes, each of the eight orientations a class of its own', () => {
    const seen = new Set<string>();
    const rng = Rng.fromSeed(12);
    for (let e = 0; e < 30; e++) {
      const ep = sampleEpisode(set, {
        ways: 6,
        shots: 1,
        queries: 1,
        rng,
        rotations: true,
        reflections: true,
      });
      ep.classes.forEach((cls, label) => {
        seen.add(`${cls.mirrored}/${cls.rotation}`);
        const img = imageOf(ep.support, label);
        const oriented = (s: Float32Array) => {
          const out = new Float32Array(s.length);
          orientInto(s, out, SIZE, cls.rotation, cls.mirrored);
          return out;
        };
        const source = set.classes[cls.classIndex].images.map((j) => imageAt(set, j));
        expect(source.some((s) => oriented(s).every((v, p) => v === img[p]))).toBe(true);
        if (cls.mirrored) {
          expect(cls.name).toMatch(/mirrored/);
          expect(
            source.some((s) => [0, 1, 2, 3].some((k) => rotated(s, k).every((v, p) => v === img[p]))),
          ).toBe(false);
        }
      });
    }
    expect(seen.size).toBe(8);
  });

  it('orientInto mirrors left to right before turning', () => {
    const src = new Float32Array(SIZE * SIZE);
    src[0] = 1; // top-left
    const out = new Float32Array(src.length);
    orientInto(src, out, SIZE, 0, true);
    expect(out[SIZE - 1]).toBe(1); // top-right
    orientInto(src, out, SIZE, 1, true);
    expect(out[0]).toBe(1); // top-right turned a quarter counter-clockwise lands top-left
  });

  it('rotateInto turns counter-clockwise and four turns are the identity', () => {
    const src = new Float32Array([1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const r1 = rotated(src, 1);
    expect(r1[3 * SIZE + 0]).toBe(1); // top-left goes to bottom-left
    expect(r1[2 * SIZE + 0]).toBe(2);
    expect(rotated(rotated(r1, 1), 2)).toEqual(src);
  });

  it('withinAlphabet draws every class from one alphabet', () => {
    const rng = Rng.fromSeed(5);
    const alphabets = new Set<string>();
    for (let e = 0; e < 10; e++) {
      const ep = sampleEpisode(set, { ways: 5, shots: 1, queries: 1, rng, withinAlphabet: true });
      const names = new Set(ep.classes.map((c) => set.classes[c.classIndex].alphabet));
      expect(names.size).toBe(1);
      alphabets.add([...names][0]);
    }
    expect(alphabets.size).toBeGreaterThan(1);
    // 5 characters x 4 rotations allow up to 20 ways within one alphabet
    expect(() =>
      sampleEpisode(set, { ways: 20, shots: 1, queries: 1, rng, withinAlphabet: true, rotations: true }),
    ).not.toThrow();
  });

  it('rejects invalid requests with clear InvalidArgumentErrors', () => {
    const rng = Rng.fromSeed(0);
    const bad = (o: Partial<Parameters<typeof sampleEpisode>[1]>, msg: RegExp) => {
      const call = () => sampleEpisode(set, { ways: 2, shots: 1, queries: 1, rng, ...o });
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(msg);
    };
    bad({ ways: 1 }, /ways must be a whole number >= 2/);
    bad({ ways: 2.5 }, /ways must be/);
    bad({ shots: 0 }, /shots must be a whole number >= 1/);
    bad({ queries: 0 }, /queries must be/);
    bad({ shots: 4, queries: 3 }, /shots \+ queries = 7 exceeds the images per class \(at most 6\)/);
    bad({ ways: 16 }, /ways = 16 exceeds the 15 classes available/);
    bad({ ways: 6, withinAlphabet: true }, /within any one alphabet \(at most 5\)/);
    bad({ ways: 21, withinAlphabet: true, rotations: true }, /at most 20 counting rotations/);
  });
});

describe('describeImageEpisode and materializeImageEpisode', () => {
  const set = synthetic();

  it('compose to sampleEpisode, the description holding only indices', () => {
    const opts = {
      ways: 4,
      shots: 2,
      queries: 1,
      rotations: true,
      reflections: true,
      withinAlphabet: true,
      jitter: defaultJitter,
    };
    const d = describeImageEpisode(set, { ...opts, rng: Rng.fromSeed(21) });
    expect(d.classes).toHaveLength(4);
    d.classes.forEach((c) => {
      expect(c.variant).toBeGreaterThanOrEqual(0);
      expect(c.variant).toBeLessThan(8);
      expect(c.items).toHaveLength(3);
      expect(c.stream).toBeDefined();
    });
    expect(materializeImageEpisode(set, d, opts)).toEqual(
      sampleEpisode(set, { ...opts, rng: Rng.fromSeed(21) }),
    );
    // each class replays its own reserved draws, so materialising again gives the same pixels
    expect(materializeImageEpisode(set, d, opts)).toEqual(materializeImageEpisode(set, d, opts));
    expect(
      describeImageEpisode(set, { ...opts, jitter: undefined, rng: Rng.fromSeed(21) }).classes[0].stream,
    ).toBeUndefined();
  });

  it('jitterInto takes exactly the draws each image reserves, with and without stroke changes', () => {
    for (const ranges of [defaultJitter, { ...defaultJitter, stroke: 0.5 }]) {
      const rng = Rng.fromSeed(22);
      const replay = Rng.fromState(rng.state());
      const img = imageAt(set, 0);
      jitterInto(img, new Float32Array(img.length), SIZE, rng, ranges);
      skipDraws(replay, jitterDraws(ranges));
      expect(rng.state()).toEqual(replay.state());
    }
    expect(jitterDraws({ ...defaultJitter, stroke: 0.5 })).toBe(jitterDraws(defaultJitter) + 1);
  });

  it('refuses descriptions that do not fit', () => {
    const d = describeImageEpisode(set, { ways: 3, shots: 1, queries: 1, rng: Rng.fromSeed(23) });
    expect(() => materializeImageEpisode(set, d, { jitter: defaultJitter })).toThrow(
      /no random draws reserved/,
    );
    expect(() => materializeImageEpisode(set, { ...d, shots: 2 })).toThrow(InvalidArgumentError);
    expect(() => materializeImageEpisode(set, { ...d, ways: 4 })).toThrow(
      'an episode description of 4 ways needs 4 classes of 2 images each',
    );
  });
});

describe('splitByAlphabet', () => {
  const set = synthetic(4, 3, 2);

  it('holds out the last two alphabets by default and never shares a class', () => {
    const s = splitByAlphabet(set);
    expect(s.testAlphabets).toEqual(['alpha2', 'alpha3']);
    expect(s.trainAlphabets).toEqual(['alpha0', 'alpha1']);
    expect(alphabetsOf(s.train)).toEqual(['alpha0', 'alpha1']);
    const key = (c: { alphabet: string; character: string }) => `${c.alphabet}/${c.character}`;
    const train = new Set(s.train.classes.map(key));
    expect(s.test.classes.some((c) => train.has(key(c)))).toBe(false);
    expect(s.train.classes.length + s.test.classes.length).toBe(set.classes.length);
    expect(s.train.pixels.length + s.test.pixels.length).toBe(set.pixels.length);
    // pixels travel with their class
    const orig = set.classes.findIndex((c) => c.alphabet === 'alpha3' && c.character === 'character02');
    const moved = s.test.classes.findIndex((c) => c.alphabet === 'alpha3' && c.character === 'character02');
    expect(imageAt(s.test, s.test.classes[moved].images[1])).toEqual(
      imageAt(set, set.classes[orig].images[1]),
    );
    expect([...s.test.classOf]).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('accepts named alphabets or a count and validates both', () => {
    expect(splitByAlphabet(set, ['alpha0']).testAlphabets).toEqual(['alpha0']);
    expect(splitByAlphabet(set, 1).testAlphabets).toEqual(['alpha3']);
    expect(() => splitByAlphabet(set, ['Klingon'])).toThrow(/unknown alphabet\(s\) Klingon/);
    expect(() => splitByAlphabet(set, 4)).toThrow(InvalidArgumentError);
    expect(() => splitByAlphabet(set, 0)).toThrow(InvalidArgumentError);
    expect(() => splitByAlphabet(set, [])).toThrow(InvalidArgumentError);
  });
});

// Pins the exact episodes (pixels, labels, classes, and the RNG draws they use) that training
// runs depend on: any change to the order of random draws shows up here.
describe('sampleEpisode determinism', () => {
  const fnv = (h: number, bytes: Uint8Array): number => {
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    return h;
  };
  const digest = (ep: Episode): string => {
    let h = 0x811c9dc5;
    for (const a of [ep.support, ep.query, ep.supportLabels, ep.queryLabels])
      h = fnv(h, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    h = fnv(h, new TextEncoder().encode(JSON.stringify(ep.classes)));
    return h.toString(16).padStart(8, '0');
  };
  // Four alphabets of synthetic characters with 6, 4, 5 and 2 images per class.
  const relabel = (s: ImageSet, alphabet: string): ImageItem[] =>
    s.classes.flatMap((c) =>
      c.images.map((i) => ({ alphabet, character: c.character, key: `${i}`, pixels: imageAt(s, i) })),
    );
  const mixed = buildImageSet(28, [
    ...relabel(syntheticCharacters(1, 5, 6), 'a'),
    ...relabel(syntheticCharacters(2, 3, 4), 'b'),
    ...relabel(syntheticCharacters(3, 7, 5), 'c'),
    ...relabel(syntheticCharacters(4, 1, 2), 'd'),
  ]);
  // Four episode digests from one stream, then the stream's state after them.
  const cases: [string, ImageSet, Omit<EpisodeOptions, 'rng'>, string[]][] = [
    [
      'plain',
      syntheticCharacters(1, 8, 6),
      { ways: 5, shots: 1, queries: 2 },
      ['ffc6938c', 'a2dbcb64', '4237a5e4', 'a3f9678c', '212ebbe0:c2b1f7ed:d332f02b:67954b4d'],
    ],
    [
      'every image',
      syntheticCharacters(1, 8, 6),
      { ways: 3, shots: 2, queries: 4 },
      ['8bc7c5a3', 'f149b339', '2418d06c', 'f1a6a64a', '1a25f784:93e0e987:a8ca437:7bbfdd47'],
    ],
    [
      'rotations',
      syntheticCharacters(2),
      { ways: 5, shots: 1, queries: 3, rotations: true },
      ['efe73104', '5cbdf34d', 'fca980dc', '54309fb3', '3c0f4414:90d523a6:43241789:76f7839'],
    ],
    [
      'reflections',
      syntheticCharacters(3),
      { ways: 6, shots: 2, queries: 1, rotations: true, reflections: true },
      ['3da9f611', 'ef953570', '65f770a5', '36bb6477', '2e70d9b8:471afe30:e59d6dff:b05960d6'],
    ],
    [
      'reflections only',
      syntheticCharacters(3),
      { ways: 4, shots: 1, queries: 1, reflections: true },
      ['d169c46c', 'e11e1d5b', '5fd9d5c2', '8d261f2c', '5e293a34:78b76b1:3b5e2c71:f9b30be2'],
    ],
    [
      'jitter',
      syntheticCharacters(4),
      { ways: 3, shots: 1, queries: 2, jitter: defaultJitter },
      ['3d277bb6', '6ff37ef8', '5d701791', '71e8ddd3', 'd8a06082:fe8fb5c7:b37cf6:c743b4ae'],
    ],
    [
      'all',
      mixed,
      { ways: 4, shots: 2, queries: 2, rotations: true, reflections: true, jitter: defaultJitter },
      ['bae25f1c', '735e40fb', 'db0e07db', '115ad9ae', '6f64e2b0:e46e4b4d:33f6d720:b7ec72aa'],
    ],
    [
      'within alphabet',
      mixed,
      { ways: 3, shots: 1, queries: 3, withinAlphabet: true },
      ['93b9cce1', 'd991f8fd', 'cbcb1b98', 'a564f78d', '3cec1d64:9edea398:1f6e8063:c7ff5305'],
    ],
    [
      'within alphabet, all',
      mixed,
      {
        ways: 12,
        shots: 2,
        queries: 3,
        withinAlphabet: true,
        rotations: true,
        reflections: true,
        jitter: defaultJitter,
      },
      ['c431c60a', '715694b6', '4e57c0c5', '7e73a95b', 'd41da9c8:1a867fb1:d0684207:67fcdd08'],
    ],
    [
      'many classes',
      mixed,
      { ways: 10, shots: 1, queries: 1 },
      ['5913f3d6', '0c0047c9', '205d91e9', 'a5ca3976', 'b24e9d88:3c53b985:99f2fdec:f91bac24'],
    ],
  ];
  it.each(cases)('%s', (_, set, opts, expected) => {
    const rng = Rng.fromSeed(99, 'episodes');
    const got = Array.from({ length: 4 }, () => digest(sampleEpisode(set, { ...opts, rng })));
    got.push(
      rng
        .state()
        .map((w) => (w >>> 0).toString(16))
        .join(':'),
    );
    expect(got).toEqual(expected);
  });

  it('draws the same classes, images and labels as always (readable pin)', () => {
    const rng = Rng.fromSeed(5, 'episodes');
    const sums = (x: Float32Array, n: number) =>
      Array.from({ length: n }, (_, i) => x.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0));
    const got = [
      sampleEpisode(mixed, {
        ways: 3,
        shots: 1,
        queries: 2,
        rng,
        withinAlphabet: true,
        rotations: true,
        reflections: true,
      }),
      sampleEpisode(mixed, { ways: 4, shots: 1, queries: 1, rng, rotations: true }),
    ].map((ep) => ({
      classes: ep.classes.map((c) => c.name),
      support: sums(ep.support, ep.supportLabels.length),
      query: sums(ep.query, ep.queryLabels.length),
    }));
    expect(got).toEqual([
      {
        classes: ['a/c1 rot180', 'a/c3 mirrored rot180', 'a/c4'],
        support: [117, 206, 228],
        query: [121, 127, 198, 194, 218, 234],
      },
      {
        classes: ['a/c4 rot180', 'a/c0 rot90', 'b/c2 rot180', 'c/c0 rot180'],
        support: [234, 70, 166, 88],
        query: [228, 81, 166, 90],
      },
    ]);
  });
});
