import { describe, expect, it } from 'vitest';
import { sinusoidFamily, HypernetModel, taskStreams, tf, useBackend } from '@hypermeta/core';
import '@hypermeta/backend-wasm';
import { memoryBench } from './memory.js';
import { PerTaskLoop } from './per-task-loop.js';
import { defaultTrainConfig } from '@hypermeta/core';

describe('bench memory', () => {
  it('holds the number of live tensors constant over 1000 meta-steps', async () => {
    await useBackend('wasm');
    const start = tf.memory().numTensors;
    // Small layers: the same ops (so the same tensors) as the default model, in less time.
    const base = sinusoidFamily.defaultModelConfig('hypernet');
    const model = {
      ...base,
      taskNet: { sizes: [1, 8, 8, 1] },
      codeSize: 8,
      encoder: { pointHidden: [16], setHidden: [16] },
      generator: { ...base.generator, hidden: [16] },
    };
    const r = memoryBench({ steps: 1000, metaBatch: 2, seed: 1, model });
    expect(r.tensorGrowth).toBe(0);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(tf.memory().numTensors).toBe(start); // and frees everything when done
  });

  it('the per-task reference loop leaks nothing either', async () => {
    await useBackend('wasm');
    const start = tf.memory().numTensors;
    const model = new HypernetModel(sinusoidFamily.defaultModelConfig('hypernet'), 1);
    const loop = new PerTaskLoop(model, { ...defaultTrainConfig(), metaBatch: 3 });
    const s = taskStreams(1);
    loop.step(s.train, s.noise);
    const after1 = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) loop.step(s.train, s.noise);
    expect(tf.memory().numTensors).toBe(after1);
    loop.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
