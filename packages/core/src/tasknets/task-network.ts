import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';

/**
 * A network whose parameters come from outside (a generator, an inner loop), never tf.Variables.
 * `forward` is batched over tasks: params[i] is [T, ...paramShapes[i].shape], x is [T, N, inputSize].
 */
export interface TaskNetwork {
  readonly kind: string;
  readonly paramShapes: ParamShapes;
  readonly inputSize: number;
  readonly outputSize: number;
  forward(params: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor;
  /** A standard random initialisation, one Float32Array per shape (for baselines and generator biases). */
  init(rng: Rng): Float32Array[];
}
