import * as tf from '@tensorflow/tfjs-core';
import { channelAffine, channelMoments } from '../nn/channel-ops.js';
import type { LayerSpec } from './network-spec.js';

/** conv4's batch-norm epsilon (fewshot/conv4.ts). */
const BN_EPSILON = 1e-5;

/**
 * conv4 (fewshot/conv4.ts) under the given weights as plain layers, each batch norm fixed to the
 * statistics of `support` (what conv4Embed computes from the support images): per block a 3×3
 * 'same' convolution, the per-channel affine map, a 2×2 max-pool and ReLU, then a flatten. The
 * arithmetic is conv4Embed's, op for op, so queries run through these layers get its embeddings.
 */
export function conv4Layers(weights: readonly tf.Tensor[], support: tf.Tensor4D): LayerSpec[] {
  const layers: LayerSpec[] = [];
  let h: tf.Tensor4D = tf.clone(support);
  for (let i = 0; i < weights.length / 3; i++) {
    const [w, gamma, beta] = weights.slice(3 * i, 3 * i + 3);
    const [next, scale, shift] = tf.tidy(() => {
      const z = tf.conv2d(h, w as tf.Tensor4D, 1, 'same');
      const { mean, variance } = channelMoments(z);
      const s = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
      const t = tf.sub(beta, tf.mul(mean, s));
      return [tf.relu(tf.maxPool(channelAffine(z, s, t) as tf.Tensor4D, 2, 2, 'valid')), s, t];
    });
    h.dispose();
    h = next as tf.Tensor4D;
    const kernelShape = w.shape as [number, number, number, number];
    layers.push(
      { kind: 'conv2d', kernel: Float32Array.from(w.dataSync()), kernelShape, stride: 1, padding: 'same' },
      {
        kind: 'affine',
        scale: Float32Array.from(scale.dataSync()),
        shift: Float32Array.from(shift.dataSync()),
      },
      { kind: 'maxPool', size: 2, stride: 2 },
      { kind: 'relu' },
    );
    tf.dispose([scale, shift]);
  }
  h.dispose();
  layers.push({ kind: 'flatten' });
  return layers;
}
