import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { syntheticCharacters } from './fixtures.js';
import { sampleEpisode } from '../data/episodes.js';
import { Rng } from '../random/rng.js';
import { defaultFewShotConfig, validateFewShotConfig } from './fewshot-config.js';
import { disposeEpisode, episodeTensors } from './episode-tensors.js';
import { FewShotModel } from './fewshot-model.js';
import { paramCount } from '../params/param-shapes.js';

describe('hypernet auxiliary prototype loss', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("adds w × the prototype classifier's loss on the same embeddings, and leaves inference alone", () => {
    const episode = sampleEpisode(syntheticCharacters(2), {
      ways: 3,
      shots: 1,
      queries: 2,
      rng: Rng.fromSeed(4),
    });
    const cfg = {
      ...defaultFewShotConfig('test', 'hypernet'),
      filters: 4,
      generatorHidden: [8],
      protoLoss: 0,
    };
    // The same seed gives every model the same backbone (it is initialised first).
    const plain = new FewShotModel(cfg, 3);
    const aux = new FewShotModel({ ...cfg, protoLoss: 0.5 }, 3);
    const proto = new FewShotModel({ ...defaultFewShotConfig('test', 'protonet'), filters: 4 }, 3);
    const before = tf.memory().numTensors;
    const [a, b, p] = [plain, aux, proto].map((m) => m.episodeGradient(episode));
    expect(tf.memory().numTensors).toBe(before);
    expect(p.loss).toBeGreaterThan(0);
    expect(b.loss).toBeCloseTo(a.loss + 0.5 * p.loss, 5);
    // Backbone gradients: the auxiliary term's share is w × protonet's.
    const n = paramCount(proto.store.shapes);
    for (let i = 0; i < n; i += 97) expect(b.grad[i]).toBeCloseTo(a.grad[i] + 0.5 * p.grad[i], 4);
    const ep = episodeTensors(episode);
    const [la, lb] = [plain, aux].map((m) => m.queryLogits(ep));
    expect(Array.from(lb.dataSync())).toEqual(Array.from(la.dataSync()));
    tf.dispose([la, lb]);
    disposeEpisode(ep);
    [plain, aux, proto].forEach((m) => m.dispose());
  });

  it('is a hypernet option, and a weight ≥ 0', () => {
    expect(() =>
      validateFewShotConfig({ ...defaultFewShotConfig('test', 'protonet'), protoLoss: 1 }),
    ).toThrow(/hypernet option/);
    expect(() =>
      validateFewShotConfig({ ...defaultFewShotConfig('test', 'hypernet'), protoLoss: -1 }),
    ).toThrow(/protoLoss/);
    expect(
      validateFewShotConfig({ ...defaultFewShotConfig('test', 'hypernet'), protoLoss: 0 }).protoLoss,
    ).toBe(0);
  });
});
