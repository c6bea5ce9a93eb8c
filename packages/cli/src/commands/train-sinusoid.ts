import { evaluateSinusoid, HypernetModel, sinusoidTrainer, type TrainerState, type TrainConfig } from '@hypermeta/core';
import { buildRunConfig, type TrainFlags } from '../run-config.js';
import type { TrainingJob } from './train-loop.js';

function job(runDir: string, model: HypernetModel, train: TrainConfig, resume?: TrainerState): TrainingJob {
  const trainer = sinusoidTrainer(model, train, resume);
  return {
    runDir,
    model,
    trainer,
    description: `${model.config.conditioning}/${model.config.generator.kind} hypernet on sinusoid`,
    periodicEval: () => {
      const r = evaluateSinusoid(model, { tasks: 100, shots: 5, seed: trainer.config.seed });
      return { evalMse5Shot: r.mse, evalCi95: r.ci95 };
    },
  };
}

export function newSinusoidJob(runDir: string, flags: TrainFlags): TrainingJob {
  const { model, train } = buildRunConfig(flags);
  return job(runDir, new HypernetModel(model, train.seed), train);
}

export function resumedSinusoidJob(runDir: string, model: HypernetModel, train: TrainConfig, state: TrainerState): TrainingJob {
  return job(runDir, model, train, state);
}
