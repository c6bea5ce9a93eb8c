import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.js';
import { setChunkColumnsForTests } from './conv2d-backprop-filter.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

// Relative tolerance: max |wasm - cpu| <= REL_TOL * max(1, max |cpu|).
const REL_TOL = 1e-4;

const CASES: Case[] = [
  { x: [1, 7, 7, 1], w: [3, 3, 1, 1], strides: 1, pad: 'same' },
  { x: [1, 7, 7, 1], w: [3, 3, 1, 1], strides: 2, pad: 'valid' },
  { x: [3, 28, 28, 8], w: [3, 3, 8, 16], strides: 1, pad: 'same' },
  { x: [2, 28, 28, 4], w: [3, 3, 4, 6], strides: 2, pad: 'same' },
  { x: [2, 7, 7, 3], w: [3, 3, 3, 5], strides: 2, pad: 'valid' },
  { x: [4, 9, 9, 16], w: [1, 1, 16, 8], strides: 1, pad: 'valid' },
  // Numeric pads only with square filters and strides: tfjs-core 4.22 sizes the
  // output width from the filter height / stride height there, and wasm's
  // forward Conv2D then writes past its output (a tfjs bug, not ours).
  { x: [2, 8, 10, 3], w: [3, 3, 3, 4], strides: 2, pad: 1 },
  { x: [2, 8, 10, 3], w: [3, 2, 3, 4], strides: [2, 1], pad: 'same' },
  { x: [2, 9, 8, 5], w: [5, 5, 5, 7], strides: 1, pad: 'valid' },
  { x: [1, 11, 11, 2], w: [3, 3, 2, 3], strides: 3, pad: 'same' }, // dx falls back
  {
    x: [2, 8, 9, 3],
    w: [3, 3, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  // Few taps × channels (≤ 16): the (dyᵀ·X)ᵀ path, with padding and strides.
  { x: [4, 28, 28, 1], w: [3, 3, 1, 8], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 2], w: [2, 3, 2, 3], strides: [1, 2], pad: 'same' },
  // Maps of 4 pixels or fewer: the element-by-element im2col fill (conv4's last layer).
  { x: [5, 3, 3, 4], w: [3, 3, 4, 5], strides: 1, pad: 'same' },
  { x: [3, 4, 4, 2], w: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [2, 2, 2, 3], w: [3, 3, 3, 2], strides: 1, pad: 'same' },
  // More than 4096 output pixels: with chunks of 4096 pixels (below) they start and end inside an image.
  { x: [7, 28, 28, 2], w: [3, 3, 2, 3], strides: 1, pad: 'same' },
  { x: [90, 7, 7, 2], w: [3, 3, 2, 2], strides: 1, pad: 'same' },
  { x: [3, 30, 30, 2], w: [5, 5, 2, 2], strides: 1, pad: 'same' },
];

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Gradients of sum(conv2d(x, w) * r) wrt x and w, as plain arrays. */
function grads(c: Case, xv: Float32Array, wv: Float32Array): [Float32Array, Float32Array] {
  const x = tf.tensor4d(xv, c.x);
  const w = tf.tensor4d(wv, c.w);
  const y = tf.conv2d(x, w, c.strides, c.pad);
  const r = tf.tensor(seeded(y.size, 7), y.shape);
  const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)),
  );
  const [gx, gw] = g([x, w]);
  const out: [Float32Array, Float32Array] = [gx.dataSync() as Float32Array, gw.dataSync() as Float32Array];
  tf.dispose([x, w, y, r, gx, gw]);
  return out;
}

function relErr(a: Float32Array, ref: Float32Array): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

function dataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

