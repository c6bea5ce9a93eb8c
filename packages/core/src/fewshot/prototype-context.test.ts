import { describe, expect, it } from 'vitest';
import { tf } from '../index.js';
import { Rng } from '../random/rng.js';
import { attentionContext, initAttentionContext, meanContext } from './prototype-context.js';

describe('prototype context', () => {
  const protos = tf.tensor2d([[1, 0, 2], [0, 3, 1], [4, 1, 0], [2, 2, 2]]);

  it('attention with zero query/key maps and the identity as values is the mean context', () => {
    const zero = tf.zeros([3, 3]);
    const eye = tf.eye(3);
    const got = attentionContext(protos, [zero, zero, eye]).arraySync();
    const want = meanContext(protos).arraySync();
    got.flat().forEach((v, i) => expect(v).toBeCloseTo(want.flat()[i], 6));
  });

  it('starts close to the mean and differs per class once queries and keys matter', () => {
    const start = initAttentionContext(3, Rng.fromSeed(1)).map((v) => tf.tensor2d(v, [3, 3]));
    const mean = meanContext(protos).arraySync().flat();
    attentionContext(protos, start).arraySync().flat().forEach((v, i) => expect(Math.abs(v - mean[i])).toBeLessThan(0.2));
    const sharp = [tf.mul(tf.eye(3), 5), tf.eye(3), tf.eye(3)];
    const rows = attentionContext(protos, sharp).arraySync();
    expect(rows[0]).not.toEqual(rows[2]);
  });
});
