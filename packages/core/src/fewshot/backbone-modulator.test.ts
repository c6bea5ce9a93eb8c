import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { syntheticCharacters } from './fixtures.js';
import { sampleEpisode } from '../data/episodes.js';
import { Rng } from '../random/rng.js';
import { BackboneModulator } from './backbone-modulator.js';
import { conv4Shapes, initConv4 } from './conv4.js';
import { episodeTensors, disposeEpisode } from './episode-tensors.js';
import { defaultFewShotConfig, validateFewShotConfig } from './fewshot-config.js';
import { FewShotModel } from './fewshot-model.js';

describe('backbone modulation (FiLM)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("scales each layer's batch-norm gain by 1 + Δscale and adds Δshift to its offset", () => {
    const F = 3;
    const mod = new BackboneModulator(F, [4]);
    const rng = Rng.fromSeed(1);
    const backbone = initConv4(conv4Shapes(F), rng).map((v, i) => tf.tensor(v, [...conv4Shapes(F)[i].shape]));
    const gen = mod.init(rng).map((v, i) => tf.tensor(v, [...mod.paramShapes[i].shape]));
    // Output bias of the generator: scale part 0.5, shift part -1 for every channel.
    gen[gen.length - 1] = tf.tensor1d([...new Array(4 * F).fill(0.5), ...new Array(4 * F).fill(-1)]);
    gen[gen.length - 2] = tf.zerosLike(gen[gen.length - 2]);
    const out = mod.modulate(backbone, gen, tf.ones([1, F]) as tf.Tensor2D);
    for (let i = 0; i < 4; i++) {
      expect(out[3 * i]).toBe(backbone[3 * i]);
      const close = (a: tf.Tensor, want: number[]) =>
        Array.from(a.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[j], 6));
      close(
        out[3 * i + 1],
        Array.from(backbone[3 * i + 1].dataSync()).map((g) => g * 1.5),
      );
      close(
        out[3 * i + 2],
        Array.from(backbone[3 * i + 2].dataSync()).map((b) => b - 1),
      );
    }
  });

  it('is trained with the hypernet: its generator gets a gradient, and nothing leaks', () => {
    const model = new FewShotModel(
      { ...defaultFewShotConfig('test', 'hypernet'), filters: 4, generatorHidden: [8], modulation: true },
      3,
    );
    expect(model.store.shapes.some((s) => s.name.startsWith('film/'))).toBe(true);
    const episode = sampleEpisode(syntheticCharacters(2), {
      ways: 3,
      shots: 1,
      queries: 2,
      rng: Rng.fromSeed(4),
    });
    model.episodeGradient(episode);
    const before = tf.memory().numTensors;
    const { loss, grad } = model.episodeGradient(episode);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(loss)).toBe(true);
    let offset = 0;
    let filmNorm = 0;
    for (const s of model.store.shapes) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      if (s.name.startsWith('film/')) for (let i = offset; i < offset + n; i++) filmNorm += grad[i] * grad[i];
      offset += n;
    }
    expect(filmNorm).toBeGreaterThan(0);
    const ep = episodeTensors(episode);
    const logits = model.queryLogits(ep);
    expect(logits.shape).toEqual([6, 3]);
    tf.dispose(logits);
    disposeEpisode(ep);
    model.dispose();
  });

  it('is a hypernet option only', () => {
    expect(() =>
      validateFewShotConfig({ ...defaultFewShotConfig('test', 'protonet'), modulation: true }),
    ).toThrow(/hypernet option/);
  });
});
