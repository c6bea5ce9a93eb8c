import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../random/rng.js';
import type { TaskBatch } from '../tasks/task-batch.js';
import type { Conditioner } from './conditioner.js';

/**
 * z ~ N(0, I): the original recipe. The generator learns a distribution over initialisations;
 * only inner-loop steps on the support set make θ task-specific.
 */
export class NoiseConditioner implements Conditioner {
  readonly kind = 'noise';
  readonly paramShapes = [];

  constructor(readonly codeSize: number) {}

  init(): Float32Array[] {
    return [];
  }

  encode(_weights: readonly tf.Tensor[], batch: TaskBatch, rng: Rng): tf.Tensor2D {
    const T = batch.supportX.shape[0];
    return tf.tensor2d(
      rng.fill(T * this.codeSize, (r) => r.normal()),
      [T, this.codeSize],
    );
  }
}
