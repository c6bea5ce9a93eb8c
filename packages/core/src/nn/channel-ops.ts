import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-channel reductions and affine maps on NHWC tensors, as reductions over the rows of an
 * [N·H·W, C] view. (They were products with a ones row; on wasm that packs the whole fresh
 * activation as XNNPACK weights on every call: a 20-way conv4 step at 64 filters spent 150 ms
 * of ~900 there, against 22 ms for Sum over axis 0. Measured with experiments/step-prof.mjs.)
 */

/**
 * Sum over every axis but the last, as [1, C]: an average pool over all rows, times their
 * count. On wasm that is one XNNPACK pass, where Sum over axis 0 transposes the whole tensor
 * first (measured for [94080, 64] with a fresh tensor each call: 1.5 ms against 11.4 ms).
 */
export function channelSum(x: tf.Tensor): tf.Tensor2D {
  const c = x.shape[x.rank - 1];
  const n = x.size / c;
  const mean = tf.avgPool(tf.reshape(x, [1, n, 1, c]) as tf.Tensor4D, [n, 1], [n, 1], 'valid');
  return tf.reshape(tf.mul(mean, n), [1, c]) as tf.Tensor2D;
}

/**
 * Mean over every axis but the last, as [1, C], by channelSum. Its gradient broadcasts dy/n
 * as zeros + dy/n; Mean's spells it ones(x)·dy / n (a fill and two full-size passes), and
 * AvgPoolGrad would visit the whole window for every cell.
 */
export const channelMean = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  const c = x.shape[x.rank - 1];
  const n = x.size / c;
  save([]);
  return {
    value: tf.div(channelSum(x), n),
    // zeros + [C] broadcasts on wasm's fast path; broadcastTo (Tile) took ~10× as long. The zeros
    // come from the backend's Fill: tf.zeros builds them in JS and uploads them (≈ 10 ms a step).
    gradFunc: (dy: tf.Tensor) => tf.add(tf.fill(x.shape, 0), tf.reshape(tf.div(dy, n), [c])),
  };
}) as never) as (x: tf.Tensor) => tf.Tensor2D;

/** Mean and (biased) variance per channel over every axis but the last, each [1, C]. */
export function channelMoments(x: tf.Tensor): { mean: tf.Tensor2D; variance: tf.Tensor2D } {
  const mean = channelMean(x);
  const meanSq = channelMean(tf.square(x));
  return { mean, variance: tf.relu(tf.sub(meanSq, tf.square(mean))) as tf.Tensor2D };
}

/**
 * y = x·scale + shift with per-channel scale and shift [C] or [1, C]. Its gradient reduces
 * with channelSum instead of the broadcast-add gradient's Sum over axes [0, 1, 2].
 */
export const channelAffine = tf.customGrad(((
  x: tf.Tensor,
  scale: tf.Tensor,
  shift: tf.Tensor,
  save: tf.GradSaveFunc,
) => {
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
