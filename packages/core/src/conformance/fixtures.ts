import * as tf from '@tensorflow/tfjs-core';
import { defaultModelConfig, type ModelConfig } from '../model/config.js';
import { HypernetModel } from '../model/hypernet-model.js';
import { Rng } from '../random/rng.js';
import { sampleSinusoidTask, sinusoidBatch } from '../tasks/sinusoid.js';
import type { TaskBatch } from '../tasks/task-batch.js';

/** A small model; every backend builds bit-identical initial weights from the seed (they come from Rng). */
export function smallModel(over: Partial<ModelConfig> = {}): HypernetModel {
  const base = defaultModelConfig(over.conditioning ?? 'encoder');
  return new HypernetModel({
    ...base,
    taskNet: { sizes: [1, 8, 8, 1] },
    codeSize: 6,
    encoder: { pointHidden: [10, 10], setHidden: [10] },
    generator: { ...base.generator, hidden: [12], chunkSize: 30 },
    embeddingTasks: 5,
    ...over,
  }, 7);
}

export function smallBatch(T = 3, shots = 4, queries = 5, seed = 3): TaskBatch {
  const rng = Rng.fromSeed(seed);
  const b = sinusoidBatch(Array.from({ length: T }, () => sampleSinusoidTask(rng)), shots, queries, rng);
  return { ...b, taskIds: Int32Array.from({ length: T }, (_, i) => i % 5) };
}

/** The meta-objective as a function of all trainable values at once (for finite differences). */
export function objectiveAt(model: HypernetModel, batch: TaskBatch, values: tf.Tensor[]): number {
  const saved = model.store.variables.map((v) => tf.clone(v));
  model.store.variables.forEach((v, i) => v.assign(values[i]));
  try {
    const o = model.objective(batch, Rng.fromSeed(11));
    const l = tf.tidy(() => o.loss().dataSync()[0]);
    o.dispose();
    return l;
  } finally {
    model.store.variables.forEach((v, i) => v.assign(saved[i]));
    tf.dispose(saved);
  }
}
