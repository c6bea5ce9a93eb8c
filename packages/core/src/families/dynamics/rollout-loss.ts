import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../random/rng.js';
import { inputSize } from './dynamics-config.js';
import type { DynamicsModel } from './dynamics-model.js';
import type { DynamicsEnvInfo } from './physics.js';
import { stateSize } from './physics.js';
import { type ContextWindow, otherEpisode } from './sampling.js';

/** Open-loop training sequences of T variations, Q per variation: start states, actions and the true states after. */
export interface RolloutArrays {
  T: number;
  Q: number;
  H: number;
  /** T·Q·S raw start states. */
  start: Float32Array;
  /** H·T·Q·nu actions, step-major. */
  actions: Float32Array;
  /** H·T·Q·S raw true states after each step, step-major. */
  truth: Float32Array;
}

/**
 * Q sequences of H transitions per variation, from another episode than the context's (as the
 * one-step queries are): each starts at a random step with room for H after it.
 */
export function rolloutArrays(
  env: DynamicsEnvInfo,
  windows: readonly ContextWindow[],
  Q: number,
  H: number,
  rng: Rng,
): RolloutArrays {
  const S = stateSize(env);
  const nu = env.nu;
  const T = windows.length;
  const start = new Float32Array(T * Q * S);
  const actions = new Float32Array(H * T * Q * nu);
  const truth = new Float32Array(H * T * Q * S);
  windows.forEach((w, i) => {
    const e = otherEpisode(w, rng);
    const L = e.actions.length / nu;
    for (let q = 0; q < Q; q++) {
      const t0 = rng.int(L - H + 1);
      const row = i * Q + q;
      start.set(e.states.subarray(t0 * S, (t0 + 1) * S), row * S);
      for (let j = 0; j < H; j++) {
        const at = j * T * Q + row;
        actions.set(e.actions.subarray((t0 + j) * nu, (t0 + j + 1) * nu), at * nu);
        truth.set(e.states.subarray((t0 + j + 1) * S, (t0 + j + 2) * S), at * S);
      }
    }
  });
  return { T, Q, H, start, actions, truth };
}

/**
 * The network's input features as one product: [s, sin s, cos s, a] times a 0/1 matrix that picks
 * each feature's column, in `writeFeatures`' order (an angle as its sin and cos). A product has a
 * gradient on every backend, where a gather's needs a kernel some lack.
 */
export function featureSelection(env: DynamicsEnvInfo): Float32Array {
  const S = stateSize(env);
  const rows = 3 * S + env.nu;
  const cols = inputSize(env);
  const m = new Float32Array(rows * cols);
  let c = 0;
  for (let i = 0; i < S; i++) {
    if (env.angleIndices.includes(i)) {
      m[(S + i) * cols + c++] = 1;
      m[(2 * S + i) * cols + c++] = 1;
    } else m[i * cols + c++] = 1;
  }
  for (let j = 0; j < env.nu; j++) m[(3 * S + j) * cols + c++] = 1;
  return m;
}

/**
 * Mean normalised error of open-loop predictions 1…H steps ahead: the model's own predicted states
 * feed its next step, as in the horizon errors of evaluation and in a planner's rollouts. Each
 * step's error is measured in units of the one-step change's spread (`norm.outStd`), so H = 1 is
 * the one-step objective. Differentiable through the whole sequence; call it inside a tape.
 */
export function rolloutLoss(model: DynamicsModel, state: readonly tf.Tensor[], r: RolloutArrays): tf.Scalar {
  const env = model.config.env;
  const S = stateSize(env);
  const { T, Q, H } = r;
  const n = model.norm;
  const select = tf.tensor2d(featureSelection(env), [3 * S + env.nu, model.inSize]);
  const inMean = tf.tensor1d(n.inMean);
  const inStd = tf.tensor1d(n.inStd);
  const outMean = tf.tensor1d(n.outMean);
  const outStd = tf.tensor1d(n.outStd);
  const actions = tf.tensor4d(r.actions, [H, T, Q, env.nu]);
  const truth = tf.tensor4d(r.truth, [H, T, Q, S]);
  let s: tf.Tensor = tf.tensor3d(r.start, [T, Q, S]);
  let total: tf.Tensor = tf.scalar(0);
  for (let j = 0; j < H; j++) {
    const a = tf.squeeze(tf.slice(actions, [j, 0, 0, 0], [1, T, Q, env.nu]), [0]);
    const raw = tf.concat([s, tf.sin(s), tf.cos(s), a], 2);
    const x = tf.div(
      tf.sub(tf.reshape(tf.matMul(tf.reshape(raw, [T * Q, -1]), select), [T, Q, -1]), inMean),
      inStd,
    );
    const delta = model.method.predict(model.weights, state, x as tf.Tensor3D);
    s = tf.add(s, tf.add(tf.mul(delta, outStd), outMean));
    const target = tf.squeeze(tf.slice(truth, [j, 0, 0, 0], [1, T, Q, S]), [0]);
    total = tf.add(total, tf.mean(tf.square(tf.div(tf.sub(s, target), outStd))));
  }
  return tf.div(total, H) as tf.Scalar;
}
