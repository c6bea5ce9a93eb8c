import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';

async function splitOn(
  backend: string,
  shape: number[],
  sizes: number[] | number,
  axis: number,
  dtype: 'float32' | 'int32',
): Promise<number[][]> {
  await tf.setBackend(backend);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Array.from({ length: n }, (_, i) => (dtype === 'int32' ? i * 7 - 3 : i * 0.5 - 1.25)),
    shape,
    dtype,
  );
  const parts = tf.split(x, sizes, axis);
  const out = parts.map((p) => [...p.shape, ...Array.from(p.dataSync())]);
  tf.dispose([x, ...parts]);
  return out;
}

describe('wasm SplitV (heap copy)', () => {
  beforeAll(() => registerWasmKernels());

  const cases: [number[], number[] | number, number][] = [
    [[1000, 1761], [40, 40, 1600, 40, 40, 1], 1],
    [[6, 10], [2, 4], 0],
    [[3, 5, 4], [1, 3, 1], 1],
    [[3, 5, 4], 2, 2],
    [[2, 3, 4], [1, 1], -3],
  ];
  for (const [shape, sizes, axis] of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`matches cpu: [${shape}] split ${JSON.stringify(sizes)} on axis ${axis}, ${dtype}`, async () => {
        const before = (await tf.setBackend('wasm'), tf.memory().numTensors);
        const wasm = await splitOn('wasm', shape, sizes, axis, dtype);
        expect(tf.memory().numTensors).toBe(before);
        expect(wasm).toEqual(await splitOn('cpu', shape, sizes, axis, dtype));
      });
    }
  }
});
