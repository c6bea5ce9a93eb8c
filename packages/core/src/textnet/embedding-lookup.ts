import * as tf from '@tensorflow/tfjs-core';

/**
 * Rows of `table` [V, D] for integer `ids` of any shape → [...ids.shape, D]. Its gradient is a
 * scatter-add (ScatterNd sums repeated ids) rather than tfjs's gather gradient, which needs an
 * UnsortedSegmentSum kernel the wasm backend lacks.
 */
export function embeddingLookup(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  const flat = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const t = args[0] as tf.Tensor;
    return {
      value: tf.gather(t, flat),
      gradFunc: (dy: tf.Tensor) => tf.scatterND(tf.expandDims(flat, 1), dy, t.shape),
    };
  });
  return tf.reshape(lookup(table), [...ids.shape, table.shape[1]!]);
}
