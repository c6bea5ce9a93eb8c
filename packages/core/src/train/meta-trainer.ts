import * as tf from '@tensorflow/tfjs-core';
import { DivergenceError } from '../errors/errors.js';
import { Rng, type RngState } from '../random/rng.js';
import { taskStreams } from '../random/streams.js';
import { Adam } from './adam.js';
import { clipByGlobalNorm } from './clip.js';
import { gradientsInOrder } from './ordered-grads.js';
import { cosineLr } from './lr-schedule.js';
import type { MetaLearner } from './meta-learner.js';
import { isSplitLearner, type PartGradient, type PartRunner, type SplitLearner } from './split-step.js';
import { type TrainConfig, validateTrainConfig } from './train-config.js';

/** What, besides weights and optimizer moments, a resumed run needs to continue exactly. */
export interface TrainerState {
  step: number;
  adamCount: number;
  taskRng: RngState;
  noiseRng: RngState;
}

export interface StepResult {
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  shots: number;
}

/** Meta-training: sample tasks, adapt, score on their queries, update with Adam. Any method, any task family. */
export class MetaTrainer {
  readonly adam: Adam;
  private taskRng: Rng;
  private noiseRng: Rng;
  step = 0;

  constructor(
    readonly learner: MetaLearner,
    readonly config: TrainConfig,
    resume?: TrainerState,
  ) {
    validateTrainConfig(config);
    const streams = taskStreams(config.seed);
    this.taskRng = resume ? Rng.fromState(resume.taskRng) : streams.train;
    this.noiseRng = resume ? Rng.fromState(resume.noiseRng) : streams.noise;
    this.adam = new Adam(learner.store.variables);
    if (resume) {
      this.step = resume.step;
      this.adam.count = resume.adamCount;
    }
  }

  state(): TrainerState {
    return {
      step: this.step,
      adamCount: this.adam.count,
      taskRng: this.taskRng.state(),
      noiseRng: this.noiseRng.state(),
    };
  }

  lrAt(step: number): number {
    const c = this.config;
    return cosineLr(step, c.steps, c.lr, c.lrFinal, c.warmup);
  }

  /**
   * One meta-step. The loss and gradient norm are read before the update, so a NaN or infinite
   * value stops training with the weights still at their last good values.
   */
  runStep(): StepResult {
    const c = this.config;
    this.learner.beforeStep?.(this.step);
    const objective = this.learner.stepObjective(this.taskRng, this.noiseRng);
    const shots = objective.shots;
    const vars = this.learner.store.variables;
    const lr = this.lrAt(this.step);
    try {
      const { value, grads: ordered } = gradientsInOrder(objective.loss, vars);
      const clipped = clipByGlobalNorm(ordered, c.clipNorm);
      const stats = tf.stack([value, clipped.norm]);
      const [loss, gradNorm] = stats.dataSync() as Float32Array;
      stats.dispose();
      try {
        this.checkFinite(loss, gradNorm);
        this.adam.applyFlat(clipped.flat, lr);
      } finally {
        tf.dispose([value, ...ordered, clipped.flat, clipped.norm]);
      }
      this.step++;
      return { step: this.step, loss, gradNorm, lr, shots };
    } finally {
      objective.dispose();
    }
  }

  /**
   * One meta-step whose parts (episodes) are computed by `run`, anywhere: their gradients are
   * averaged here in part order, so any runner (this thread, a worker pool of any size) gives
   * the same numbers. With one part per step it matches runStep bit for bit.
   */
  async runSplitStep<P>(run: PartRunner<P>): Promise<StepResult> {
    if (!isSplitLearner(this.learner)) throw new Error('this learner cannot split its steps; use runStep');
    const learner = this.learner as SplitLearner<P>;
    learner.beforeStep?.(this.step);
    const { shots, parts } = learner.splitStep(this.taskRng, this.noiseRng);
    const results = await run(parts, learner.store.readFlat());
    if (results.length !== parts.length)
      throw new Error(`the part runner returned ${results.length} gradients for ${parts.length} parts`);
    const lr = this.lrAt(this.step);
    const loss = results.reduce((a, r) => a + r.loss, 0) / results.length;
    const clipped = tf.tidy(() => clipByGlobalNorm([meanGradient(results)], this.config.clipNorm));
    try {
      const gradNorm = clipped.norm.dataSync()[0];
      this.checkFinite(loss, gradNorm);
      this.adam.applyFlat(clipped.flat, lr);
      this.step++;
      return { step: this.step, loss, gradNorm, lr, shots };
    } finally {
      tf.dispose([clipped.flat, clipped.norm]);
    }
  }

  private checkFinite(loss: number, gradNorm: number): void {
    if (!Number.isFinite(loss))
      throw new DivergenceError(
        `training diverged at step ${this.step + 1}: the loss is ${loss}`,
        this.step + 1,
        'loss',
      );
    if (!Number.isFinite(gradNorm))
      throw new DivergenceError(
        `training diverged at step ${this.step + 1}: the gradient norm is ${gradNorm}`,
        this.step + 1,
        'gradient',
      );
  }

  dispose(): void {
    this.adam.dispose();
  }
}

/** The parts' mean gradient, summed in part order (one part: its gradient unchanged). */
function meanGradient(results: readonly PartGradient[]): tf.Tensor1D {
  let sum = tf.tensor1d(results[0].grad);
  for (const r of results.slice(1)) sum = tf.add(sum, tf.tensor1d(r.grad));
  return results.length > 1 ? tf.mul(sum, 1 / results.length) : sum;
}
