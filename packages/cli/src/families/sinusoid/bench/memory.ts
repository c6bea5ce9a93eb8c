import { sinusoidFamily, defaultTrainConfig, HypernetModel, type ModelConfig, tf } from '@hypermeta/core';
import { newSinusoidTrainer } from './throughput.js';

export interface MemoryResult {
  steps: number;
  metaBatch: number;
  tensorsBefore: number;
  tensorsAfter: number;
  tensorGrowth: number;
  bytesBefore: number;
  bytesAfter: number;
  rssMbBefore: number;
  rssMbAfter: number;
}

const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/**
 * Live tensors and process RSS before and after `steps` meta-steps. "Before" is taken after the
 * first step, so the optimizer's moments and the backend's one-time buffers already exist.
 */
export function memoryBench(o: {
  steps: number;
  metaBatch: number;
  seed: number;
  model?: ModelConfig;
}): MemoryResult {
  const model = new HypernetModel(o.model ?? sinusoidFamily.defaultModelConfig('hypernet'), o.seed);
  const trainer = newSinusoidTrainer(model, {
    ...defaultTrainConfig(),
    metaBatch: o.metaBatch,
    steps: Math.max(o.steps + 1, 2),
    seed: o.seed,
  });
  try {
    trainer.runStep();
    const before = tf.memory();
    const rssBefore = rssMb();
    for (let i = 0; i < o.steps; i++) trainer.runStep();
    const after = tf.memory();
    return {
      steps: o.steps,
      metaBatch: o.metaBatch,
      tensorsBefore: before.numTensors,
      tensorsAfter: after.numTensors,
      tensorGrowth: after.numTensors - before.numTensors,
      bytesBefore: before.numBytes,
      bytesAfter: after.numBytes,
      rssMbBefore: rssBefore,
      rssMbAfter: rssMb(),
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
