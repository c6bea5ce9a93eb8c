import * as tf from '@tensorflow/tfjs-core';

/** The valid (non-zero) ids of a batch [N, W] as (row, id) pairs, and each row's count. */
function pairs(ids: tf.Tensor2D): { rows: Int32Array; grams: Int32Array; counts: Float32Array } {
  const [n, w] = ids.shape;
  const data = ids.dataSync();
  const rows: number[] = [];
  const grams: number[] = [];
  const counts = new Float32Array(n);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < w; j++) {
      const id = data[r * w + j];
      if (id !== 0) {
        rows.push(r);
        grams.push(id);
        counts[r]++;
      }
    }
  return { rows: Int32Array.from(rows), grams: Int32Array.from(grams), counts };
}

/** Segment sums [segments, D] padded with zero rows up to `total` rows. */
function segmentSums(data: tf.Tensor, indices: Int32Array, segments: Int32Array, total: number): tf.Tensor2D {
  const d = data.shape[1]!;
  if (indices.length === 0) return tf.zeros([total, d]);
  const sums = tf.sparse.sparseSegmentSum(
    data,
    tf.tensor1d(indices, 'int32'),
    tf.tensor1d(segments, 'int32'),
  );
  return tf.pad(sums, [
    [0, total - sums.shape[0]],
    [0, 0],
  ]) as tf.Tensor2D;
}

/**
 * The mean of the embeddings (rows of `table` [V, D]) of each row's non-zero ids [N, W] → [N, D];
 * a row with none gives zeros. Forward and backward are segment sums (SparseSegmentSum), which
 * the backends run fast: a gather of the same rows is ~50× slower on wasm, and its gradient needs
 * an UnsortedSegmentSum kernel wasm lacks. The backward pass sums each row's gradient into the
 * table rows of its ids, sorted by id (segment ids must ascend).
 */
export function embeddingBagMean(table: tf.Tensor, ids: tf.Tensor2D): tf.Tensor2D {
  const n = ids.shape[0];
  const { rows, grams, counts } = pairs(ids);
  const scale = tf.tensor2d(
    counts.map((c) => 1 / Math.max(c, 1)),
    [n, 1],
  );
  const bag = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
    // Saved, not closed over: the tape keeps saved tensors alive until the backward pass.
    save([scale]);
    return {
      value: tf.mul(segmentSums(t, grams, rows, n), scale),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const order = Array.from(grams.keys()).sort((a, b) => grams[a] - grams[b] || a - b);
        const byGram = Int32Array.from(order, (i) => grams[i]);
        const rowOf = Int32Array.from(order, (i) => rows[i]);
        return segmentSums(tf.mul(dy, saved[0]), rowOf, byGram, t.shape[0]);
      },
    };
  });
  return bag(table) as tf.Tensor2D;
}
