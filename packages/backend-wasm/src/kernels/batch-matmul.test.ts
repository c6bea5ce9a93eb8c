import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { disableHeapModulesForTests } from './heap-module.js';
import { registerWasmKernels } from './index.js';
import { smallBatchGemm } from './small-batch-gemm.js';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

async function product(
  backend: string,
  as: number[],
  bs: number[],
  tA: boolean,
  tB: boolean,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const y = tf.matMul(
      tf.tensor(values(size(as), 1), as) as tf.Tensor3D,
      tf.tensor(values(size(bs), 2), bs) as tf.Tensor3D,
      tA,
      tB,
    );
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
      for (let i = 0; i < cpu.values.length; i++)
        err = Math.max(err, Math.abs(wasm.values[i] - cpu.values[i]));
      expect(err).toBeLessThan(1e-4);
    });
  }

  // batch-gemm.wat takes the small batched products; it must give the bits of the path it
  // replaces (per-matrix XNNPACK products, or tfjs's loop for K ≤ 48), at both sides of every
  // threshold, and leave the rest (M % 4 ≠ 0, tfjs's loop with K > 48, large matrices) alone.
  const routed: [number[], number[], boolean, boolean][] = [
    [[16, 20, 40], [16, 40, 40], false, false],
    [[16, 20, 40], [16, 40, 40], false, true],
    [[16, 20, 40], [16, 20, 40], true, false],
    [[64, 20, 40], [64, 40, 40], false, false],
    [[16, 7, 40], [16, 40, 40], false, false],
    [[16, 20, 97], [16, 97, 16], false, false],
    [[16, 20, 33], [16, 33, 8], false, false],
    [[8, 3, 49], [8, 49, 12], false, false],
    [[2, 5, 3], [2, 4, 5], true, true],
    [[16, 64, 20], [16, 20, 64], false, false],
    [[16, 64, 20], [16, 20, 63], false, false],
    [[16, 100, 4], [16, 100, 8], true, false],
    [[16, 10, 200], [16, 200, 8], false, false],
    [[16, 20, 40], [16, 40, 1], false, false],
    [[3, 25, 40], [3, 25, 44], true, false],
  ];
  for (const [as, bs, tA, tB] of routed) {
    it(`gives the stock path's bits: [${as}] · [${bs}]${tA ? ', transposeA' : ''}${tB ? ', transposeB' : ''}`, async () => {
      const bits = async (stock: boolean) => {
        disableHeapModulesForTests(stock);
        try {
          const scale = (v: Float32Array) => Array.from(new Uint32Array(Float32Array.from(v).buffer));
          return scale((await product('wasm', as, bs, tA, tB)).values);
        } finally {
          disableHeapModulesForTests(false);
        }
      };
      expect(await bits(false)).toEqual(await bits(true));
    });
  }

  it('routes to batch-gemm.wat exactly the products whose stock path sums in k order', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as never;
    const takes = (as: number[], bs: number[], tA = false, tB = false) =>
      tf.tidy(() => {
        const [a, b] = [tf.zeros(as), tf.zeros(bs)];
        const out = smallBatchGemm(
          a,
          b,
          { transposeA: tA, transposeB: tB },
          backend,
          () => tf.transpose(b, [0, 2, 1]) as never,
        );
        if (out) (backend as { disposeData(id: object): void }).disposeData(out.dataId);
        return out !== undefined;
      });
    expect(takes([16, 20, 40], [16, 40, 40])).toBe(true); // XNNPACK per matrix before
    expect(takes([16, 20, 40], [16, 20, 40], true)).toBe(true);
    expect(takes([16, 20, 33], [16, 33, 8])).toBe(true); // tfjs's loop, one k block
    expect(takes([16, 10, 200], [16, 200, 8])).toBe(false); // tfjs's loop, k in blocks
    expect(takes([16, 64, 20], [16, 20, 64])).toBe(false); // 81,920 multiply-adds a matrix
    expect(takes([16, 20, 40], [16, 40, 1])).toBe(false); // M not a multiple of 4
    expect(takes([1, 20, 40], [1, 40, 40])).toBe(false); // one matrix: XNNPACK's own path
    disableHeapModulesForTests(true);
    expect(takes([16, 20, 40], [16, 40, 40])).toBe(false);
    disableHeapModulesForTests(false);
  });

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
