import * as tf from '@tensorflow/tfjs-core';
import { initMlp, mlpApply, mlpShapes } from '../nn/mlp.js';
import { denseIsFused } from '../nn/fused-dense.js';
import { type ParamShapes, prefixShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { TaskBatch } from '../tasks/task-batch.js';
import type { Conditioner } from './conditioner.js';

export interface SetEncoderOptions {
  inputSize: number;
  outputSize: number;
  codeSize: number;
  /** Per-pair network φ hidden sizes; its last size is the pooled width. */
  pointHidden: readonly number[];
  /** Set-level network ρ hidden sizes, after mean pooling. */
  setHidden: readonly number[];
}

/**
 * Deep-sets encoder z = ρ(mean_k φ([x_k, y_k])): invariant to the order of the support pairs
 * and to their number, so one forward pass adapts to a task of any shot count.
 */
export class SetEncoder implements Conditioner {
  readonly kind = 'encoder';
  readonly codeSize: number;
  readonly paramShapes: ParamShapes;
  private readonly phiCount: number;

  constructor(readonly options: SetEncoderOptions) {
    const { inputSize, outputSize, codeSize, pointHidden, setHidden } = options;
    this.codeSize = codeSize;
    const phi = prefixShapes('phi', mlpShapes([inputSize + outputSize, ...pointHidden]));
    const pooled = pointHidden[pointHidden.length - 1];
    const rho = prefixShapes('rho', mlpShapes([pooled, ...setHidden, codeSize]));
    this.phiCount = phi.length;
    this.paramShapes = [...phi, ...rho];
  }

  init(rng: Rng): Float32Array[] {
    return [
      ...initMlp(this.paramShapes.slice(0, this.phiCount), rng),
      ...initMlp(this.paramShapes.slice(this.phiCount), rng),
    ];
  }

  encode(weights: readonly tf.Tensor[], batch: TaskBatch): tf.Tensor2D {
    const pairs = tf.concat([batch.supportX, batch.supportY], 2); // [T, K, in+out]
    // φ ends in a ReLU too: pooling non-negative features keeps the mean informative.
    const phiW = weights.slice(0, this.phiCount);
    // One task without the fused kernel: pool φ's [K, H] rows directly (one reshape fewer to
    // dispatch). The fused kernel takes [T, K, in] as it is, so it needs no reshape at all.
    const pooled =
      pairs.shape[0] === 1 && !denseIsFused()
        ? tf.mean(mlpApply(phiW, tf.reshape(pairs, pairs.shape.slice(1)), 'relu', 'relu'), 0, true) // [1, H]
        : tf.mean(mlpApply(phiW, pairs, 'relu', 'relu'), 1); // [T, K, H] → [T, H]
    return mlpApply(weights.slice(this.phiCount), pooled) as tf.Tensor2D;
  }
}
