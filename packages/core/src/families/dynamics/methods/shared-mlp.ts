import * as tf from '@tensorflow/tfjs-core';
import { initMlp, mlpApply, mlpShapes } from '../../../nn/mlp.js';
import type { ParamShapes } from '../../../params/param-shapes.js';
import type { Rng } from '../../../random/rng.js';
import type { DynamicsMethodName } from '../dynamics-config.js';
import type { DynamicsContext, DynamicsMethod } from './method.js';

/**
 * One network shared by every variation, fed the input and optionally a per-variation vector
 * (nothing: `global`; the set encoder's code: `concat`; the true factors: `oracle`). The vector
 * is repeated over the N inputs of its variation.
 */
export abstract class SharedMlpMethod implements DynamicsMethod {
  abstract readonly name: DynamicsMethodName;
  readonly paramShapes: ParamShapes;
  protected readonly netCount: number;

  constructor(sizes: readonly number[], extraShapes: ParamShapes = []) {
    const net = mlpShapes(sizes, 'net/');
    this.netCount = net.length;
    this.paramShapes = [...net, ...extraShapes];
  }

  init(rng: Rng): Float32Array[] {
    return initMlp(this.paramShapes.slice(0, this.netCount), rng);
  }

  /** The per-variation vector [T, E], or none. */
  abstract adapt(weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[];

  predict(weights: readonly tf.Tensor[], state: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D {
    const net = weights.slice(0, this.netCount);
    if (!state.length) return mlpApply(net, x) as tf.Tensor3D;
    const [T, N] = x.shape;
    const v = state[0];
    const tiled = tf.tile(tf.reshape(v, [T, 1, v.shape[1]!]), [1, N, 1]);
    return mlpApply(net, tf.concat([x, tiled], 2)) as tf.Tensor3D;
  }
}

/** One model for every variation: no adaptation (the floor every adaptive method must beat). */
export class GlobalMethod extends SharedMlpMethod {
  readonly name = 'global';
  adapt(): tf.Tensor[] {
    return [];
  }
}

/** The true variation (exponents and broken-motor flags) as extra inputs: the ceiling of adaptation. */
export class OracleMethod extends SharedMlpMethod {
  readonly name = 'oracle';
  adapt(_weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[] {
    return [tf.clone(ctx.factors)];
  }
}
