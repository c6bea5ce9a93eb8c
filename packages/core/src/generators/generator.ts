import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';

/**
 * A hypernetwork: maps codes z [T, codeSize] to parameters in `targetShapes`, each [T, ...shape].
 * It is itself a network with parameter shapes (`paramShapes`), so it can in turn be generated.
 */
export interface Generator {
  readonly kind: string;
  readonly paramShapes: ParamShapes;
  readonly targetShapes: ParamShapes;
  readonly codeSize: number;
  init(rng: Rng): Float32Array[];
  generate(weights: readonly tf.Tensor[], z: tf.Tensor2D): tf.Tensor[];
}
