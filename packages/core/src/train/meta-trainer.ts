import * as tf from '@tensorflow/tfjs-core';
import { DivergenceError } from '../errors/errors.js';
import type { HypernetModel } from '../model/hypernet-model.js';
import { Rng, type RngState } from '../random/rng.js';
import { disposeBatch } from '../tasks/task-batch.js';
import { SinusoidTasks } from '../tasks/sinusoid.js';
import { taskStreams } from '../tasks/streams.js';
import { Adam } from './adam.js';
import { clipByGlobalNorm } from './clip.js';
import { cosineLr } from './lr-schedule.js';
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

/** Meta-training: sample T tasks, adapt, score on their queries, update with Adam. */
export class MetaTrainer {
  readonly adam: Adam;
  readonly tasks: SinusoidTasks;
  private taskRng: Rng;
  private noiseRng: Rng;
  step = 0;

  constructor(readonly model: HypernetModel, readonly config: TrainConfig, resume?: TrainerState) {
    validateTrainConfig(config);
    const streams = taskStreams(config.seed);
    const pooled = model.config.conditioning === 'embedding';
    this.tasks = new SinusoidTasks(pooled ? model.config.embeddingTasks : undefined, streams.pool);
    this.taskRng = resume ? Rng.fromState(resume.taskRng) : streams.train;
    this.noiseRng = resume ? Rng.fromState(resume.noiseRng) : streams.noise;
    this.adam = new Adam(model.store.variables);
    if (resume) {
      this.step = resume.step;
      this.adam.count = resume.adamCount;
    }
  }

  state(): TrainerState {
    return { step: this.step, adamCount: this.adam.count, taskRng: this.taskRng.state(), noiseRng: this.noiseRng.state() };
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
    const shots = c.shotsMin + this.taskRng.int(c.shotsMax - c.shotsMin + 1);
    const batch = this.tasks.sampleTrain(c.metaBatch, shots, c.queries, this.taskRng);
    const objective = this.model.objective(batch, this.noiseRng);
    const vars = this.model.store.variables;
    const lr = this.lrAt(this.step);
    try {
      const { value, grads } = tf.variableGrads(objective.loss, vars);
      const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const clipped = clipByGlobalNorm(ordered, c.clipNorm);
      const stats = tf.stack([value, clipped.norm]);
      const [loss, gradNorm] = stats.dataSync() as Float32Array;
      stats.dispose();
      try {
        if (!Number.isFinite(loss)) throw new DivergenceError(`training diverged at step ${this.step + 1}: the loss is ${loss}`, this.step + 1, 'loss');
        if (!Number.isFinite(gradNorm)) throw new DivergenceError(`training diverged at step ${this.step + 1}: the gradient norm is ${gradNorm}`, this.step + 1, 'gradient');
        this.adam.apply(clipped.grads, lr);
      } finally {
        tf.dispose([value, ...Object.values(grads), ...ordered, ...clipped.grads, clipped.norm]);
      }
      this.step++;
      return { step: this.step, loss, gradNorm, lr, shots };
    } finally {
      objective.dispose();
      disposeBatch(batch);
    }
  }

  dispose(): void {
    this.adam.dispose();
  }
}
