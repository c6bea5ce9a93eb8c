import * as tf from '@tensorflow/tfjs-core';
import { initMlp, mlpApply, mlpShapes } from '../nn/mlp.js';
import { normalFill } from '../params/init.js';
import { unflattenBatched } from '../params/flat-params.js';
import { type ParamShapes, paramCount } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { Generator } from './generator.js';
import { targetScales } from './target-scale.js';

export interface ChunkedHypernetworkOptions {
  targetShapes: ParamShapes;
  codeSize: number;
  chunkSize: number;
  chunkEmbeddingSize: number;
  hidden: readonly number[];
}

/**
 * One small generator shared by all chunks: chunk m of θ is g([z, e_m]) with a learned
 * embedding e_m per chunk. Its size depends on the chunk size, not on the task network's.
 */
export class ChunkedHypernetwork implements Generator {
  readonly kind = 'chunked';
  readonly paramShapes: ParamShapes;
  readonly targetShapes: ParamShapes;
  readonly codeSize: number;
  readonly chunks: number;
  private readonly scales: Float32Array;

  constructor(private readonly options: ChunkedHypernetworkOptions) {
    const { targetShapes, codeSize, chunkSize, chunkEmbeddingSize, hidden } = options;
    this.targetShapes = targetShapes;
    this.codeSize = codeSize;
    this.chunks = Math.ceil(paramCount(targetShapes) / chunkSize);
    const first = hidden[0] ?? chunkSize;
    // The first layer is split in two (z part, embedding part) so z need not be tiled per chunk.
    this.paramShapes = [
      { name: 'chunks/e', shape: [this.chunks, chunkEmbeddingSize] },
      { name: 'in/wz', shape: [codeSize, first] },
      { name: 'in/we', shape: [chunkEmbeddingSize, first] },
      { name: 'in/b', shape: [first] },
      ...mlpShapes([first, ...hidden.slice(1), chunkSize], 'g/'),
    ];
    const scales = targetScales(targetShapes);
    this.scales = new Float32Array(this.chunks * chunkSize).fill(1);
    this.scales.set(scales);
  }

  init(rng: Rng): Float32Array[] {
    const [e, wz, we] = this.paramShapes;
    const first = wz.shape[1];
    const inFan = this.codeSize + this.options.chunkEmbeddingSize;
    return [
      normalFill(e, rng, 1),
      normalFill(wz, rng, Math.sqrt(2 / inFan)),
      normalFill(we, rng, Math.sqrt(2 / inFan)),
      new Float32Array(first),
      ...initMlp(this.paramShapes.slice(4), rng),
    ];
  }

  generate(weights: readonly tf.Tensor[], z: tf.Tensor2D): tf.Tensor[] {
    const [e, wz, we, b, ...rest] = weights;
    const T = z.shape[0];
    const fromZ = tf.expandDims(tf.matMul(z, wz), 1); // [T, 1, H]
    const fromE = tf.add(tf.matMul(e, we), b); // [M, H]
    const h = tf.relu(tf.add(fromZ, fromE)); // [T, M, H]
    const out = mlpApply(rest, tf.reshape(h, [T * this.chunks, -1])); // [T*M, C]
    const flat = tf.mul(tf.reshape(out, [T, -1]), tf.tensor1d(this.scales)) as tf.Tensor2D;
    return unflattenBatched(flat, this.targetShapes);
  }
}
