import { describe, expect, it } from 'vitest';
import '../index.js';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../random/rng.js';
import { defaultFewShotConfig, type FewShotMethodName } from './fewshot-config.js';
import { FewShotModel } from './fewshot-model.js';
import { disposeEpisode, episodeTensors } from './episode-tensors.js';
import { prototypes } from './heads.js';

const images = (n: number, rng: Rng) => rng.fill(n * 784, (r) => (r.uniform() < 0.2 ? 1 : 0));

describe('classes with different numbers of support examples', () => {
  it("prototypes are each class's own mean", () => {
    const s = tf.tensor2d([
      [1, 1],
      [3, 3],
      [5, 5],
      [10, 0],
    ]);
    const p = prototypes(s, 2, 1, [3, 1]);
    expect(Array.from(p.dataSync())).toEqual([3, 3, 10, 0]);
    tf.dispose([s, p]);
  });

  it('equal sizes given explicitly change nothing; every method classifies an uneven episode', () => {
    const rng = Rng.fromSeed(4);
    const support = images(6, rng);
    const query = images(4, rng);
    for (const method of ['hypernet', 'protonet', 'maml', 'finetune'] as FewShotMethodName[]) {
      const m = new FewShotModel(
        {
          ...defaultFewShotConfig('test', method),
          filters: 4,
          generatorHidden: [8],
          innerSteps: method === 'maml' ? 1 : 0,
          headSteps: 3,
        },
        2,
      );
      const even = {
        ways: 3,
        shots: 2,
        support,
        supportShape: [6, 28, 28, 1] as [number, number, number, number],
        query,
        queryShape: [4, 28, 28, 1] as [number, number, number, number],
      };
      const logits = (e: Parameters<typeof episodeTensors>[0]) => {
        const t = episodeTensors(e);
        const l = m.queryLogits(t);
        const v = Array.from(l.dataSync());
        tf.dispose(l);
        disposeEpisode(t);
        return v;
      };
      const before = tf.memory().numTensors;
      const plain = logits(even);
      expect(logits({ ...even, classSizes: [2, 2, 2] })).toEqual(plain);
      const uneven = logits({ ...even, shots: 1, classSizes: [1, 2, 3] });
      expect(uneven).toHaveLength(12);
      expect(uneven.every(Number.isFinite)).toBe(true);
      expect(uneven).not.toEqual(plain);
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    }
  });
});
