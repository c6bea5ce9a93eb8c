import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import { initMlp, mlpApply, mlpShapes } from '../nn/mlp.js';
import { heUniform } from '../params/init.js';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import { checkBoolean, checkInt, checkPositiveInts } from '../validate/checks.js';
import { embeddingBagMean } from './embedding-bag.js';
import { ngramSketch } from './ngram-sketch.js';
import type { TextIdsOptions } from './text-ids.js';

/** The text encoder's architecture (saved in checkpoints). */
export interface TextEncoderConfig extends TextIdsOptions {
  /** Width of the hashed n-gram embeddings (their mean is the bag-of-n-grams feature). */
  gramDim: number;
  /** Width of the byte embeddings the convolution reads. */
  byteDim: number;
  /** Byte convolution: window in bytes and filters (0 filters: no byte branch). */
  convWidth: number;
  convFilters: number;
  /** Hidden sizes of the projection after the two branches, then the output width. */
  hidden: number[];
  width: number;
  /**
   * Unit-length embeddings times a learned scale (squared distances become cosine distances):
   * a short text's bag is noisy in length as well as direction. Absent in older checkpoints: false.
   */
  normalize?: boolean;
  /**
   * Coordinates of the parameter-free n-gram count sketch appended to the (normalised) learned
   * embedding, with its own learned scale (0: none). Absent in older checkpoints: 0.
   */
  sketch?: number;
}

/** Width of the encoder's output: the learned embedding's, plus the sketch's. */
export function embeddingWidth(c: TextEncoderConfig): number {
  return c.width + (c.sketch ?? 0);
}

const BYTE_IDS = 257;

/** Checks the encoder's fields (the ids' and the network's). */
export function validateTextEncoder(c: TextEncoderConfig): void {
  checkInt('maxChars', c.maxChars, 1, 100_000);
  checkPositiveInts('orders', c.orders, 1, 16);
  checkInt('buckets', c.buckets, 2, 4_194_304);
  checkInt('gramDim', c.gramDim, 1, 4096);
  checkInt('byteDim', c.byteDim, 1, 4096);
  checkInt('convWidth', c.convWidth, 1, 64);
  checkInt('convFilters', c.convFilters, 0, 4096);
  checkPositiveInts('hidden', c.hidden, 0, 65_536);
  checkInt('width', c.width, 1, 65_536);
  checkBoolean('normalize', c.normalize, true);
  if (c.sketch !== undefined) checkInt('sketch', c.sketch, 0, 1_048_576);
  if (c.sketch && !c.normalize)
    throw new InvalidArgumentError('the n-gram sketch is appended to normalised embeddings: set normalize');
  if (new Set(c.orders).size !== c.orders.length)
    throw new InvalidArgumentError(`orders must differ from each other, got ${JSON.stringify(c.orders)}`);
}

/** Parameter shapes, in order: n-gram table, byte table and convolution (if any), projection. */
export function textEncoderShapes(c: TextEncoderConfig): ParamShapes {
  const conv: ParamShapes =
    c.convFilters > 0
      ? [
          { name: 'bytes/table', shape: [BYTE_IDS, c.byteDim] },
          { name: 'bytes/conv/w', shape: [c.convWidth, c.byteDim, c.convFilters] },
          { name: 'bytes/conv/b', shape: [c.convFilters] },
        ]
      : [];
  return [
    { name: 'grams/table', shape: [c.buckets, c.gramDim] },
    ...conv,
    ...mlpShapes([c.gramDim + c.convFilters, ...c.hidden, c.width], 'proj/'),
    ...(c.normalize ? [{ name: 'scale', shape: [1] }] : []),
    ...(c.sketch ? [{ name: 'sketchScale', shape: [1] }] : []),
  ];
}

/**
 * Initial values: unit-normal embeddings (an untrained bucket is then a random projection of the
 * n-gram profile, already a usable feature for a language training never saw), He-initialised
 * convolution and projection.
 */
export function initTextEncoder(c: TextEncoderConfig, shapes: ParamShapes, rng: Rng): Float32Array[] {
  const table = (s: { shape: readonly number[] }) => rng.fill(s.shape[0] * s.shape[1], (r) => r.normal());
  const out: Float32Array[] = [table(shapes[0])];
  let i = 1;
  if (c.convFilters > 0) {
    out.push(table(shapes[1]), heUniform(shapes[2], rng), new Float32Array(c.convFilters));
    i = 4;
  }
  // A small last layer: distances between texts start small, so the first episodes are not scored overconfidently.
  const scales = (c.normalize ? 1 : 0) + (c.sketch ? 1 : 0);
  const proj = initMlp(shapes.slice(i, shapes.length - scales), rng, 0.3);
  // Scale 3: unit vectors' squared distances (0 to 4) become logits spanning about 0 to 36.
  return [...out, ...proj, ...Array.from({ length: scales }, () => Float32Array.of(3))];
}

/**
 * Embeds a batch of text ids [N, 2, W] (see text-ids.ts) → [N, width]: the mean hashed n-gram
 * embedding beside the max-pooled ReLU byte convolution, through a small ReLU projection. Padding
 * contributes nothing, so a text's embedding does not depend on the rest of its batch.
 */
export function textEmbed(c: TextEncoderConfig, weights: readonly tf.Tensor[], ids: tf.Tensor): tf.Tensor2D {
  const [n, , w] = ids.shape as [number, number, number];
  // The n-gram ids are read on the CPU: the bag is a segment sum over them (embedding-bag.ts).
  const grams = { data: ids.dataSync(), n, w, stride: 2 * w, start: w };
  const parts: tf.Tensor2D[] = [embeddingBagMean(weights[0], grams)];
  let next = 1;
  if (c.convFilters > 0) {
    const byteIds = tf.reshape(tf.slice(ids, [0, 0, 0], [n, 1, w]), [n, w]);
    const byteMask = tf.expandDims(tf.cast(tf.greater(byteIds, 0), 'float32'), 2) as tf.Tensor3D;
    // A one-hot product, not a gather: wasm's gather is slow, and 257 rows make a small product.
    const oneHot = tf.oneHot(tf.reshape(byteIds, [-1]), BYTE_IDS);
    const bytes = tf.mul(
      tf.reshape(tf.matMul(oneHot, weights[1] as tf.Tensor2D), [n, w, c.byteDim]),
      byteMask,
    ) as tf.Tensor3D;
    // Padding embedded as exact zeros: 'same' convolution then zero-pads every text alike.
    const conv = tf.relu(tf.add(tf.conv1d(bytes, weights[2] as tf.Tensor3D, 1, 'same'), weights[3]));
    // ReLU outputs are ≥ 0, so zeroed padding never wins the max over a text's own positions.
    parts.push(tf.max(tf.mul(conv, byteMask), 1) as tf.Tensor2D);
    next = 4;
  }
  const features = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  if (!c.normalize) return mlpApply(weights.slice(next), features) as tf.Tensor2D;
  const scales = c.sketch ? 2 : 1;
  const out = mlpApply(weights.slice(next, weights.length - scales), features);
  const unit = tf.div(out, tf.add(tf.norm(out, 2, 1, true), 1e-6));
  const learned = tf.mul(unit, weights[weights.length - scales]) as tf.Tensor2D;
  if (!c.sketch) return learned;
  const sketch = tf.tensor2d(ngramSketch(grams, c.sketch), [n, c.sketch]);
  return tf.concat([learned, tf.mul(sketch, weights[weights.length - 1])], 1) as tf.Tensor2D;
}
