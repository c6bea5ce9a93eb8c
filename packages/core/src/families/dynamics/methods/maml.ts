import * as tf from '@tensorflow/tfjs-core';
import { firstOrderGradientSum } from '../../../adapt/inner-loop.js';
import { perTaskMse } from '../../../model/losses.js';
import { initMlp, mlpApplyBatched, mlpShapes } from '../../../nn/mlp.js';
import type { ParamShapes } from '../../../params/param-shapes.js';
import type { Rng } from '../../../random/rng.js';
import type { DynamicsContext, DynamicsMethod } from './method.js';

/** The shared initial weights, one copy per variation: [T, …shape]. */
function perVariation(weights: readonly tf.Tensor[], T: number): tf.Tensor[] {
  return weights.map((w) => tf.tile(tf.expandDims(w, 0), [T, ...w.shape.map(() => 1)]));
}

/**
 * First-order MAML (Finn et al. 2017; GrBAL, Nagabandi et al. 2019, for dynamics): `steps`
 * gradient steps on the context's one-step error from a learned initialisation. The steps'
 * gradients are summed before any tape (`prepare`), so the meta-gradient reaches the
 * initialisation through θ0 − lr·Σg without a second-order pass.
 */
export class MamlMethod implements DynamicsMethod {
  readonly name = 'maml';
  readonly paramShapes: ParamShapes;

  constructor(
    readonly sizes: readonly number[],
    readonly schedule: { steps: number; lr: number },
  ) {
    this.paramShapes = mlpShapes(sizes, 'net/');
  }

  init(rng: Rng): Float32Array[] {
    return initMlp(this.paramShapes, rng);
  }

  prepare(weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[] {
    return tf.tidy(() => {
      const start = perVariation(weights, ctx.x.shape[0]);
      const loss = (vs: tf.Tensor[]) => tf.sum(perTaskMse(mlpApplyBatched(vs, ctx.x), ctx.y)) as tf.Scalar;
      return firstOrderGradientSum(start, loss, this.schedule);
    });
  }

  adapt(weights: readonly tf.Tensor[], ctx: DynamicsContext, prepared?: readonly tf.Tensor[]): tf.Tensor[] {
    const sums = prepared ?? this.prepare(weights, ctx);
    const start = perVariation(weights, ctx.x.shape[0]);
    const out = start.map((v, i) => tf.sub(v, tf.mul(sums[i], this.schedule.lr)));
    if (!prepared) tf.dispose([...sums]);
    return out;
  }

  predict(_weights: readonly tf.Tensor[], theta: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D {
    return mlpApplyBatched(theta, x) as tf.Tensor3D;
  }
}