describe('wasm conv2d backward kernels', () => {
  let originalDx: tf.KernelConfig | undefined;
  beforeAll(async () => {
    tf.env().set('PROD', true);
    originalDx = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmKernels(); // before setBackend on purpose
    await tf.setBackend('wasm');
    registerWasmKernels(); // and again: idempotent
  });

  // The filter gradient as it runs by default (few-taps filters as (dyᵀ·X)ᵀ, others in chunks
  // of 4096 output pixels), and forced through the chunked path: one product over every
  // pixel, or chunks of one output row (50 pixels or fewer).
  const CHUNKINGS = [undefined, 1_000_000, 50];
  it.each(CHUNKINGS.flatMap((chunk) => CASES.map((c) => ({ ...c, chunk }))))(
    'matches cpu: x=$x w=$w s=$strides pad=$pad, chunk columns $chunk',
    async (c) => {
      setChunkColumnsForTests(c.chunk);
      const xv = seeded(
        c.x.reduce((a, b) => a * b),
        1,
      );
      const wv = seeded(
        c.w.reduce((a, b) => a * b),
        2,
      );
      await tf.setBackend('cpu');
      const [cx, cw] = grads(c, xv, wv);
      await tf.setBackend('wasm');
      const [gx, gw] = grads(c, xv, wv);
      expect(relErr(gx, cx)).toBeLessThan(REL_TOL);
      expect(relErr(gw, cw)).toBeLessThan(REL_TOL);
      setChunkColumnsForTests(undefined);
    },
  );

  it('NCHW filter gradient matches cpu (kernel called directly)', async () => {
    const xs: [number, number, number, number] = [2, 3, 9, 8];
    const dys: [number, number, number, number] = [2, 4, 5, 4];
    const run = () => {
      const x = tf.tensor4d(seeded(2 * 3 * 9 * 8, 3), xs);
      const dy = tf.tensor4d(seeded(2 * 4 * 5 * 4, 4), dys);
      const dw = tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 2, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
        ) as tf.Tensor;
      const v = dw.dataSync() as Float32Array;
      tf.dispose([x, dy, dw]);
      return v;
    };
    await tf.setBackend('cpu');
    const ref = run();
    await tf.setBackend('wasm');
    expect(relErr(run(), ref)).toBeLessThan(REL_TOL);
  });

  it('leaks no tensors or wasm buffers', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(seeded(2 * 28 * 28 * 4, 5), [2, 28, 28, 4]);
    const w = tf.tensor4d(seeded(3 * 3 * 4 * 6, 6), [3, 3, 4, 6]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
    tf.dispose(tf.grads(f)([x, w])); // warm up
    for (const s of [1, 2]) {
      const g = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, 'same'));
      const before = tf.memory();
      const ids = dataIds();
      const [gx, gw] = tf.grads(g)([x, w]);
      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors + 2);
      expect(after.numBytes).toBe(before.numBytes + 4 * (gx.size + gw.size));
      expect(dataIds()).toBe(ids + 2);
      tf.dispose([gx, gw]);
      expect(dataIds()).toBe(ids);
    }
    tf.dispose([x, w]);
  });

  it('times [120,28,28,64] x [3,3,64,64] (printed, not asserted)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(seeded(120 * 28 * 28 * 64, 8), [120, 28, 28, 64]);
    const w = tf.tensor4d(seeded(3 * 3 * 64 * 64, 9), [3, 3, 64, 64]);
    const dy = tf.conv2d(x, w, 1, 'same');
    const time = (f: () => tf.Tensor): number => {
      const t0 = performance.now();
      const r = f();
      r.dataSync();
      const ms = performance.now() - t0;
      r.dispose();
      return ms;
    };
    const dW = () =>
      tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w.shape },
        ) as tf.Tensor;
    const dx = () => tf.conv2dTranspose(dy, w, x.shape, 1, 'same');
    const fwd = () => tf.conv2d(x, w, 1, 'same');
    const best = (f: () => tf.Tensor) => Math.min(time(f), time(f));
    const lines = [
      `forward conv2d: ${best(fwd).toFixed(0)} ms`,
      `dW new: ${best(dW).toFixed(0)} ms (old: no wasm kernel)`,
      `dx new: ${best(dx).toFixed(0)} ms`,
    ];
    if (originalDx && !(Symbol.for('@hypermeta/backend-wasm:conv2DBackpropInput') in originalDx.kernelFunc)) {
      const backend = tf.backend() as unknown as { disposeData(id: object): void };
      const t0 = performance.now();
      const info = originalDx.kernelFunc({
        inputs: { dy, filter: w },
        backend: tf.backend(),
        attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape },
      }) as tf.TensorInfo;
      tf.backend().readSync(info.dataId);
      lines.push(`dx old (built-in kernel): ${(performance.now() - t0).toFixed(0)} ms`);
      backend.disposeData(info.dataId);
    }
    console.log(`[120,28,28,64]x[3,3,64,64] on wasm:\n  ${lines.join('\n  ')}`);
    tf.dispose([x, w, dy]);
  });
});
