import type * as tf from '@tensorflow/tfjs-core';

/** T regression/classification tasks with the same support size K and query size Q. */
export interface TaskBatch {
  /** [T, K, inputSize] */
  readonly supportX: tf.Tensor3D;
  /** [T, K, outputSize] */
  readonly supportY: tf.Tensor3D;
  /** [T, Q, inputSize] */
  readonly queryX: tf.Tensor3D;
  /** [T, Q, outputSize]; absent when only predictions are wanted. */
  readonly queryY?: tf.Tensor3D;
  /** Index of each task in a fixed training set (for embedding conditioning). */
  readonly taskIds?: Int32Array;
}

export function disposeBatch(b: TaskBatch): void {
  b.supportX.dispose();
  b.supportY.dispose();
  b.queryX.dispose();
  b.queryY?.dispose();
}
