import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

async function product(backend: string, as: number[], bs: number[], tA: boolean, tB: boolean): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = tf.matMul(tf.tensor(values(size(as), 1), as) as tf.Tensor3D, tf.tensor(values(size(bs), 2), bs) as tf.Tensor3D, tA, tB);
    return { shape: y.shape, values: y.dataSync() as Float32Array };
  });
}

const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('wasm BatchMatMul', () => {
  beforeAll(() => registerWasmKernels());

  // [T, N, K] · [T, K, M] as a task network's layers and their gradients use them; the first
  // three take one XNNPACK product per matrix, the last ones tfjs's own loop (too small to pay).
  const cases: [number[], number[], boolean, boolean][] = [
    [[16, 20, 40], [16, 40, 40], false, false], // forward
    [[16, 20, 40], [16, 40, 40], false, true], // input gradient dy · Wᵀ
    [[16, 20, 40], [16, 20, 40], true, false], // weight gradient xᵀ · dy
    [[2, 33, 29], [2, 29, 31], false, false],
    [[3, 25, 40], [3, 25, 41], true, false],
    [[16, 20, 40], [16, 40, 1], false, false],
    [[4, 5, 6], [4, 7, 6], false, true],
  ];
  for (const [as, bs, tA, tB] of cases) {
    it(`matches cpu: [${as}] · [${bs}]${tA ? ', transposeA' : ''}${tB ? ', transposeB' : ''}`, async () => {
      const cpu = await product('cpu', as, bs, tA, tB);
      await tf.setBackend('wasm');
      const ids = dataIds();
      const wasm = await product('wasm', as, bs, tA, tB);
      expect(dataIds()).toBe(ids);
      expect(wasm.shape).toEqual(cpu.shape);
      let err = 0;
      for (let i = 0; i < cpu.values.length; i++) err = Math.max(err, Math.abs(wasm.values[i] - cpu.values[i]));
      expect(err).toBeLessThan(1e-4);
    });
  }

  it('gives each matrix its own product (matrices differ only in their batch index)', async () => {
    await tf.setBackend('wasm');
    const T = 5;
    const got = tf.tidy(() => {
      const a = tf.mul(tf.ones([T, 20, 40]), tf.reshape(tf.range(1, T + 1), [T, 1, 1]));
      const b = tf.ones([T, 40, 40]);
      return tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D).dataSync();
    });
    for (let t = 0; t < T; t++) expect(got[t * 800]).toBe(40 * (t + 1));
  });
});
