import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';

async function concatOn(
  backend: string,
  shapes: number[][],
  axis: number,
  dtype: 'float32' | 'int32',
): Promise<number[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = shapes.map((s, j) =>
      tf.tensor(
        Array.from(
          { length: s.reduce((a, d) => a * d, 1) },
          (_, i) => i * 3 + j * 1000 + (dtype === 'float32' ? 0.25 : 0),
        ),
        s,
        dtype,
      ),
    );
    const y = tf.concat(xs, axis);
    return [...y.shape, ...y.dataSync()];
  });
}

const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('wasm Concat (narrow parts interleaved by a loop)', () => {
  beforeAll(() => registerWasmKernels());

  const cases: [number[][], number][] = [
    [
      [
        [1000, 5, 1],
        [1000, 5, 1],
      ],
      2,
    ], // a set encoder's (x, y) pairs
    [
      [
        [3, 4, 2],
        [3, 4, 3],
        [3, 4, 1],
      ],
      -1,
    ],
    [
      [
        [2, 3],
        [2, 5],
      ],
      1,
    ],
    [
      [
        [2, 3, 4],
        [2, 1, 4],
      ],
      1,
    ],
    [
      [
        [2, 3],
        [4, 3],
      ],
      0,
    ],
    [
      [
        [2, 0],
        [2, 3],
      ],
      1,
    ], // an empty part is skipped
    [
      [
        [5, 20],
        [5, 2],
      ],
      1,
    ], // a wide part: tfjs's own row copies
  ];
  for (const [shapes, axis] of cases) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`matches cpu: ${JSON.stringify(shapes)} on axis ${axis}, ${dtype}`, async () => {
        await tf.setBackend('wasm');
        const ids = dataIds();
        const wasm = await concatOn('wasm', shapes, axis, dtype);
        expect(dataIds()).toBe(ids);
        expect(wasm).toEqual(await concatOn('cpu', shapes, axis, dtype));
      });
    }
  }

  it('still differentiates: the gradient of concat splits dy back', async () => {
    await tf.setBackend('wasm');
    const g = tf.tidy(() =>
      tf
        .grad((x: tf.Tensor) =>
          tf.sum(
            tf.mul(
              tf.concat([x, tf.ones([4, 1])], 1),
              tf.tensor2d([
                [1, 2],
                [3, 4],
                [5, 6],
                [7, 8],
              ]),
            ),
          ),
        )(tf.zeros([4, 1]))
        .dataSync(),
    );
    expect(Array.from(g)).toEqual([1, 3, 5, 7]);
  });
});
