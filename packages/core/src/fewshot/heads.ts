import * as tf from '@tensorflow/tfjs-core';
import { gradientSteps } from '../adapt/inner-loop.js';

/**
 * Class means of class-major support embeddings → [ways, F]: [ways*shots, F] with `shots` each, or
 * with `classSizes` (their sum rows) when classes have different numbers of examples.
 */
export function prototypes(
  support: tf.Tensor2D,
  ways: number,
  shots: number,
  classSizes?: readonly number[],
): tf.Tensor2D {
  if (!classSizes) return tf.mean(tf.reshape(support, [ways, shots, -1]), 1) as tf.Tensor2D;
  // A one-hot product, not unsortedSegmentSum: the wasm backend has no UnsortedSegmentSum kernel.
  const members = tf.cast(tf.oneHot(classMajorLabels(ways, shots, classSizes), ways), 'float32');
  const sums = tf.matMul(members, support, true, false);
  return tf.div(sums, tf.tensor2d(Float32Array.from(classSizes), [ways, 1])) as tf.Tensor2D;
}

/** Linear classifier logits: x [N, F], one weight row per class w [C, F], b [C] → [N, C]. */
export function linearLogits(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w, false, true), tf.reshape(b, [1, -1])) as tf.Tensor2D;
}

/**
 * The linear classifier equal to Prototypical Networks' negative squared distance, up to a
 * per-query constant that softmax ignores: w_c = 2 p_c, b_c = -|p_c|².
 */
export function prototypeHead(protos: tf.Tensor2D): { w: tf.Tensor2D; b: tf.Tensor1D } {
  return { w: tf.mul(protos, 2) as tf.Tensor2D, b: tf.neg(tf.sum(tf.square(protos), 1)) as tf.Tensor1D };
}

/** Mean softmax cross-entropy of logits [N, C] against int labels [N]. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const onehot = tf.oneHot(labels, logits.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

/** Labels 0..ways-1 in class-major order: each repeated `shots` times, or classSizes[c] times. */
export function classMajorLabels(ways: number, shots: number, classSizes?: readonly number[]): tf.Tensor1D {
  if (!classSizes)
    return tf.tensor1d(
      Int32Array.from({ length: ways * shots }, (_, i) => Math.floor(i / shots)),
      'int32',
    );
  return tf.tensor1d(Int32Array.from(classSizes.flatMap((n, c) => Array<number>(n).fill(c))), 'int32');
}

/** Gradient steps on a head's (w, b) for the support loss; differentiable when called under a tape. */
export function headSteps(
  support: tf.Tensor2D,
  labels: tf.Tensor1D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  steps: number,
  lr: number,
): { w: tf.Tensor2D; b: tf.Tensor1D } {
  const loss = ([ww, bb]: tf.Tensor[]) => crossEntropy(linearLogits(support, ww as tf.Tensor2D, bb), labels);
  const [cw, cb] = gradientSteps([w, b], loss, { steps, lr });
  return { w: cw as tf.Tensor2D, b: cb as tf.Tensor1D };
}
