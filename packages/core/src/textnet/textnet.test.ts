import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { embeddingBagMean } from './embedding-bag.js';
import { initTextEncoder, type TextEncoderConfig, textEmbed, textEncoderShapes } from './text-encoder.js';
import { textBatch, textIds } from './text-ids.js';

const config: TextEncoderConfig = {
  maxChars: 40,
  orders: [1, 2, 3],
  buckets: 97,
  gramDim: 6,
  byteDim: 4,
  convWidth: 3,
  convFilters: 5,
  hidden: [8],
  width: 7,
};

function expectAllClose(a: tf.Tensor, b: tf.Tensor): void {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(x.length).toBe(y.length);
  x.forEach((v, i) => expect(v).toBeCloseTo(y[i], 5));
}

describe('text ids', () => {
  it('encode any script, with no unknown token: unseen scripts give distinct bytes and buckets', () => {
    const a = textIds('𐌰𐌱𐌲 𐌳', config); // Gothic, 4-byte UTF-8
    const b = textIds('ꦄꦏ꧀ꦱꦫ', config); // Javanese
    for (const ids of [a, b]) {
      expect(ids.bytes.every((x) => x >= 1 && x <= 256)).toBe(true);
      expect(ids.grams.every((x) => x >= 1 && x < config.buckets)).toBe(true);
    }
    expect(a.bytes.length).toBe(4 * 4 + 1);
    expect([...a.grams]).not.toEqual([...b.grams]);
  });

  it('are the same for the same text typed composed or decomposed, and cut at maxChars code points', () => {
    expect(textIds('caf\u00e9', config)).toEqual(textIds('cafe\u0301', config));
    const long = textIds('x'.repeat(100), config);
    expect(long.bytes.length).toBe(40);
    // orders 1, 2, 3 over 40 characters with a space at each end
    expect(long.grams.length).toBe(42 + 41 + 40);
  });

  it('pad a batch with zeros to its longest row', () => {
    const b = textBatch(['ab', 'abcdef'], config);
    expect(b.shape).toEqual([2, 2, 8 + 7 + 6]);
    expect(b.ids[4]).toBe(0);
  });
});

describe('text encoder', () => {
  const shapes = textEncoderShapes(config);
  const weights = initTextEncoder(config, shapes, Rng.fromSeed(1)).map((v, i) =>
    tf.tensor(v, [...shapes[i].shape]),
  );

  it('embeds a text the same whatever else is in its batch (padding adds nothing)', () => {
    const embed = (texts: string[]) =>
      tf.tidy(() => {
        const b = textBatch(texts, config);
        return textEmbed(config, weights, tf.tensor3d(b.ids, b.shape, 'int32')).arraySync()[0];
      });
    const alone = embed(['hello']);
    const padded = embed(['hello', 'a much longer text than the first one']);
    alone.forEach((x, i) => expect(x).toBeCloseTo(padded[i], 5));
  });

  it("embedding bag's value and gradient equal a masked mean of gathered rows", () => {
    const table = tf.randomNormal([6, 3], 0, 1, 'float32', 2);
    const ids = tf.tensor2d(
      [
        [4, 1, 4, 0],
        [2, 0, 0, 0],
        [0, 0, 0, 0],
      ],
      [3, 4],
      'int32',
    );
    const w = tf.randomNormal([3, 3], 0, 1, 'float32', 3);
    const reference = (t: tf.Tensor) => {
      const mask = tf.expandDims(tf.cast(tf.greater(ids, 0), 'float32'), 2);
      const sum = tf.sum(tf.mul(tf.gather(t, ids), mask), 1);
      return tf.div(sum, tf.maximum(tf.sum(mask, 1), 1));
    };
    const ours = tf.grad((t) => tf.sum(tf.mul(embeddingBagMean(t, ids), w)))(table);
    const theirs = tf.grad((t) => tf.sum(tf.mul(reference(t), w)))(table);
    expectAllClose(embeddingBagMean(table, ids), reference(table));
    expectAllClose(ours, theirs);
    tf.dispose([table, ids, w, ours, theirs]);
  });

  it("with normalize, gives embeddings of the learned scale's length", () => {
    const c = { ...config, normalize: true };
    const shapes = textEncoderShapes(c);
    const ws = initTextEncoder(c, shapes, Rng.fromSeed(1)).map((v, i) => tf.tensor(v, [...shapes[i].shape]));
    const b = textBatch(['hello', 'bonjour tout le monde'], c);
    const norms = tf.tidy(
      () => tf.norm(textEmbed(c, ws, tf.tensor3d(b.ids, b.shape, 'int32')), 2, 1).arraySync() as number[],
    );
    expect(shapes[shapes.length - 1]).toEqual({ name: 'scale', shape: [1] });
    norms.forEach((n) => expect(n).toBeCloseTo(3, 4));
    tf.dispose(ws);
  });

  it('with a sketch, appends unit n-gram sketches times their own scale; identical texts match exactly', () => {
    const c = { ...config, normalize: true, sketch: 64 };
    const shapes = textEncoderShapes(c);
    const ws = initTextEncoder(c, shapes, Rng.fromSeed(1)).map((v, i) => tf.tensor(v, [...shapes[i].shape]));
    const b = textBatch(['hello world', 'hello world', 'zzz'], c);
    const e = tf.tidy(() => textEmbed(c, ws, tf.tensor3d(b.ids, b.shape, 'int32')).arraySync());
    expect(e[0]).toHaveLength(c.width + 64);
    const sketchNorm = Math.hypot(...e[2].slice(c.width));
    expect(sketchNorm).toBeCloseTo(3, 4);
    e[0].forEach((v, i) => expect(v).toBeCloseTo(e[1][i], 6));
    tf.dispose(ws);
  });
});
