import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from '../../params/param-store.js';
import { Rng } from '../../random/rng.js';
import { type DynamicsConfig, type DynamicsNorm, inputSize, outputSize } from './dynamics-config.js';
import { identityNorm } from './features.js';
import { createDynamicsMethod, type DynamicsContext, type DynamicsMethod } from './methods/index.js';
import { validateDynamicsConfig } from './validate.js';

/** Context of T variations as plain arrays (raw, not yet normalised), with K transitions each. */
export interface ContextArrays {
  T: number;
  K: number;
  /** T·K·in input features. */
  x: Float32Array;
  /** T·K·out Δs. */
  y: Float32Array;
  /** T·F true factors. */
  factors: Float32Array;
  factorSize: number;
}

/**
 * A dynamics model of one method with its trainable state and the normalisation of its data.
 * Networks see normalised inputs and predict normalised Δs; `predictDelta` speaks raw units.
 */
export class DynamicsModel {
  readonly method: DynamicsMethod;
  readonly store: ParamStore;
  readonly norm: DynamicsNorm;
  readonly inSize: number;
  readonly outSize: number;

  constructor(
    readonly config: DynamicsConfig,
    seed: number,
  ) {
    validateDynamicsConfig(config);
    this.method = createDynamicsMethod(config);
    this.store = new ParamStore(this.method.paramShapes, this.method.init(Rng.fromSeed(seed, 'init')));
    this.norm = config.norm ?? identityNorm(config.env);
    this.inSize = inputSize(config.env);
    this.outSize = outputSize(config.env);
  }

  get weights(): tf.Tensor[] {
    return this.store.variables;
  }

  normalisedInputs(x: Float32Array): Float32Array {
    const { inMean: m, inStd: s } = this.norm;
    const w = m.length;
    return x.map((v, i) => (v - m[i % w]) / s[i % w]);
  }

  normalisedTargets(y: Float32Array): Float32Array {
    const { outMean: m, outStd: s } = this.norm;
    const w = m.length;
    return y.map((v, i) => (v - m[i % w]) / s[i % w]);
  }

  /** Context tensors (normalised); the caller disposes them with `disposeContext`. */
  contextTensors(c: ContextArrays): DynamicsContext {
    return {
      x: tf.tensor3d(this.normalisedInputs(c.x), [c.T, c.K, this.inSize]),
      y: tf.tensor3d(this.normalisedTargets(c.y), [c.T, c.K, this.outSize]),
      factors: tf.tensor2d(c.factors, [c.T, c.factorSize]),
    };
  }

  /** The adapted state of each variation (kept: the caller disposes it). */
  adapt(ctx: DynamicsContext): tf.Tensor[] {
    const prepared = this.method.prepare?.(this.weights, ctx);
    try {
      return tf.tidy(() => this.method.adapt(this.weights, ctx, prepared));
    } finally {
      if (prepared) tf.dispose(prepared);
    }
  }

  /** Raw Δs [T, N, out] for raw input features x (T·N·in values), with an adapted state. */
  predictDelta(state: readonly tf.Tensor[], x: Float32Array, T: number, N: number): Float32Array {
    const out = tf.tidy(() => {
      const xn = tf.tensor3d(this.normalisedInputs(x), [T, N, this.inSize]);
      const yn = this.method.predict(this.weights, state, xn);
      return tf.add(tf.mul(yn, tf.tensor1d(this.norm.outStd)), tf.tensor1d(this.norm.outMean));
    });
    const v = out.dataSync() as Float32Array;
    out.dispose();
    return v;
  }

  dispose(): void {
    this.store.dispose();
  }
}

export function disposeContext(c: DynamicsContext): void {
  tf.dispose([c.x, c.y, c.factors]);
}
