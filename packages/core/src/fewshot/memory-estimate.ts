import { paramCount } from '../params/param-shapes.js';
import { conv4Shapes } from './conv4.js';

const FLOAT = 4;

/**
 * Floats one 28×28 image takes in a conv4 training pass: the four blocks' maps (conv, batch
 * norm, ReLU, pooling) and their gradients. Fitted to the wasm heap's growth over one Omniglot
 * step with 64 filters (2.4–3.3 MB per image at 200–600 images), rounded up: 17 maps of 28×28×F.
 */
export function conv4FloatsPerImage(filters: number): number {
  return 17 * 28 * 28 * filters;
}

/**
 * Peak memory of one few-shot training pass over `images` images (one episode, or finetune's
 * pre-training batch), with the model's weights, gradients and Adam moments; forward-only passes
 * (evaluation) keep about a third of the maps.
 */
export function conv4PassBytes(
  filters: number,
  extraParams: number,
  images: number,
  training: boolean,
): number {
  const state = 4 * FLOAT * (paramCount(conv4Shapes(filters)) + extraParams);
  return state + (FLOAT * images * conv4FloatsPerImage(filters)) / (training ? 1 : 3);
}

/**
 * The generated method's pass: the generator's extractor (`filters` wide) reads the support set
 * alone, the generated task network (`taskFilters` wide) reads support and queries.
 */
export function generatedPassBytes(
  filters: number,
  taskFilters: number,
  extraParams: number,
  supportImages: number,
  images: number,
  training: boolean,
): number {
  const task = (FLOAT * images * conv4FloatsPerImage(taskFilters)) / (training ? 1 : 3);
  return conv4PassBytes(filters, extraParams, supportImages, training) + task;
}
