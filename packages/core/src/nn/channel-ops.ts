import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-channel reductions and affine maps on NHWC tensors, written as matrix products.
 * tfjs's Sum/Mean over axes [0, 1, 2] transpose the whole tensor first on wasm (≈ 200 ms per
 * conv4 step on 100 images); a product with a ones row does the same reduction at matMul speed.
 */
function rows(x: tf.Tensor): tf.Tensor2D {
  return tf.reshape(x, [-1, x.shape[x.rank - 1]]) as tf.Tensor2D;
}

/** Sum over every axis but the last, as [1, C]. */
export function channelSum(x: tf.Tensor): tf.Tensor2D {
  const r = rows(x);
  return tf.matMul(tf.ones([1, r.shape[0]]), r) as tf.Tensor2D;
}

/** Mean and (biased) variance per channel over every axis but the last, each [1, C]. */
export function channelMoments(x: tf.Tensor): { mean: tf.Tensor2D; variance: tf.Tensor2D } {
  const r = rows(x);
  const w = tf.fill([1, r.shape[0]], 1 / r.shape[0]);
  const mean = tf.matMul(w, r) as tf.Tensor2D;
  const meanSq = tf.matMul(w, tf.square(r));
  return { mean, variance: tf.relu(tf.sub(meanSq, tf.square(mean))) as tf.Tensor2D } as { mean: tf.Tensor2D; variance: tf.Tensor2D };
}

/**
 * y = x·scale + shift with per-channel scale and shift [C] or [1, C]. Its gradient reduces
 * with channelSum instead of the broadcast-add gradient's Sum over axes [0, 1, 2].
 */
export const channelAffine = tf.customGrad(((x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, scale]);
  const c = x.shape[x.rank - 1];
  const s = tf.reshape(scale, [c]);
  const value = tf.add(tf.mul(x, s), tf.reshape(shift, [c]));
  return {
    value,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sScale] = saved;
      return [
        tf.mul(dy, tf.reshape(sScale, [c])),
        tf.reshape(channelSum(tf.mul(dy, sx)), sScale.shape),
        tf.reshape(channelSum(dy), shift.shape),
      ];
    },
  };
}) as never) as (x: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor) => tf.Tensor;
