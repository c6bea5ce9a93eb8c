import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_DENSE } from './fused-dense.js';
import { registerWasmKernels } from './index.js';

const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + seed) * 1.5);
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

interface Result {
  shape: number[];
  values: number[];
}

/** y from the fused kernel on wasm and from matMul + add (+ relu) on cpu, same inputs. */
async function both(
  xs: number[],
  ws: number[],
  bs: number[],
  activation: 'relu' | 'linear',
): Promise<{ fused: Result; plain: Result }> {
  const inSize = xs[xs.length - 1];
  const out = ws[ws.length - 1];
  const [x, w, b] = [values(size(xs), 1), values(size(ws), 2), values(size(bs), 3)];
  const read = (y: tf.Tensor): Result => ({ shape: y.shape, values: Array.from(y.dataSync()) });
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const fused = tf.tidy(() =>
    read(
      tf
        .engine()
        .runKernel(
          FUSED_DENSE,
          { x: tf.tensor(x, xs), w: tf.tensor(w, ws), b: tf.tensor(b, bs) },
          { activation },
        ) as tf.Tensor,
    ),
  );
  expect(tf.memory().numTensors).toBe(before);
  await tf.setBackend('cpu');
  const plain = tf.tidy(() => {
    const y = tf.add(
      tf.matMul(tf.tensor2d(x, [size(xs) / inSize, inSize]), tf.tensor2d(w, [inSize, out])),
      tf.tensor1d(b),
    );
    return read(tf.reshape(activation === 'relu' ? tf.relu(y) : y, [...xs.slice(0, -1), out]));
  });
  return { fused, plain };
}

describe('wasm FusedDense (one kernel for act(x·w + b))', () => {
  beforeAll(() => registerWasmKernels());

  const cases: [number[], number[], number[]][] = [
    [[5, 2], [2, 128], [128]], // a set encoder's first layer
    [[1, 5, 2], [2, 64], [64]], // [T, K, in] with shared weights: no reshape needed
    [[3, 4, 7], [7, 5], [5]],
    [
      [1, 10, 1],
      [1, 1, 40],
      [1, 40],
    ], // one task's outer-product layer, generated weights
    [
      [1, 10, 40],
      [1, 40, 40],
      [1, 40],
    ],
    [[200, 64], [64, 1761], [1761]], // a generator head over 200 tasks
  ];
  for (const [xs, ws, bs] of cases) {
    for (const act of ['relu', 'linear'] as const) {
      it(`matches cpu matMul + add${act === 'relu' ? ' + relu' : ''}: x [${xs}], w [${ws}], b [${bs}]`, async () => {
        const { fused, plain } = await both(xs, ws, bs, act);
        expect(fused.shape).toEqual(plain.shape);
        expect(fused.values.length).toBe(plain.values.length);
        const diff = fused.values.map((v, i) => Math.abs(v - plain.values[i]));
        expect(diff.reduce((a, d) => Math.max(a, d), 0)).toBeLessThan(1e-4);
        // The inputs make both signs, so relu really clamps something.
        expect(plain.values.some((v) => v < 0)).toBe(act === 'linear');
      });
    }
  }

  it('rejects operands whose sizes disagree, before touching the heap', async () => {
    await tf.setBackend('wasm');
    const run = (xs: number[], ws: number[], bs: number[], activation = 'relu') =>
      tf.tidy(() =>
        tf
          .engine()
          .runKernel(FUSED_DENSE, { x: tf.zeros(xs), w: tf.zeros(ws), b: tf.zeros(bs) }, { activation }),
      );
    expect(() => run([4, 3], [5, 2], [2])).toThrow(/FusedDense w has shape/);
    expect(() => run([4, 3], [3, 2], [3])).toThrow(/FusedDense b has shape/);
    expect(() => run([4, 3], [2, 3, 2], [2])).toThrow(/FusedDense w has shape/);
    expect(() => run([4, 3], [3, 2], [2], 'elu')).toThrow(/unsupported activation/);
  });
});
