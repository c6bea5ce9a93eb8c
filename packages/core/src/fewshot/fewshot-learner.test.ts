import { describe, expect, it } from 'vitest';
import { buildImageSet, type ImageItem } from '../data/image-set.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { defaultTrainConfig } from '../train/train-config.js';
import { defaultOmniglotConfig, validateOmniglotConfig } from '../families/omniglot/omniglot-config.js';
import { imageEpisodeSource } from '../data/image-episode-source.js';
import { defaultJitter } from '../data/augment.js';
import { sampleEpisode } from '../data/episodes.js';
import { FewShotLearner } from './fewshot-learner.js';
import { FewShotModel } from './fewshot-model.js';

/** Three alphabets of four characters, three images each. */
function images(): ReturnType<typeof buildImageSet> {
  const rng = Rng.fromSeed(3, 'images');
  const items: ImageItem[] = [];
  for (const alphabet of ['a', 'b', 'c']) {
    for (let c = 0; c < 4; c++)
      for (let k = 0; k < 3; k++)
        items.push({
          alphabet,
          character: `${alphabet}${c}`,
          key: `${k}`,
          pixels: rng.fill(28 * 28, (r) => (r.uniform() < 0.2 ? 1 : 0)),
        });
  }
  return buildImageSet(28, items);
}

const trainSet = images();
const alphabetsOf = (learner: FewShotLearner, rng: Rng) =>
  learner
    .splitStep(rng)
    .parts.map((ep) => new Set(ep.classes.map((c) => trainSet.classes[c.classIndex].alphabet)));

describe('FewShotLearner episodes', () => {
  const train = { ...defaultTrainConfig(), metaBatch: 4, shotsMin: 1, shotsMax: 1, queries: 1 };
  const learner = (withinAlphabet: boolean) =>
    new FewShotLearner(
      new FewShotModel({ ...defaultOmniglotConfig('protonet'), filters: 2 }, 1),
      imageEpisodeSource(trainSet, {
        ways: 4,
        rotations: false,
        reflections: false,
        withinAlphabet,
        augment: true,
      }),
      train,
    );

  it('draw each episode from one alphabet with withinAlphabet, and across them without', () => {
    const within = learner(true);
    const seen = new Set<string>();
    for (let s = 0; s < 5; s++) {
      for (const names of alphabetsOf(within, Rng.fromSeed(s))) {
        expect(names.size).toBe(1);
        seen.add([...names][0]);
      }
    }
    expect(seen.size).toBe(3);
    const across = learner(false);
    const mixed = Array.from({ length: 5 }, (_, s) => alphabetsOf(across, Rng.fromSeed(s))).flat();
    expect(mixed.some((names) => names.size > 1)).toBe(true);
    within.model.dispose();
    across.model.dispose();
  });

  it('refuse a withinAlphabet that is not a boolean', () => {
    expect(() =>
      validateOmniglotConfig({ ...defaultOmniglotConfig(), withinAlphabet: 'yes' as never }),
    ).toThrow(InvalidArgumentError);
  });
});

describe('stroke jitter', () => {
  it('reaches the training episodes as the distortion ranges ask', () => {
    const o = { ways: 4, rotations: false, reflections: false, augment: true };
    const stroked = imageEpisodeSource(trainSet, { ...o, strokeJitter: 1 }).episode(1, 1, Rng.fromSeed(5));
    const jitter = { ...defaultJitter, stroke: 1 };
    const direct = { ways: 4, shots: 1, queries: 1, rotations: false, reflections: false, jitter };
    expect(stroked).toEqual(sampleEpisode(trainSet, { ...direct, rng: Rng.fromSeed(5) }));
    const plain = sampleEpisode(trainSet, { ...direct, jitter: defaultJitter, rng: Rng.fromSeed(5) });
    expect(imageEpisodeSource(trainSet, o).episode(1, 1, Rng.fromSeed(5))).toEqual(plain);
    expect(Array.from(stroked.support)).not.toEqual(Array.from(plain.support));
  });

  it('is validated: 0–1, absent in older checkpoints', () => {
    const c = defaultOmniglotConfig();
    expect(validateOmniglotConfig(c).strokeJitter).toBeUndefined();
    expect(validateOmniglotConfig({ ...c, strokeJitter: 0.5 }).strokeJitter).toBe(0.5);
    expect(() => validateOmniglotConfig({ ...c, strokeJitter: 1.5 })).toThrow(
      /strokeJitter must be a number from 0 to 1/,
    );
  });
});
