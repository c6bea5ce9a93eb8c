import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from './activation.js';

/**
 * Name of an optional kernel a backend may register: y = act(x · w + b) in one dispatch, for
 * x [..., in] (rows flattened), w [in, out] or [1, in, out], b [out] or [1, out] → [..., out].
 * Attrs: { activation: 'relu' | 'linear' }. It has no gradient, so it only runs while no tape
 * records (adaptation and prediction); training keeps matMul + add + activation.
 */
export const FusedDense = 'HypermetaFusedDense';

/** Whether `dense` will take the one-kernel path now: nothing records gradients and the backend has the kernel. */
export function denseIsFused(): boolean {
  return !tf.engine().isTapeOn() && tf.getKernel(FusedDense, tf.getBackend()) !== undefined;
}

/** act(x · w + b) with one shared w: one kernel when `denseIsFused()`, else matMul + add + activation. */
export function dense(
  x: tf.Tensor,
  w: tf.Tensor,
  b: tf.Tensor,
  act: Activation,
  fused = denseIsFused(),
): tf.Tensor {
  if (fused) return tf.engine().runKernel(FusedDense, { x, w, b }, { activation: act }) as tf.Tensor;
  const y = tf.add(tf.matMul(x, w), b);
  return act === 'relu' ? tf.relu(y) : y;
}
