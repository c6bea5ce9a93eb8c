import * as tf from '@tensorflow/tfjs-core';

/** Activations the library differentiates, twice where the inner loop is second-order. */
export type Activation = 'relu' | 'linear';

export function activate(x: tf.Tensor, act: Activation): tf.Tensor {
  return act === 'relu' ? tf.relu(x) : x;
}
