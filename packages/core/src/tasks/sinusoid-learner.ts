import type { HypernetModel } from '../model/hypernet-model.js';
import type { Rng } from '../random/rng.js';
import type { MetaLearner, StepObjective } from '../train/meta-learner.js';
import type { TrainConfig } from '../train/train-config.js';
import { MetaTrainer, type TrainerState } from '../train/meta-trainer.js';
import { SinusoidTasks } from './sinusoid.js';
import { taskStreams } from './streams.js';
import { disposeBatch } from './task-batch.js';

/** Meta-training a sinusoid hypernetwork: T tasks per step, K drawn from the configured range. */
export class SinusoidLearner implements MetaLearner {
  readonly tasks: SinusoidTasks;

  constructor(readonly model: HypernetModel, readonly config: TrainConfig) {
    const pooled = model.config.conditioning === 'embedding';
    this.tasks = new SinusoidTasks(pooled ? model.config.embeddingTasks : undefined, taskStreams(config.seed).pool);
  }

  get store() {
    return this.model.store;
  }

  stepObjective(taskRng: Rng, noiseRng: Rng): StepObjective {
    const c = this.config;
    const shots = c.shotsMin + taskRng.int(c.shotsMax - c.shotsMin + 1);
    const batch = this.tasks.sampleTrain(c.metaBatch, shots, c.queries, taskRng);
    const objective = this.model.objective(batch, noiseRng);
    return { loss: objective.loss, shots, dispose: () => { objective.dispose(); disposeBatch(batch); } };
  }
}

/** A MetaTrainer for a sinusoid hypernetwork (optionally resuming from a saved state). */
export function sinusoidTrainer(model: HypernetModel, config: TrainConfig, resume?: TrainerState): MetaTrainer {
  return new MetaTrainer(new SinusoidLearner(model, config), config, resume);
}
