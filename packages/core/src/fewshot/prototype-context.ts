import * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';

/** Parameters of the attention context: query, key and value maps [F, F]. */
export function attentionContextShapes(F: number): ParamShapes {
  return ['q', 'k', 'v'].map((n) => ({ name: `ctx/${n}`, shape: [F, F] }));
}

/**
 * Start values: small query and key maps, so attention starts near uniform, and the identity as
 * value map, so the context starts as the episode's mean prototype (the 'mean' context).
 */
export function initAttentionContext(F: number, rng: Rng): Float32Array[] {
  const small = () => rng.fill(F * F, (r) => r.normal() * (0.1 / Math.sqrt(F)));
  const identity = new Float32Array(F * F);
  for (let i = 0; i < F; i++) identity[i * F + i] = 1;
  return [small(), small(), identity];
}

/** The episode's mean prototype, once per class: [ways, F]. */
export function meanContext(protos: tf.Tensor2D): tf.Tensor2D {
  return tf.tile(tf.mean(protos, 0, true), [protos.shape[0], 1]) as tf.Tensor2D;
}

/**
 * Per class, a mix of all prototypes' values weighted by scaled dot-product attention between
 * its query and their keys: each class's code sees which other classes it must be told from.
 */
export function attentionContext(protos: tf.Tensor2D, [q, k, v]: readonly tf.Tensor[]): tf.Tensor2D {
  const F = protos.shape[1];
  const scores = tf.div(tf.matMul(tf.matMul(protos, q as tf.Tensor2D), tf.matMul(protos, k as tf.Tensor2D), false, true), Math.sqrt(F));
  return tf.matMul(tf.softmax(scores), tf.matMul(protos, v as tf.Tensor2D)) as tf.Tensor2D;
}
