import * as tf from '@tensorflow/tfjs-core';

/**
 * Scales gradients so their global L2 norm is at most `maxNorm`; also returns the norm (before clipping).
 * The norm is taken over one concatenated vector (reshapes are free; one square and one sum
 * instead of one of each per gradient): op count, not FLOPs, bounds small models.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  return tf.tidy(() => {
    const flat = tf.concat(grads.map((g) => tf.reshape(g, [-1])), 0);
    const norm = tf.sqrt(tf.sum(tf.square(flat))) as tf.Scalar;
    if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) return { grads: grads.map((g) => tf.clone(g)), norm };
    const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
    return { grads: grads.map((g) => tf.mul(g, scale)), norm };
  });
}
