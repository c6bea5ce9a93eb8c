import {
  defaultModelConfig,
  HypernetModel,
  Rng,
  sampleSinusoidTask,
  sinusoidBatch,
  disposeBatch,
  tf,
  useBackend,
} from '@hypermeta/core';
import { beforeAll, describe, expect, it } from 'vitest';
import './index.js';

// One task's adaptation is bound by kernel dispatches (≈ 3–5 µs each), not FLOPs, so the count
// is the figure to hold. It is deterministic, unlike the time (docs/PERFORMANCE.md).
describe('one-task adaptation on wasm', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  async function kernelsOfPredict(taped: boolean): Promise<string[]> {
    const model = new HypernetModel(defaultModelConfig('test'), 1);
    const batch = sinusoidBatch([sampleSinusoidTask(Rng.fromSeed(1))], 5, 10, Rng.fromSeed(2));
    try {
      const run = () => model.predict(batch, Rng.fromSeed(3));
      const info = await tf.profile(() => {
        if (!taped) return run();
        return tf.grad((s: tf.Tensor) => tf.add(tf.sum(s), tf.mul(tf.sum(run()), 0)))(tf.scalar(1));
      });
      tf.dispose(info.result as tf.Tensor);
      return info.kernels.map((k) => k.name);
    } finally {
      disposeBatch(batch);
      model.dispose();
    }
  }

  it('dispatches 15 kernels, one fused product per dense layer (31 with plain ops)', async () => {
    const names = await kernelsOfPredict(false);
    expect(names.filter((n) => n === 'HypermetaFusedDense')).toHaveLength(9);
    expect(names).toHaveLength(15);
  });

  it('keeps plain differentiable ops while a gradient tape records', async () => {
    const names = await kernelsOfPredict(true);
    expect(names).not.toContain('HypermetaFusedDense');
    expect(names.filter((n) => n === 'BatchMatMul').length).toBeGreaterThanOrEqual(6);
  });
});
