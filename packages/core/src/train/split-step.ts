import type { MetaLearner } from './meta-learner.js';
import type { Rng } from '../random/rng.js';

/** One part's contribution to a meta-step: its loss and its gradient flattened in the variables' order. */
export interface PartGradient {
  loss: number;
  grad: Float32Array;
}

/**
 * A meta-step's tasks split into parts whose gradients can be computed independently (one
 * episode each), possibly in other threads or processes. Parts are plain data (typed arrays,
 * numbers), so they can be posted to a worker as they are.
 */
export interface SplitStep<P> {
  shots: number;
  parts: P[];
}

/**
 * A learner whose step can be split. The trainer averages the parts' gradients in part order,
 * so the numbers do not depend on where each part ran.
 */
export interface SplitLearner<P = unknown> extends MetaLearner {
  /** False where this learner's steps cannot be split (the trainer then uses runStep). */
  readonly splittable: boolean;
  splitStep(taskRng: Rng, noiseRng: Rng): SplitStep<P>;
  /** The gradient of one part at the store's current weights. */
  partGradient(part: P): PartGradient;
}

/** Computes the gradients of a step's parts (in order) at the given flat weights. */
export type PartRunner<P = unknown> = (parts: P[], weights: Float32Array) => Promise<PartGradient[]>;

export function isSplitLearner(l: MetaLearner): l is SplitLearner {
  const s = l as Partial<SplitLearner>;
  return s.splittable === true && typeof s.splitStep === 'function' && typeof s.partGradient === 'function';
}

/** Runs every part in this thread (the reference the worker pool must match bit for bit). */
export function localPartRunner<P>(learner: SplitLearner<P>): PartRunner<P> {
  return (parts) => Promise.resolve(parts.map((p) => learner.partGradient(p)));
}
