import * as tf from '@tensorflow/tfjs-core';
import { MlpHypernetwork } from '../generators/mlp-hypernetwork.js';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';

const LAYERS = 4;

/**
 * Task-conditioned per-channel modulation of conv4 (FiLM, as in TADAM): a generator maps the
 * mean support embedding to a scale and shift for every batch-norm channel, so the features
 * themselves adapt to the episode, not only the classifier on top of them.
 */
export class BackboneModulator {
  private readonly generator: MlpHypernetwork;

  constructor(
    private readonly filters: number,
    hidden: readonly number[],
  ) {
    const n = LAYERS * filters;
    // A small head: at initialisation the modulation is close to none, so training starts from the plain backbone.
    this.generator = new MlpHypernetwork({
      targetShapes: [
        { name: 'scale', shape: [n] },
        { name: 'shift', shape: [n] },
      ],
      codeSize: filters,
      hidden,
      headGain: 0.01,
    });
  }

  get paramShapes(): ParamShapes {
    return this.generator.paramShapes;
  }

  init(rng: Rng): Float32Array[] {
    return this.generator.init(rng);
  }

  /**
   * The backbone's weights with each layer's batch-norm gain multiplied by (1 + Δscale) and Δshift
   * added to its offset, from the task code [1, filters] (the mean support embedding).
   */
  modulate(backbone: readonly tf.Tensor[], weights: readonly tf.Tensor[], code: tf.Tensor2D): tf.Tensor[] {
    const [scale, shift] = this.generator
      .generate(weights, code)
      .map((t) => tf.reshape(t, [LAYERS, this.filters]));
    const out = [...backbone];
    const scales = tf.unstack(scale);
    const shifts = tf.unstack(shift);
    for (let i = 0; i < LAYERS; i++) {
      out[3 * i + 1] = tf.mul(backbone[3 * i + 1], tf.add(scales[i], 1));
      out[3 * i + 2] = tf.add(backbone[3 * i + 2], shifts[i]);
    }
    return out;
  }
}
