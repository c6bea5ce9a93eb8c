import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmKernels } from './index.js';

async function sliceOn(
  backend: string,
  shape: number[],
  begin: number[],
  size: number[],
  dtype: 'float32' | 'int32',
): Promise<number[]> {
  await tf.setBackend(backend);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const x = tf.tensor(
      Array.from({ length: n }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : i * 0.5 - 1.25)),
      shape,
      dtype,
    );
    const y = tf.slice(x, begin, size);
    return [...y.shape, ...Array.from(y.dataSync())];
  });
}

describe('wasm Slice (heap copy)', () => {
  beforeAll(() => registerWasmKernels());

  const cases: [number[], number[], number[]][] = [
    [
      [12, 6, 6, 8],
      [0, 0, 0, 0],
      [5, 6, 6, 8],
    ], // support rows of a batch: one copy
    [
      [12, 6, 6, 8],
      [5, 0, 0, 0],
      [-1, -1, -1, -1],
    ], // the query rows
    [
      [4, 5, 6, 8],
      [1, 2, 1, 0],
      [2, 2, 4, 8],
    ], // runs of whole channel vectors
    [
      [4, 5, 6, 8],
      [1, 2, 1, 3],
      [2, 2, 4, 2],
    ], // short runs (element loop)
    [
      [4, 5, 6, 16],
      [0, 1, 0, 4],
      [4, 3, 6, 9],
    ], // long runs (copyWithin)
    [
      [10, 7],
      [3, 2],
      [4, 5],
    ],
    [[9], [2], [5]],
    [
      [2, 3, 4, 5, 6],
      [1, 0, 2, 1, 3],
      [1, 3, 2, 3, 3],
    ],
    [
      [3, 4],
      [1, 0],
      [0, 4],
    ], // empty
  ];
  for (const [shape, begin, size] of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`matches cpu: [${shape}] from [${begin}] size [${size}], ${dtype}`, async () => {
        const before = (await tf.setBackend('wasm'), tf.memory().numTensors);
        const wasm = await sliceOn('wasm', shape, begin, size, dtype);
        expect(tf.memory().numTensors).toBe(before);
        expect(wasm).toEqual(await sliceOn('cpu', shape, begin, size, dtype));
      });
    }
  }

  it('never copies the whole input out of the heap', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { readSync(id: object): unknown };
    const spy = vi.spyOn(backend, 'readSync');
    tf.tidy(() => [
      tf.slice(tf.ones([8, 4, 4, 8]), [0, 0, 0, 0], [3, 4, 4, 8]),
      tf.slice(tf.ones([8, 4, 4, 8]), [1, 1, 1, 1], [3, 2, 2, 5]),
    ]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
