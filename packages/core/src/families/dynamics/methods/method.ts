import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../../../params/param-shapes.js';
import type { Rng } from '../../../random/rng.js';
import type { DynamicsMethodName } from '../dynamics-config.js';

/** What a method may adapt from: K transitions of each of T variations (normalised), and for the oracle the true factors. */
export interface DynamicsContext {
  /** [T, K, in] */
  x: tf.Tensor3D;
  /** [T, K, out] */
  y: tf.Tensor3D;
  /** [T, F]: the variation's exponents and broken-motor flags (only the oracle reads them). */
  factors: tf.Tensor2D;
}

/**
 * A way of predicting Δs for T variations from their context, as an algorithm object over the
 * model's trainable weights (in `paramShapes` order). `adapt` returns the per-variation state
 * (generated weights, a code, adapted weights…), `predict` maps normalised inputs [T, N, in] to
 * normalised Δs [T, N, out] with it. Both are differentiable, and batched over T.
 */
export interface DynamicsMethod {
  readonly name: DynamicsMethodName;
  readonly paramShapes: ParamShapes;
  init(rng: Rng): Float32Array[];
  /**
   * Work that must stay outside a gradient tape (first-order MAML's context gradients): run
   * before the tape, its tensors handed to `adapt`; the caller disposes them.
   */
  prepare?(weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[];
  adapt(weights: readonly tf.Tensor[], ctx: DynamicsContext, prepared?: readonly tf.Tensor[]): tf.Tensor[];
  predict(weights: readonly tf.Tensor[], state: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D;
}
