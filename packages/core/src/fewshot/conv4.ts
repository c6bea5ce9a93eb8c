import * as tf from '@tensorflow/tfjs-core';
import { heUniform } from '../params/init.js';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import { channelAffine, channelMoments } from '../nn/channel-ops.js';

/**
 * The standard few-shot backbone: 4 × [3×3 conv, batch norm, ReLU, 2×2 max-pool] on 28×28×1
 * images, giving `filters` features per image (28 → 14 → 7 → 3 → 1). Functional: weights come in.
 */
export function conv4Shapes(filters: number, prefix = 'conv'): ParamShapes {
  const out: { name: string; shape: number[] }[] = [];
  for (let i = 0; i < 4; i++) {
    out.push({ name: `${prefix}${i}/w`, shape: [3, 3, i === 0 ? 1 : filters, filters] });
    out.push({ name: `${prefix}${i}/gamma`, shape: [filters] });
    out.push({ name: `${prefix}${i}/beta`, shape: [filters] });
  }
  return out;
}

export function initConv4(shapes: ParamShapes, rng: Rng): Float32Array[] {
  return shapes.map((s) =>
    s.shape.length === 4
      ? heUniform(s, rng)
      : new Float32Array(s.shape[0]).fill(s.name.endsWith('gamma') ? 1 : 0),
  );
}

/** Number of multiply-adds ×2 (FLOPs) of one forward pass over `images` 28×28 inputs. */
export function conv4ForwardFlops(filters: number, images: number): number {
  let flops = 0;
  let size = 28;
  for (let i = 0; i < 4; i++) {
    flops += 2 * size * size * 9 * (i === 0 ? 1 : filters) * filters;
    size = Math.floor(size / 2);
  }
  return flops * images;
}

/**
 * Embeds images [N, 28, 28, 1] → [N, filters]. Batch norm uses the statistics of the first
 * `statsOf` images (the support set): queries are then normalised like the support and never
 * influence each other's predictions.
 */
export function conv4Embed(
  weights: readonly tf.Tensor[],
  images: tf.Tensor4D,
  statsOf = images.shape[0],
): tf.Tensor2D {
  let h: tf.Tensor4D = images;
  for (let i = 0; i < 4; i++) {
    const [w, gamma, beta] = weights.slice(3 * i, 3 * i + 3);
    const z = tf.conv2d(h, w as tf.Tensor4D, 1, 'same');
    const ref = statsOf === z.shape[0] ? z : tf.slice(z, 0, statsOf);
    const { mean, variance } = channelMoments(ref);
    // (z - mean)·scale + beta folded into one per-channel affine map of z.
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, 1e-5)));
    const shift = tf.sub(beta, tf.mul(mean, scale));
    // ReLU after the pool: the same values (max and ReLU commute) on a quarter of the cells,
    // forward and backward.
    h = tf.relu(tf.maxPool(channelAffine(z, scale, shift) as tf.Tensor4D, 2, 2, 'valid'));
  }
  return tf.reshape(h, [images.shape[0], -1]) as tf.Tensor2D;
}
