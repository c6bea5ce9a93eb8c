import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { TaskBatch } from '../tasks/task-batch.js';

export type ConditioningKind = 'encoder' | 'noise' | 'embedding';

/** Where the generator's code z [T, codeSize] comes from. */
export interface Conditioner {
  readonly kind: ConditioningKind;
  readonly codeSize: number;
  readonly paramShapes: ParamShapes;
  init(rng: Rng): Float32Array[];
  /** `rng` feeds stochastic conditioners (noise); the others ignore it. */
  encode(weights: readonly tf.Tensor[], batch: TaskBatch, rng: Rng): tf.Tensor2D;
}
