import * as tf from '@tensorflow/tfjs-core';
import { flatten } from '../params/flat-params.js';

/**
 * The gradients as one flat vector scaled so its L2 norm is at most `maxNorm`, and the norm
 * before clipping. Flat because Adam updates one flat vector too: one square, one sum and one
 * scale instead of one of each per gradient (op count, not FLOPs, bounds small models).
 */
export function clipByGlobalNorm(
  grads: readonly tf.Tensor[],
  maxNorm: number,
): { flat: tf.Tensor1D; norm: tf.Scalar } {
  return tf.tidy(() => {
    const flat = flatten(grads);
    const norm = tf.sqrt(tf.sum(tf.square(flat))) as tf.Scalar;
    if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return { flat, norm };
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return { flat: tf.mul(flat, scale) as tf.Tensor1D, norm };
  });
}
