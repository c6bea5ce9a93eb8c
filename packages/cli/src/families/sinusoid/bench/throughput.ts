import {
  sinusoidFamily,
  MetaTrainer,
  defaultTrainConfig,
  HypernetModel,
  type ModelConfig,
  taskStreams,
  type TrainConfig,
} from '@hypermeta/core';
import { PerTaskLoop } from './per-task-loop.js';
import { rate } from '../../../bench/timing.js';

export interface ThroughputRow {
  metaBatch: number;
  batchedTasksPerS: number;
  perTaskTasksPerS: number;
  /** batched / per-task loop */
  ratio: number;
}

export interface TimeBudget {
  /** Minimum wall time per measurement, ms. */
  minMs: number;
}

const config = (T: number, seed: number): TrainConfig => ({ ...defaultTrainConfig(), metaBatch: T, seed });

/** Meta-training tasks/s of the library's batched step (the real MetaTrainer) at meta-batch T. */
export function batchedTasksPerS(
  T: number,
  seed: number,
  budget: TimeBudget,
  mc: ModelConfig = sinusoidFamily.defaultModelConfig('hypernet'),
  minCalls = 3,
): number {
  const model = new HypernetModel(mc, seed);
  const trainer = newSinusoidTrainer(model, config(T, seed));
  try {
    return T * rate(() => trainer.runStep(), { warmup: 3, minCalls, minMs: budget.minMs });
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** The same, with the T tasks run one at a time (PerTaskLoop). */
export function perTaskTasksPerS(
  T: number,
  seed: number,
  budget: TimeBudget,
  mc: ModelConfig = sinusoidFamily.defaultModelConfig('hypernet'),
): number {
  const model = new HypernetModel(mc, seed);
  const loop = new PerTaskLoop(model, config(T, seed));
  const streams = taskStreams(seed);
  try {
    return (
      T * rate(() => loop.step(streams.train, streams.noise), { warmup: 1, minCalls: 2, minMs: budget.minMs })
    );
  } finally {
    loop.dispose();
    model.dispose();
  }
}

export function throughputTable(
  metaBatches: readonly number[],
  seed: number,
  budget: TimeBudget,
): ThroughputRow[] {
  return metaBatches.map((T) => {
    const batched = batchedTasksPerS(T, seed, budget);
    const perTask = perTaskTasksPerS(T, seed, budget);
    return { metaBatch: T, batchedTasksPerS: batched, perTaskTasksPerS: perTask, ratio: batched / perTask };
  });
}

/** A trainer of the default regression hypernetwork on sinusoid tasks. */
export function newSinusoidTrainer(model: HypernetModel, config: TrainConfig): MetaTrainer {
  return new MetaTrainer(sinusoidFamily.learner(model, undefined, config), config);
}
