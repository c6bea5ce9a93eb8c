import * as tf from '@tensorflow/tfjs-core';
import { SetEncoder } from '../../../conditioning/set-encoder.js';
import { ChunkedHypernetwork } from '../../../generators/chunked-hypernetwork.js';
import type { Generator } from '../../../generators/generator.js';
import { MlpHypernetwork } from '../../../generators/mlp-hypernetwork.js';
import { prefixShapes, type ParamShapes } from '../../../params/param-shapes.js';
import type { Rng } from '../../../random/rng.js';
import { MlpTaskNetwork } from '../../../tasknets/mlp-task-network.js';
import type { TaskBatch } from '../../../tasks/task-batch.js';
import type { DynamicsConfig } from '../dynamics-config.js';
import type { DynamicsContext, DynamicsMethod } from './method.js';
import { SharedMlpMethod } from './shared-mlp.js';

function encoder(c: DynamicsConfig, inSize: number, outSize: number): SetEncoder {
  return new SetEncoder({ inputSize: inSize, outputSize: outSize, codeSize: c.codeSize, ...c.encoder });
}

/** The set encoder reads (input, Δs) pairs of the context: the conditioner's batch view of it. */
function contextBatch(ctx: DynamicsContext): TaskBatch {
  return { supportX: ctx.x, supportY: ctx.y, queryX: ctx.x };
}

/**
 * The product (HyperDynamics, Xian et al. 2021): a set encoder over the K context transitions
 * conditions a generator that writes every weight of the dynamics MLP f_θ(s, a) → Δs. Core's
 * task network and generators meet only through the MLP's parameter-shape list.
 */
export class HypernetMethod implements DynamicsMethod {
  readonly name = 'hypernet';
  readonly paramShapes: ParamShapes;
  readonly taskNet: MlpTaskNetwork;
  private readonly encoder: SetEncoder;
  private readonly generator: Generator;
  private readonly encCount: number;

  constructor(c: DynamicsConfig, inSize: number, outSize: number) {
    this.taskNet = new MlpTaskNetwork({ sizes: [inSize, ...c.hidden, outSize] });
    this.encoder = encoder(c, inSize, outSize);
    const g = c.generator;
    const targetShapes = this.taskNet.paramShapes;
    this.generator =
      g.kind === 'mlp'
        ? new MlpHypernetwork({
            targetShapes,
            codeSize: c.codeSize,
            hidden: g.hidden,
            baseInit: (r) => this.taskNet.init(r),
          })
        : new ChunkedHypernetwork({ targetShapes, codeSize: c.codeSize, ...g });
    this.encCount = this.encoder.paramShapes.length;
    this.paramShapes = [
      ...prefixShapes('cond', this.encoder.paramShapes),
      ...prefixShapes('gen', this.generator.paramShapes),
    ];
  }

  init(rng: Rng): Float32Array[] {
    return [...this.encoder.init(rng), ...this.generator.init(rng)];
  }

  adapt(weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[] {
    const z = this.encoder.encode(weights.slice(0, this.encCount), contextBatch(ctx));
    return this.generator.generate(weights.slice(this.encCount), z);
  }

  predict(_weights: readonly tf.Tensor[], theta: readonly tf.Tensor[], x: tf.Tensor3D): tf.Tensor3D {
    return this.taskNet.forward(theta, x) as tf.Tensor3D;
  }
}

/** The same set encoder, its code concatenated to the input of one fixed network (Rakelly et al.-style latent). */
export class ConcatMethod extends SharedMlpMethod {
  readonly name = 'concat';
  private readonly encoder: SetEncoder;

  constructor(c: DynamicsConfig, inSize: number, outSize: number) {
    const enc = encoder(c, inSize, outSize);
    super([inSize + c.codeSize, ...c.hidden, outSize], prefixShapes('cond', enc.paramShapes));
    this.encoder = enc;
  }

  override init(rng: Rng): Float32Array[] {
    return [...super.init(rng), ...this.encoder.init(rng)];
  }

  adapt(weights: readonly tf.Tensor[], ctx: DynamicsContext): tf.Tensor[] {
    return [this.encoder.encode(weights.slice(this.netCount), contextBatch(ctx))];
  }
}
