import * as tf from '@tensorflow/tfjs-core';
import { type ParamShapes, paramCount, specSize } from './param-shapes.js';

/** Splits a flat batch [T, P] into one tensor per shape, each [T, ...shape]. */
export function unflattenBatched(flat: tf.Tensor2D, shapes: ParamShapes): tf.Tensor[] {
  const T = flat.shape[0];
  const total = paramCount(shapes);
  const source = flat.shape[1] === total ? flat : tf.slice(flat, [0, 0], [T, total]);
  const parts = tf.split(source, shapes.map(specSize), 1);
  // a vector's part is already [T, n]; skipping its reshape saves a kernel dispatch
  return parts.map((p, i) => (shapes[i].shape.length === 1 ? p : tf.reshape(p, [T, ...shapes[i].shape])));
}

/** Inverse of unflattenBatched: [T, ...shape] tensors to one [T, P]. */
export function flattenBatched(params: readonly tf.Tensor[]): tf.Tensor2D {
  const T = params[0].shape[0];
  return tf.concat(
    params.map((p) => (p.rank === 2 ? p : tf.reshape(p, [T, -1]))),
    1,
  ) as tf.Tensor2D;
}

/** Flat Float32Array of unbatched values (as produced by init functions) in shape order. */
export function concatValues(values: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of values) {
    out.set(v, at);
    at += v.length;
  }
  return out;
}

/** One flat [P] view of tensors of any shapes (reshapes are free; one concat). */
export function flatten(ts: readonly tf.Tensor[]): tf.Tensor1D {
  return tf.concat(
    ts.map((t) => tf.reshape(t, [-1])),
    0,
  ) as tf.Tensor1D;
}
