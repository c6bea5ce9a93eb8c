import * as tf from '@tensorflow/tfjs-core';
import { initMlp, mlpApply, mlpShapes } from '../nn/mlp.js';
import { concatValues, unflattenBatched } from '../params/flat-params.js';
import { type ParamShapes, paramCount } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { Generator } from './generator.js';
import { targetScales } from './target-scale.js';

export interface MlpHypernetworkOptions {
  targetShapes: ParamShapes;
  codeSize: number;
  hidden: readonly number[];
  /** Initial values of the output bias (a task network's own init), so training starts from a usable net. */
  baseInit?: (rng: Rng) => Float32Array[];
  /** How strongly z moves the output at initialisation, relative to a standard init's spread. */
  headGain?: number;
}

/** z → hidden ReLU layers → every target parameter at once. Its head grows with the task network. */
export class MlpHypernetwork implements Generator {
  readonly kind = 'mlp';
  readonly paramShapes: ParamShapes;
  readonly targetShapes: ParamShapes;
  readonly codeSize: number;
  private readonly scales: Float32Array;

  constructor(private readonly options: MlpHypernetworkOptions) {
    this.targetShapes = options.targetShapes;
    this.codeSize = options.codeSize;
    this.paramShapes = mlpShapes([options.codeSize, ...options.hidden, paramCount(options.targetShapes)]);
    this.scales = targetScales(options.targetShapes);
  }

  init(rng: Rng): Float32Array[] {
    const values = initMlp(this.paramShapes, rng);
    const n = values.length;
    // Head weights: unit-variance columns scaled per target parameter.
    const head = values[n - 2];
    const P = this.scales.length;
    const fanIn = this.paramShapes[n - 2].shape[0];
    const gain = (this.options.headGain ?? 0.1) / Math.sqrt(fanIn);
    for (let i = 0; i < head.length; i++) head[i] = rng.normal() * gain * this.scales[i % P];
    values[n - 1] = this.options.baseInit ? concatValues(this.options.baseInit(rng)) : new Float32Array(P);
    return values;
  }

  generate(weights: readonly tf.Tensor[], z: tf.Tensor2D): tf.Tensor[] {
    const flat = mlpApply(weights, z) as tf.Tensor2D;
    return unflattenBatched(flat, this.targetShapes);
  }
}
