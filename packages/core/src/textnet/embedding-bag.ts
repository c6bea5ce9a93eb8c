import * as tf from '@tensorflow/tfjs-core';

/** Integer ids [n, w] read from `data`, row r at offset r·stride + start. */
export interface IdRows {
  data: ArrayLike<number>;
  n: number;
  w: number;
  stride: number;
  start: number;
}

/** The valid (non-zero) ids of the rows as (row, id) pairs, and each row's count. */
function pairs({ data, n, w, stride, start }: IdRows): {
  rows: Int32Array;
  grams: Int32Array;
  counts: Float32Array;
} {
  const rows: number[] = [];
  const grams: number[] = [];
  const counts = new Float32Array(n);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < w; j++) {
      const id = data[r * stride + start + j];
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
 * The mean of the embeddings (rows of `table` [V, D]) of each row's non-zero ids → [N, D]; a row
 * with none gives zeros. The ids are read on the CPU (they are the model's input, not computed). Forward and backward are segment sums (SparseSegmentSum), which
 * the backends run fast: a gather of the same rows is ~50× slower on wasm, and its gradient needs
 * an UnsortedSegmentSum kernel wasm lacks. The backward pass sums each row's gradient into the
 * table rows of its ids, sorted by id (segment ids must ascend).
 */
export function embeddingBagMean(table: tf.Tensor, ids: tf.Tensor2D | IdRows): tf.Tensor2D {
  const idRows =
    ids instanceof tf.Tensor
      ? { data: ids.dataSync(), n: ids.shape[0], w: ids.shape[1], stride: ids.shape[1], start: 0 }
      : ids;
  const n = idRows.n;
  const { rows, grams, counts } = pairs(idRows);
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
