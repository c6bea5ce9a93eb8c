import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { channelAffine, channelMoments, channelSum } from './channel-ops.js';

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5) => {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(tol * Math.max(1, Math.abs(y[i]))));
};

describe('per-channel ops on NHWC tensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('sum, mean and variance agree with tf.sum and tf.moments over axes 0–2', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([3, 5, 4, 6], 1, 2, 'float32', 7);
      close(channelSum(x), tf.reshape(tf.sum(x, [0, 1, 2]), [1, 6]));
      const ours = channelMoments(x);
      const ref = tf.moments(x, [0, 1, 2]);
      close(ours.mean, tf.reshape(ref.mean, [1, 6]));
      close(ours.variance, tf.reshape(ref.variance, [1, 6]), 1e-4);
    });
  });

  it('gradients of batch-norm-style use agree with the same expression in plain tf ops, and nothing leaks', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 3);
      const dy = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 4);
      const gamma = tf.tensor1d([1, 0.5, 2]);
      const ours = (a: tf.Tensor, g: tf.Tensor) => {
        const { mean, variance } = channelMoments(a);
        const scale = tf.mul(g, tf.rsqrt(tf.add(variance, 1e-5)));
        return tf.sum(tf.mul(channelAffine(a, scale, tf.neg(tf.mul(mean, scale))), dy));
      };
      const plain = (a: tf.Tensor, g: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.mul(tf.sub(a, mean), tf.mul(g, tf.rsqrt(tf.add(variance, 1e-5)))), dy));
      };
      const [gx, gg] = tf.grads(ours)([x, gamma]);
      const [rx, rg] = tf.grads(plain)([x, gamma]);
      close(gx, rx, 1e-3);
      close(gg, rg, 1e-3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
