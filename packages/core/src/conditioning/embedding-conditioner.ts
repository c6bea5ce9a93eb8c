import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import { normalFill } from '../params/init.js';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { TaskBatch } from '../tasks/task-batch.js';
import type { Conditioner } from './conditioner.js';

/**
 * One learned code per task of a fixed training set. A task outside that set starts from the
 * mean code and relies on inner-loop steps (on z or θ) to specialise.
 */
export class EmbeddingConditioner implements Conditioner {
  readonly kind = 'embedding';
  readonly paramShapes: ParamShapes;

  constructor(
    readonly codeSize: number,
    readonly tasks: number,
  ) {
    if (!Number.isInteger(tasks) || tasks < 1)
      throw new InvalidArgumentError(`embedding conditioning needs a task count ≥ 1, got ${tasks}`);
    this.paramShapes = [{ name: 'codes', shape: [tasks, codeSize] }];
  }

  init(rng: Rng): Float32Array[] {
    return [normalFill(this.paramShapes[0], rng, 0.1)];
  }

  encode(weights: readonly tf.Tensor[], batch: TaskBatch): tf.Tensor2D {
    const table = weights[0] as tf.Tensor2D;
    const T = batch.supportX.shape[0];
    if (batch.taskIds) {
      // A one-hot product rather than tf.gather: gather's gradient needs UnsortedSegmentSum,
      // which the wasm backend lacks (found by the conformance suite). The one-hot is made as
      // int32 and cast: tfjs-backend-wasm 4.22's OneHot writes integer bits into a float32
      // output (1 reads as 1.4e-45), which zeroed every code on wasm.
      const ids = tf.tensor1d(batch.taskIds, 'int32');
      return tf.matMul(tf.cast(tf.oneHot(ids, this.tasks), 'float32'), table);
    }
    const mean = tf.mean(table, 0, true);
    return tf.tile(mean, [T, 1]) as tf.Tensor2D;
  }
}
