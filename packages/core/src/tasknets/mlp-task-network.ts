import type * as tf from '@tensorflow/tfjs-core';
import { type Activation, initMlp, mlpApplyBatched, mlpShapes } from '../nn/mlp.js';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { TaskNetwork } from './task-network.js';
import { InvalidArgumentError } from '../errors/errors.js';

export interface MlpTaskNetworkOptions {
  /** Layer sizes including input and output, e.g. [1, 40, 40, 1] (the MAML sinusoid net). */
  sizes: readonly number[];
  activation?: Activation;
}

export class MlpTaskNetwork implements TaskNetwork {
  readonly kind = 'mlp';
  readonly paramShapes: ParamShapes;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly activation: Activation;

  constructor(readonly options: MlpTaskNetworkOptions) {
    const { sizes } = options;
    if (sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0)) {
      throw new InvalidArgumentError(
        `task network sizes must be 2 or more positive integers, got [${sizes.join(', ')}]`,
      );
    }
    this.paramShapes = mlpShapes(sizes);
    this.inputSize = sizes[0];
    this.outputSize = sizes[sizes.length - 1];
    this.activation = options.activation ?? 'relu';
  }

  forward(params: readonly tf.Tensor[], x: tf.Tensor): tf.Tensor {
    return mlpApplyBatched(params, x, this.activation);
  }

  init(rng: Rng): Float32Array[] {
    return initMlp(this.paramShapes, rng);
  }
}
