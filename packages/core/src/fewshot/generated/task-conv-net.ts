import * as tf from '@tensorflow/tfjs-core';
import { channelAffine, channelMoments } from '../../nn/channel-ops.js';
import type { ParamShapes } from '../../params/param-shapes.js';

/** What a layer of the task network holds: a 3×3 kernel and its batch norm's scale and shift. */
export interface ConvLayerWeights {
  w: tf.Tensor4D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
}

/** A class's row of the classifier: weights [channels] and bias [1]. */
export interface ClassifierWeights {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

const IMAGE_SIZE = 28;
const LAYERS = 4;

/**
 * The small network a generator writes in full for each episode: 4 × [3×3 conv with `channels`
 * outputs, batch norm, ReLU, 2×2 max-pool] on 28×28×1 images (28 → 14 → 7 → 3 → 1), then a
 * linear classifier with one row per class. Every weight comes from outside (no variables): its
 * parameter shapes are all a generator is told about it.
 */
export class TaskConvNet {
  readonly layers = LAYERS;
  /** The conv layers' shapes, layer by layer (`conv{i}/w`, `conv{i}/gamma`, `conv{i}/beta`). */
  readonly paramShapes: ParamShapes;
  /** One class's classifier row: generated once per class of the episode. */
  readonly classShapes: ParamShapes;

  constructor(readonly channels: number) {
    const shapes: { name: string; shape: number[] }[] = [];
    for (let i = 0; i < LAYERS; i++) {
      shapes.push({ name: `conv${i}/w`, shape: [3, 3, this.inChannels(i), channels] });
      shapes.push({ name: `conv${i}/gamma`, shape: [channels] });
      shapes.push({ name: `conv${i}/beta`, shape: [channels] });
    }
    this.paramShapes = shapes;
    this.classShapes = [
      { name: 'head/w', shape: [channels] },
      { name: 'head/b', shape: [1] },
    ];
  }

  inChannels(layer: number): number {
    return layer === 0 ? 1 : this.channels;
  }

  /**
   * One block on images or maps h [N, H, W, Cin]. Batch norm uses the statistics of the first
   * `statsOf` rows (the support set), so a query never changes another's prediction.
   */
  block(h: tf.Tensor4D, layer: ConvLayerWeights, statsOf: number): tf.Tensor4D {
    const z = tf.conv2d(h, layer.w, 1, 'same');
    const ref = statsOf === z.shape[0] ? z : tf.slice(z, 0, statsOf);
    const { mean, variance } = channelMoments(ref);
    const scale = tf.mul(layer.gamma, tf.rsqrt(tf.add(variance, 1e-5)));
    const shift = tf.sub(layer.beta, tf.mul(mean, scale));
    return tf.relu(tf.maxPool(channelAffine(z, scale, shift) as tf.Tensor4D, 2, 2, 'valid'));
  }

  /** Features [N, channels] of images [N, 28, 28, 1] under the given layers. */
  features(layers: readonly ConvLayerWeights[], images: tf.Tensor4D, statsOf: number): tf.Tensor2D {
    let h = images;
    for (const layer of layers) h = this.block(h, layer, statsOf);
    return tf.reshape(h, [images.shape[0], -1]) as tf.Tensor2D;
  }

  /** Groups a flat list in `paramShapes` order into layers. */
  layersOf(values: readonly tf.Tensor[]): ConvLayerWeights[] {
    return Array.from({ length: LAYERS }, (_, i) => ({
      w: values[3 * i] as tf.Tensor4D,
      gamma: values[3 * i + 1] as tf.Tensor1D,
      beta: values[3 * i + 2] as tf.Tensor1D,
    }));
  }

  /** Parameters of the adapted network for `ways` classes (what ships after adaptation). */
  adaptedParams(ways: number): number {
    let n = 0;
    for (let i = 0; i < LAYERS; i++) n += 9 * this.inChannels(i) * this.channels + 2 * this.channels;
    return n + ways * (this.channels + 1);
  }

  /** FLOPs (2 × multiply-adds) of classifying one query with the adapted network. */
  queryFlops(ways: number): number {
    let flops = 0;
    let size = IMAGE_SIZE;
    for (let i = 0; i < LAYERS; i++) {
      flops += 2 * size * size * 9 * this.inChannels(i) * this.channels;
      size = Math.floor(size / 2);
    }
    return flops + 2 * ways * this.channels;
  }

  /** The largest activation one query holds (floats × 4 bytes): the first conv's output. */
  queryActivationBytes(): number {
    return 4 * IMAGE_SIZE * IMAGE_SIZE * this.channels;
  }
}
