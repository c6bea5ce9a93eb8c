import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { sampleEpisode } from '../data/episodes.js';
import { disposeEpisode, episodeTensors } from '../fewshot/episode-tensors.js';
import {
  defaultFewShotConfig,
  type FewShotConfig,
  type FewShotMethodName,
} from '../fewshot/fewshot-config.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import { syntheticCharacters } from '../fewshot/fixtures.js';
import { Rng } from '../random/rng.js';
import { fewShotNetwork } from './fewshot-network.js';
import { foldAffine } from './network-spec.js';
import { runNetwork } from './run-network.js';

/** The exported network must give hypermeta's query logits: within 1e-4 of the largest |logit| (at least 1). */
const TOLERANCE = 1e-4;

const tiny = (method: FewShotMethodName, extra: Partial<FewShotConfig> = {}): FewShotConfig => ({
  ...defaultFewShotConfig('omniglot', method),
  filters: 4,
  generatorHidden: [8],
  pretrainClasses: 6,
  headSteps: 5,
  ...extra,
});

const CASES: [string, FewShotConfig][] = [
  ['hypernet', tiny('hypernet')],
  ['hypernet with modulation and head steps', tiny('hypernet', { modulation: true, innerSteps: 2 })],
  ['protonet', tiny('protonet')],
  ['maml', tiny('maml', { innerSteps: 2 })],
  ['finetune', tiny('finetune')],
];

function episode(seed: number, classSizes?: number[]) {
  const e = sampleEpisode(syntheticCharacters(4, 5, 6), {
    ways: 3,
    shots: 2,
    queries: 3,
    rng: Rng.fromSeed(seed),
  });
  if (!classSizes) return episodeTensors(e);
  // Uneven support: class c keeps classSizes[c] of its two images.
  const px = 28 * 28;
  const keep = classSizes.flatMap((n, c) => [0, 1].slice(0, n).map((s) => c * 2 + s));
  const support = new Float32Array(keep.length * px);
  keep.forEach((k, i) => support.set(e.support.subarray(k * px, (k + 1) * px), i * px));
  return episodeTensors({ ...e, support, supportShape: [keep.length, 28, 28, 1], shots: 1, classSizes });
}

function maxError(a: Float32Array, b: Float32Array): number {
  const scale = Math.max(1, ...Array.from(b, Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / scale;
}

describe('adapted few-shot networks as plain layers', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [name, config] of CASES) {
    it(`${name}: the layers give the method's query logits, and leak no tensor`, () => {
      const model = new FewShotModel(config, 3);
      const ep = episode(11, name === 'protonet' ? [2, 1, 2] : undefined);
      const before = tf.memory().numTensors;
      const spec = fewShotNetwork(model, ep, ['a', 'b', 'c']);
      expect(tf.memory().numTensors).toBe(before);
      const logits = model.queryLogits(ep);
      const want = logits.dataSync() as Float32Array;
      for (const s of [spec, foldAffine(spec)]) {
        const got = tf.tidy(() => runNetwork(s, ep.query));
        expect(got.shape).toEqual([9, 3]);
        expect(maxError(got.dataSync() as Float32Array, want)).toBeLessThan(TOLERANCE);
        got.dispose();
      }
      expect(spec.labels).toEqual(['a', 'b', 'c']);
      // conv4 keeps its shape: 4 × (conv, affine, pool, relu), flatten, then the method's head
      expect(spec.layers.slice(0, 4).map((l) => l.kind)).toEqual(['conv2d', 'affine', 'maxPool', 'relu']);
      expect(spec.layers.at(-1)!.kind).toBe('dense');
      expect(foldAffine(spec).layers.filter((l) => l.kind === 'affine')).toHaveLength(0);
      tf.dispose(logits);
      disposeEpisode(ep);
      model.dispose();
    });
  }

  it('fixes batch norm to the support set: queries do not change each other', () => {
    const model = new FewShotModel(tiny('protonet'), 3);
    const ep = episode(12);
    const spec = fewShotNetwork(model, ep);
    const one = tf.tidy(() => runNetwork(spec, tf.slice(ep.query, 0, 1)).dataSync());
    const all = tf.tidy(() => runNetwork(spec, ep.query).dataSync());
    expect(Array.from(one)).toEqual(Array.from(all.slice(0, 3)));
    disposeEpisode(ep);
    model.dispose();
  });

  it('refuses labels that do not match the classes', () => {
    const model = new FewShotModel(tiny('protonet'), 3);
    const ep = episode(13);
    expect(() => fewShotNetwork(model, ep, ['a'])).toThrow(InvalidArgumentError);
    disposeEpisode(ep);
    model.dispose();
  });
});
