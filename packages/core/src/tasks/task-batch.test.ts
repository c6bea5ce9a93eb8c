import { describe, expect, it } from 'vitest';
import '../index.js';
import * as tf from '@tensorflow/tfjs-core';
import { smallModel } from '../conformance/fixtures.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { defaultFewShotConfig } from '../fewshot/fewshot-config.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import { episodeTensors } from '../fewshot/episode-tensors.js';
import { Rng } from '../random/rng.js';

const t3 = (T: number, n: number, d = 1, fill = 0.5) => tf.fill([T, n, d], fill) as tf.Tensor3D;

describe('bad inputs to adaptation are hypermeta errors in our words', () => {
  const model = smallModel();
  const predict = (b: Parameters<typeof model.predict>[0]) => () => model.predict(b, Rng.fromSeed(1));
  const cases: [string, Parameters<typeof model.predict>[0], RegExp][] = [
    [
      'task counts differ',
      { supportX: t3(2, 3), supportY: t3(2, 3), queryX: t3(3, 4) },
      /queryX has 3 tasks, supportX has 2/,
    ],
    [
      'empty support set',
      { supportX: t3(2, 0), supportY: t3(2, 0), queryX: t3(2, 4) },
      /the support set is empty/,
    ],
    [
      'support x and y differ',
      { supportX: t3(1, 3), supportY: t3(1, 4), queryX: t3(1, 4) },
      /supportX has 3 points per task, supportY 4/,
    ],
    [
      'wrong input size',
      { supportX: t3(1, 3, 2), supportY: t3(1, 3), queryX: t3(1, 4, 2) },
      /supportX has 2 values per point, the task network takes 1/,
    ],
    [
      'rank 2 query',
      { supportX: t3(1, 3), supportY: t3(1, 3), queryX: tf.zeros([1, 4]) as unknown as tf.Tensor3D },
      /queryX must be a \[tasks, points, size\] tensor, got \[1, 4\]/,
    ],
    [
      'NaN support',
      { supportX: t3(1, 3), supportY: t3(1, 3, 1, NaN), queryX: t3(1, 4) },
      /supportY holds NaN or infinite values/,
    ],
  ];
  for (const [name, batch, message] of cases) {
    it(name, () => {
      const before = tf.memory().numTensors;
      expect(predict(batch)).toThrow(InvalidArgumentError);
      expect(predict(batch)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('few-shot episodes: support count, classes, labels, image size, NaN', () => {
    const m = new FewShotModel({ ...defaultFewShotConfig('test', 'protonet'), filters: 2 }, 1);
    const ep = (o: {
      ways?: number;
      shots?: number;
      n?: number;
      size?: number;
      q?: number;
      labels?: number;
      fill?: number;
    }) =>
      episodeTensors({
        ways: o.ways ?? 2,
        shots: o.shots ?? 1,
        support: new Float32Array((o.n ?? 2) * (o.size ?? 28) ** 2).fill(o.fill ?? 0),
        supportShape: [o.n ?? 2, o.size ?? 28, o.size ?? 28, 1],
        query: new Float32Array((o.q ?? 3) * 784),
        queryShape: [o.q ?? 3, 28, 28, 1],
        queryLabels: new Int32Array(o.labels ?? o.q ?? 3),
      });
    expect(() => m.queryLogits(ep({ n: 3 }))).toThrow(
      /the support set has 3 images, 2 classes × 1 shots need 2/,
    );
    expect(() => m.queryLogits(ep({ ways: 1, n: 1 }))).toThrow(/at least 2 classes/);
    expect(() => m.queryLogits(ep({ labels: 2 }))).toThrow(/2 query labels for 3 query images/);
    expect(() => m.queryLogits(ep({ size: 14 }))).toThrow(
      /support images must be a \[count, 28, 28, 1\] tensor, got \[2, 14, 14, 1\]/,
    );
    expect(() => m.queryLogits(ep({ fill: NaN }))).toThrow(/NaN or infinite/);
    m.dispose();
  });
});
