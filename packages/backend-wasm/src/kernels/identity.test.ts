import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';

const dataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('wasm Identity (shares the buffer)', () => {
  beforeAll(async () => {
    registerWasmKernels();
    await tf.setBackend('wasm');
  });

  it('a clone allocates no buffer, and outlives its source', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const ids = dataIds();
    const y = tf.clone(x);
    expect(dataIds()).toBe(ids);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(dataIds()).toBe(ids - 1);
  });

  it('tensors saved for the backward pass survive the forward scope, and nothing leaks', () => {
    const before = tf.memory().numTensors;
    const ids = dataIds();
    const x = tf.tensor2d([
      [1, -2],
      [3, -4],
    ]);
    const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), a)))(x);
    expect(Array.from(g.dataSync())).toEqual([2, 0, 6, 0]);
    tf.dispose([x, g]);
    expect(tf.memory().numTensors).toBe(before);
    expect(dataIds()).toBe(ids);
  });
});
