import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { Rng } from '../random/rng.js';
import { conv4Embed, conv4Shapes, initConv4 } from './conv4.js';

/** The backbone as the literature writes it: conv, batch norm (support statistics), ReLU, then pool. */
function literal(weights: tf.Tensor[], x: tf.Tensor4D, statsOf: number): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < 4; i++) {
    const [w, gamma, beta] = weights.slice(3 * i, 3 * i + 3);
    const z = tf.conv2d(h, w as tf.Tensor4D, 1, 'same');
    const { mean, variance } = tf.moments(tf.slice(z, 0, statsOf), [0, 1, 2]);
    const bn = tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
    h = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'valid');
  }
  return tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D;
}

describe('conv4 backbone', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches conv → batch norm → ReLU → pool in values and weight gradients (its ops are reordered and fused)', () => {
    const shapes = conv4Shapes(4);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const weights = initConv4(shapes, Rng.fromSeed(5)).map((v, i) => tf.tensor(v, [...shapes[i].shape]));
      const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 9) as tf.Tensor4D;
      const dy = tf.randomNormal([6, 4], 0, 1, 'float32', 10);
      const loss =
        (f: typeof literal) =>
        (...w: tf.Tensor[]) =>
          tf.sum(tf.mul(f(w, x, 2), dy));
      const ours = tf.grads(loss(conv4Embed))(weights);
      const ref = tf.grads(loss(literal))(weights);
      const a = conv4Embed(weights, x, 2).dataSync();
      literal(weights, x, 2)
        .dataSync()
        .forEach((v, i) => expect(Math.abs(a[i] - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))));
      ours.forEach((g, k) => {
        const [p, q] = [g.dataSync(), ref[k].dataSync()];
        const scale = Math.max(1, ...Array.from(q, Math.abs));
        q.forEach((v, i) => expect(Math.abs(p[i] - v)).toBeLessThan(2e-3 * scale));
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
