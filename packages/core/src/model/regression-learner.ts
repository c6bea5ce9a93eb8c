import type { Rng } from '../random/rng.js';
import type { MetaLearner, StepObjective } from '../train/meta-learner.js';
import type { TrainConfig } from '../train/train-config.js';
import { disposeBatch, type TaskBatch } from '../tasks/task-batch.js';
import type { HypernetModel } from './hypernet-model.js';

/** Where a regression family's training tasks come from: T tasks with their support and query points. */
export interface RegressionTaskSource {
  sampleTrain(T: number, shots: number, queries: number, rng: Rng): TaskBatch;
}

/** Meta-training a regression hypernetwork: T tasks per step, K drawn per step from the configured range. */
export class RegressionLearner implements MetaLearner {
  constructor(
    readonly model: HypernetModel,
    readonly tasks: RegressionTaskSource,
    readonly config: TrainConfig,
  ) {}

  get store() {
    return this.model.store;
  }

  stepObjective(taskRng: Rng, noiseRng: Rng): StepObjective {
    const c = this.config;
    const shots = c.shotsMin + taskRng.int(c.shotsMax - c.shotsMin + 1);
    const batch = this.tasks.sampleTrain(c.metaBatch, shots, c.queries, taskRng);
    const objective = this.model.objective(batch, noiseRng);
    return {
      loss: objective.loss,
      shots,
      dispose: () => {
        objective.dispose();
        disposeBatch(batch);
      },
    };
  }
}
