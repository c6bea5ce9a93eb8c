import * as tf from '@tensorflow/tfjs-core';

/** Per-task mean squared error: prediction and target [T, N, d] → [T]. */
export function perTaskMse(pred: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.mean(tf.squaredDifference(pred, target), [1, 2]) as tf.Tensor1D;
}
