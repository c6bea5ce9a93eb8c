import * as tf from '@tensorflow/tfjs-core';
import type { BatchedDynamics } from '../../control/planner.js';
import { inputSize } from './dynamics-config.js';
import { type ContextArrays, disposeContext, type DynamicsModel } from './dynamics-model.js';
import { writeFeatures } from './features.js';
import { type SteppableSimulator, stateSize, type Variation } from './physics.js';
import { variationFeatures, variationFeatureSize } from './variations.js';

/**
 * A dynamics model adapted to one variation, as the planner's batched model: every candidate's
 * features ((sin, cos) of each angle, the action), normalisation, the adapted network and the
 * de-normalised Δs are one chain of tensor operations per horizon step.
 */
export class LearnedDynamics implements BatchedDynamics {
  private readonly index: tf.Tensor1D;
  private readonly norm: tf.Tensor1D[];

  /** Takes ownership of `adapted` (one variation's adapted state, from `DynamicsModel.adapt`). */
  constructor(
    readonly model: DynamicsModel,
    /** The adapted state the network predicts with (generated weights, a code, adapted weights…). */
    readonly adapted: tf.Tensor[],
  ) {
    const env = model.config.env;
    const S = stateSize(env);
    // Columns of [s, sin s, cos s, a] in the feature order of `writeFeatures`.
    const cols: number[] = [];
    for (let i = 0; i < S; i++) cols.push(...(env.angleIndices.includes(i) ? [S + i, 2 * S + i] : [i]));
    for (let j = 0; j < env.nu; j++) cols.push(3 * S + j);
    this.index = tf.tensor1d(cols, 'int32');
    const n = model.norm;
    this.norm = [n.inMean, n.inStd, n.outMean, n.outStd].map((v) => tf.tensor1d(v));
  }

  step(s: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    const [inMean, inStd, outMean, outStd] = this.norm;
    return tf.tidy(() => {
      const x = tf.gather(tf.concat([s, tf.sin(s), tf.cos(s), a], 1), this.index, 1);
      const xn = tf.div(tf.sub(x, inMean), inStd);
      const yn = this.model.method.predict(
        this.model.weights,
        this.adapted,
        tf.expandDims(xn, 0) as tf.Tensor3D,
      );
      return tf.add(s, tf.add(tf.mul(tf.squeeze(yn, [0]), outStd), outMean)) as tf.Tensor2D;
    });
  }

  dispose(): void {
    tf.dispose([this.index, ...this.norm, ...this.adapted]);
  }
}

/** The recent transitions of a running episode: L + 1 states, L actions, row-major. */
export interface RecentTransitions {
  states: ArrayLike<number>;
  actions: ArrayLike<number>;
  /** Transitions recorded so far. */
  length: number;
}

/**
 * Adapts `model` online from the last (at most) `K` transitions of an episode; the oracle is told
 * `variation` (the truth, changes included). The caller disposes the result.
 */
export function adaptToRecent(
  model: DynamicsModel,
  recent: RecentTransitions,
  K: number,
  variation: Variation,
  range: number,
): LearnedDynamics {
  const env = model.config.env;
  const S = stateSize(env);
  const inN = inputSize(env);
  const k = Math.min(K, recent.length);
  const from = recent.length - k;
  const x = new Float32Array(k * inN);
  const y = new Float32Array(k * S);
  for (let i = 0; i < k; i++) {
    const t = from + i;
    writeFeatures(env, recent.states, t * S, recent.actions, t * env.nu, x, i * inN);
    for (let j = 0; j < S; j++) y[i * S + j] = recent.states[(t + 1) * S + j] - recent.states[t * S + j];
  }
  const c: ContextArrays = {
    T: 1,
    K: k,
    x,
    y,
    factors: variationFeatures(variation, range, env.nu),
    factorSize: variationFeatureSize(env),
  };
  const ctx = model.contextTensors(c);
  try {
    return new LearnedDynamics(model, model.adapt(ctx));
  } finally {
    disposeContext(ctx);
  }
}

/**
 * The true simulator as the planner's model (the ceiling of model-based control): each candidate
 * is put in its state and stepped, one after another. A step MuJoCo cannot trust gives NaN, which
 * the planner ranks last. The caller sets the variation (`setVariation`).
 */
export class SimulatorDynamics implements BatchedDynamics {
  /** Simulated steps, and the milliseconds they took (for reporting the ceiling's cost). */
  steps = 0;
  ms = 0;

  constructor(readonly sim: SteppableSimulator) {}

  step(s: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    const [N, S] = s.shape;
    const A = a.shape[1];
    const states = s.dataSync();
    const actions = a.dataSync();
    const out = new Float32Array(N * S);
    const t0 = performance.now();
    for (let n = 0; n < N; n++) {
      this.sim.setState(states.subarray(n * S, (n + 1) * S));
      const r = this.sim.step(actions.subarray(n * A, (n + 1) * A));
      if (r.ok) out.set(r.state, n * S);
      else out.fill(NaN, n * S, (n + 1) * S);
    }
    this.ms += performance.now() - t0;
    this.steps += N;
    return tf.tensor2d(out, [N, S]);
  }
}
