import * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import { heUniform, uniformFill } from '../params/init.js';
import type { Rng } from '../random/rng.js';
import { type Activation, activate } from './activation.js';
import { dense, denseIsFused } from './fused-dense.js';

export type { Activation } from './activation.js';

/** Shapes of a dense stack sizes[0] → … → sizes[n]: weight [in, out] then bias [out] per layer. */
export function mlpShapes(sizes: readonly number[], prefix = ''): ParamShapes {
  const out: { name: string; shape: number[] }[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    out.push({ name: `${prefix}l${i}/w`, shape: [sizes[i], sizes[i + 1]] });
    out.push({ name: `${prefix}l${i}/b`, shape: [sizes[i + 1]] });
  }
  return out;
}

/** PyTorch-Linear-style initial values (He-uniform weights, ±1/sqrt(fanIn) biases). */
export function initMlp(shapes: ParamShapes, rng: Rng, lastGain = 1): Float32Array[] {
  return shapes.map((s, i) => {
    const last = i >= shapes.length - 2;
    if (s.shape.length === 2) return heUniform(s, rng, last ? lastGain / Math.sqrt(2) : 1);
    return uniformFill(s, rng, (last ? lastGain : 1) / Math.sqrt(shapes[i - 1].shape[0]));
  });
}

/**
 * Shared weights: x [N, in] (or [T, N, in], the weights broadcast over T) → [N, out].
 * Hidden layers use `act`; the last layer uses `lastAct` (linear by default).
 * Outside a gradient tape each layer is one fused kernel where the backend has one (see
 * fused-dense.ts); tf.fused.matMul would reshape to 3-D around its kernel and cost more dispatches.
 */
export function mlpApply(
  ws: readonly tf.Tensor[],
  x: tf.Tensor,
  act: Activation = 'relu',
  lastAct: Activation = 'linear',
): tf.Tensor {
  if (denseIsFused()) {
    // The fused kernel flattens leading dimensions itself: no reshapes either.
    let h = x;
    for (let i = 0; i < ws.length; i += 2)
      h = dense(h, ws[i], ws[i + 1], i + 2 < ws.length ? act : lastAct, true);
    return h;
  }
  const lead = x.shape.slice(0, -1);
  let h = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]]);
  for (let i = 0; i < ws.length; i += 2) {
    const a = i + 2 < ws.length ? act : lastAct;
    h = activate(tf.add(tf.matMul(h, ws[i]), ws[i + 1]), a);
  }
  return x.rank === 2 ? h : tf.reshape(h, [...lead, h.shape[1] as number]);
}

/**
 * Per-task weights: x [T, N, in] with weights [T, in, out] and biases [T, out] → [T, N, out].
 * One batched matMul per layer, so the op count does not grow with T.
 */
export function mlpApplyBatched(ws: readonly tf.Tensor[], x: tf.Tensor, act: Activation = 'relu'): tf.Tensor {
  let h = x;
  // One task's weights are shared weights: one fused kernel per layer when nothing records.
  if (x.shape[0] === 1 && ws[0].shape[0] === 1 && denseIsFused()) {
    for (let i = 0; i < ws.length; i += 2)
      h = dense(h, ws[i], ws[i + 1], i + 2 < ws.length ? act : 'linear', true);
    return h;
  }
  for (let i = 0; i < ws.length; i += 2) {
    const b = ws[i + 1];
    // A one-input layer is an outer product: one broadcast multiply (bitwise the same values)
    // instead of wasm's slow batched matMul for a [N,1]×[1,out] product, forward and backward.
    const xw = ws[i].shape[1] === 1 ? tf.mul(h, ws[i]) : tf.matMul(h, ws[i]);
    // One task: [1, out] already broadcasts over the N rows of [1, N, out] (a dispatch saved).
    h = tf.add(xw, b.shape[0] === 1 ? b : tf.expandDims(b, 1));
    if (i + 2 < ws.length) h = activate(h, act);
  }
  return h;
}
