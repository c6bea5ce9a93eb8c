import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../params/param-store.js';
import type { Rng } from '../random/rng.js';

/** The meta-objective of one step, for tf.variableGrads; `dispose` frees what it prepared. */
export interface StepObjective {
  loss: () => tf.Scalar;
  dispose: () => void;
  /** Shot count of this step's tasks (for logs). */
  shots: number;
}

/**
 * What the meta-training loop needs from a method on a task family: its trainable state and,
 * each step, an objective on tasks it draws from `taskRng` (`noiseRng` feeds stochastic parts).
 */
export interface MetaLearner {
  readonly store: ParamStore;
  stepObjective(taskRng: Rng, noiseRng: Rng): StepObjective;
  /**
   * Called before step `step` (0-based) draws its tasks, in the trainer's thread: a learner whose
   * data grows during training (on-policy collection) adds to it here. Optional.
   */
  beforeStep?(step: number): void;
}
