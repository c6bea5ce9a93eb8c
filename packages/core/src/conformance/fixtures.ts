import * as tf from '@tensorflow/tfjs-core';
import { defaultModelConfig, type ModelConfig } from '../model/config.js';
import { HypernetModel } from '../model/hypernet-model.js';
import { Rng } from '../random/rng.js';
import type { TaskBatch } from '../tasks/task-batch.js';

/** A small regression hypernetwork config (the engine cases need no family). */
export function smallConfig(over: Partial<ModelConfig> = {}): ModelConfig {
  const base = defaultModelConfig('conformance', over.conditioning ?? 'encoder');
  return {
    ...base,
    taskNet: { sizes: [1, 8, 8, 1] },
    codeSize: 6,
    encoder: { pointHidden: [10, 10], setHidden: [10] },
    generator: { ...base.generator, hidden: [12], chunkSize: 30 },
    embeddingTasks: 5,
    ...over,
  };
}

/** Every backend builds bit-identical initial weights from the seed (they come from Rng). */
export function smallModel(over: Partial<ModelConfig> = {}): HypernetModel {
  return new HypernetModel(smallConfig(over), 7);
}

/**
 * T sinusoid-like tasks y = A·sin(x − φ) (A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5]), support then
 * query points, with task ids for embedding conditioning. Smooth targets keep the finite
 * differences of the gradient checks away from ReLU kinks.
 */
export function smallBatch(T = 3, shots = 4, queries = 5, seed = 3): TaskBatch {
  const rng = Rng.fromSeed(seed);
  const tasks = Array.from({ length: T }, () => ({ a: rng.range(0.1, 5), p: rng.range(0, Math.PI) }));
  const points = (n: number) => {
    const x = new Float32Array(T * n);
    const y = new Float32Array(T * n);
    tasks.forEach(({ a, p }, t) => {
      for (let i = 0; i < n; i++) {
        const v = rng.range(-5, 5);
        x[t * n + i] = v;
        y[t * n + i] = a * Math.sin(v - p);
      }
    });
    return [tf.tensor3d(x, [T, n, 1]), tf.tensor3d(y, [T, n, 1])];
  };
  const [supportX, supportY] = points(shots);
  const [queryX, queryY] = points(queries);
  return {
    supportX,
    supportY,
    queryX,
    queryY,
    taskIds: Int32Array.from({ length: T }, (_, i) => i % 5),
  } as TaskBatch;
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
