import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';

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

const dims = (t: { shape: number[] } | undefined) => (t ? `[${t.shape.join(', ')}]` : 'missing');

/**
 * Checks a batch against a task network's input and output sizes before any computation, so a
 * mistake reads as a hypermeta error in our words rather than a kernel's: ranks, the task count
 * shared by every input, a non-empty support set, the sizes, and finite support values (read back:
 * they are small, and a NaN there would silently spread to every prediction).
 */
export function checkTaskBatch(b: TaskBatch, inputSize: number, outputSize: number): void {
  const parts = {
    supportX: b.supportX,
    supportY: b.supportY,
    queryX: b.queryX,
    ...(b.queryY ? { queryY: b.queryY } : {}),
  };
  for (const [name, t] of Object.entries(parts)) {
    if (!t || t.rank !== 3)
      throw new InvalidArgumentError(`${name} must be a [tasks, points, size] tensor, got ${dims(t)}`);
  }
  const T = b.supportX.shape[0];
  for (const [name, t] of Object.entries(parts)) {
    if (t.shape[0] !== T)
      throw new InvalidArgumentError(
        `${name} has ${t.shape[0]} tasks, supportX has ${T}: every input needs the same task count`,
      );
  }
  if (T === 0) throw new InvalidArgumentError('the batch holds no task');
  if (b.supportX.shape[1] === 0)
    throw new InvalidArgumentError(
      'the support set is empty: adaptation needs at least one example per task',
    );
  if (b.supportY.shape[1] !== b.supportX.shape[1])
    throw new InvalidArgumentError(
      `supportX has ${b.supportX.shape[1]} points per task, supportY ${b.supportY.shape[1]}`,
    );
  if (b.queryY && b.queryY.shape[1] !== b.queryX.shape[1])
    throw new InvalidArgumentError(
      `queryX has ${b.queryX.shape[1]} points per task, queryY ${b.queryY.shape[1]}`,
    );
  for (const [name, t, size] of [
    ['supportX', b.supportX, inputSize],
    ['queryX', b.queryX, inputSize],
    ['supportY', b.supportY, outputSize],
    ['queryY', b.queryY, outputSize],
  ] as const) {
    if (t && t.shape[2] !== size)
      throw new InvalidArgumentError(
        `${name} has ${t.shape[2]} values per point, the task network takes ${size}`,
      );
  }
  for (const [name, t] of [
    ['supportX', b.supportX],
    ['supportY', b.supportY],
  ] as const) {
    if (t.dtype !== 'float32') throw new InvalidArgumentError(`${name} must be float32, got ${t.dtype}`);
    if (!t.dataSync().every(Number.isFinite))
      throw new InvalidArgumentError(`${name} holds NaN or infinite values`);
  }
}
