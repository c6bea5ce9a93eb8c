import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';
import { disableHeapModulesForTests } from './heap-module.js';

// Inputs after ReLU (many ties at zero) and after rounding (ties between positives): the
// gradient must go to the same cell of each window as on cpu, and odd sizes leave a zero edge.
function gradOn(backend: string, shape: [number, number, number, number], seed: number): Float32Array {
  // Both backends are initialised by now: switching between them takes effect at once.
  void tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.relu(tf.round(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), 2)));
    const dy = tf.randomNormal(
      [shape[0], Math.floor(shape[1] / 2), Math.floor(shape[2] / 2), shape[3]],
      0,
      1,
      'float32',
      seed + 1,
    );
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), dy)))(x);
    return g.dataSync() as Float32Array;
  });
}

describe('wasm MaxPoolGrad (2×2, stride 2)', () => {
  beforeAll(async () => {
    registerWasmKernels();
    await tf.setBackend('wasm');
  });

  for (const shape of [
    [2, 28, 28, 8],
    [3, 7, 7, 5],
    [1, 6, 9, 3],
    [2, 3, 3, 64],
  ] as [number, number, number, number][]) {
    it(`matches cpu for ${shape.join('×')}`, async () => {
      await tf.ready();
      const cpu = gradOn('cpu', shape, 11);
      const wasm = gradOn('wasm', shape, 11);
      expect(wasm.length).toBe(cpu.length);
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  }

  it('runs the SIMD pass bit for bit like the scalar loop: ties, NaN, −0 gradients, odd edges', () => {
    void tf.setBackend('wasm');
    const shape: [number, number, number, number] = [2, 9, 7, 12];
    const n = shape.reduce((a, d) => a * d, 1);
    // few distinct values (ties everywhere), some NaN; gradients include −0 and +0
    const x = Float32Array.from({ length: n }, (_, i) => (i % 37 === 0 ? NaN : ((i * 7919) % 5) - 2));
    const dyShape = [2, 4, 3, 12];
    const dy = Float32Array.from({ length: dyShape.reduce((a, d) => a * d, 1) }, (_, i) =>
      i % 5 === 0 ? -0 : i % 7 === 0 ? 0 : Math.sin(i),
    );
    const grad = (simd: boolean) => {
      disableHeapModulesForTests(!simd);
      try {
        return tf.tidy(() => {
          const g = tf
            .engine()
            .runKernel(
              'MaxPoolGrad',
              { dy: tf.tensor(dy, dyShape), input: tf.tensor(x, shape) },
              { filterSize: 2, strides: 2, pad: 'valid' },
            ) as tf.Tensor;
          return Array.from(new Uint32Array(Float32Array.from(g.dataSync()).buffer));
        });
      } finally {
        disableHeapModulesForTests(false);
      }
    };
    const simd = grad(true);
    expect(simd).toEqual(grad(false));
    expect(simd.filter((b) => b !== 0).length).toBeGreaterThan(100); // gradients were routed, not all zero
  });

  it('leaves no tensor behind', () => {
    void tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    gradOn('wasm', [2, 5, 5, 4], 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});
