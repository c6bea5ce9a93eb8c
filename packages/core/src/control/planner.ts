import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';
import { checkInt, checkPositive } from '../validate/checks.js';

/**
 * A model the planner rolls candidates through: next states [N, S] from states [N, S] and actions
 * [N, A], all N candidates in one call (one tensor pass for a network). The planner disposes
 * what it returns.
 */
export interface BatchedDynamics {
  step(states: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D;
}

/** Reward of each candidate for the state an action led to: [N] from next states [N, S] and actions [N, A]. */
export type BatchedReward = (next: tf.Tensor2D, action: tf.Tensor2D) => tf.Tensor1D;

export interface CemOptions {
  /** Planned steps ahead. */
  horizon: number;
  /** Action sequences scored per iteration. */
  candidates: number;
  /** Refinements of the sampling distribution per plan. */
  iterations: number;
  /** Best sequences the distribution is refitted to. */
  elites: number;
  /** Per action dimension: [lo0, hi0, lo1, hi1, …]. */
  actionRange: readonly number[];
  /** Starting standard deviation as a fraction of each action's range. */
  initialStd: number;
}

export function defaultCemOptions(actionRange: readonly number[]): CemOptions {
  return { horizon: 30, candidates: 200, iterations: 4, elites: 20, actionRange, initialStd: 0.5 };
}

/**
 * The defaults with a plan's own size: each setting given replaces the default, and unless given,
 * `elites` is a tenth of the candidates (at least 1, at most the default 20), so a smaller plan
 * refits to proportionally fewer sequences.
 */
export function cemOptionsFor(
  actionRange: readonly number[],
  o: { horizon?: number; candidates?: number; iterations?: number; elites?: number },
): CemOptions {
  const base = defaultCemOptions(actionRange);
  const candidates = o.candidates ?? base.candidates;
  return {
    ...base,
    horizon: o.horizon ?? base.horizon,
    candidates,
    iterations: o.iterations ?? base.iterations,
    elites: o.elites ?? Math.min(base.elites, Math.max(1, Math.floor(candidates / 10))),
  };
}

function validate(o: CemOptions): void {
  checkInt('horizon', o.horizon, 1, 10_000);
  checkInt('candidates', o.candidates, 2, 1_000_000);
  checkInt('iterations', o.iterations, 1, 1000);
  checkInt('elites', o.elites, 1, o.candidates);
  checkPositive('initialStd', o.initialStd);
  const r = o.actionRange;
  if (r.length < 2 || r.length % 2 !== 0 || !r.every(Number.isFinite))
    throw new InvalidArgumentError('actionRange must hold a finite [lo, hi] pair per action dimension');
  for (let j = 0; j < r.length; j += 2)
    if (!(r[j + 1] > r[j])) throw new InvalidArgumentError(`action ${j / 2}: its range is empty`);
}

/**
 * Model-predictive control by the cross-entropy method (as in PETS, Chua et al. 2018): sample
 * action sequences from a diagonal Gaussian clipped to the action range, roll all of them through
 * the model together (one batched call per horizon step), keep the best `elites` by summed
 * reward and refit the Gaussian to them. CEM rather than MPPI because ranking the candidates
 * makes it blind to the reward's scale (no temperature to tune per task: the rewards here lie in
 * [0, 1] per step but their sums over a horizon differ by task). Between calls the plan is kept,
 * shifted by one step, so each control step refines the previous one (warm start).
 */
export class CemPlanner {
  readonly options: CemOptions;
  private readonly A: number;
  private mean: Float32Array;

  constructor(
    options: CemOptions,
    private readonly rng: Rng,
  ) {
    validate(options);
    this.options = { ...options, actionRange: [...options.actionRange] };
    this.A = options.actionRange.length / 2;
    this.mean = this.centre();
  }

  private centre(): Float32Array {
    const { horizon: H, actionRange: r } = this.options;
    const m = new Float32Array(H * this.A);
    for (let i = 0; i < m.length; i++) m[i] = (r[2 * (i % this.A)] + r[2 * (i % this.A) + 1]) / 2;
    return m;
  }

  /** Forgets the kept plan (a new episode). */
  reset(): void {
    this.mean = this.centre();
  }

  /** The plan's current mean action sequence (H × A), a copy. */
  plannedActions(): Float32Array {
    return this.mean.slice();
  }

  /** Summed reward of each candidate sequence (N × H × A, step-major per candidate) from `state`. */
  scoreSequences(
    state: ArrayLike<number>,
    sequences: Float32Array,
    N: number,
    model: BatchedDynamics,
    reward: BatchedReward,
  ): Float32Array {
    const { horizon: H } = this.options;
    const A = this.A;
    const S = state.length;
    // Step-major copy: the actions of step h for every candidate are one contiguous block.
    const byStep = new Float32Array(N * H * A);
    for (let n = 0; n < N; n++)
      for (let h = 0; h < H; h++)
        for (let j = 0; j < A; j++) byStep[(h * N + n) * A + j] = sequences[(n * H + h) * A + j];
    let s = tf.tidy(() => tf.tile(tf.tensor2d(Float32Array.from(state), [1, S]), [N, 1]) as tf.Tensor2D);
    let total = tf.zeros([N]) as tf.Tensor1D;
    try {
      for (let h = 0; h < H; h++) {
        const [next, sum] = tf.tidy(() => {
          const a = tf.tensor2d(byStep.subarray(h * N * A, (h + 1) * N * A), [N, A]);
          const n = model.step(s, a);
          return [n, tf.add(total, reward(n, a))] as [tf.Tensor2D, tf.Tensor1D];
        });
        tf.dispose([s, total]);
        s = next;
        total = sum;
      }
      return total.dataSync() as Float32Array;
    } finally {
      tf.dispose([s, total]);
    }
  }

  /** The first action of the refined plan for `state`; the plan is kept (shifted) for the next call. */
  plan(state: ArrayLike<number>, model: BatchedDynamics, reward: BatchedReward): Float32Array {
    const { horizon: H, candidates: N, iterations, elites: E, actionRange: r, initialStd } = this.options;
    const A = this.A;
    const D = H * A;
    const mean = this.mean;
    const std = new Float32Array(D);
    for (let i = 0; i < D; i++) std[i] = initialStd * (r[2 * (i % A) + 1] - r[2 * (i % A)]);
    const seqs = new Float32Array(N * D);
    for (let it = 0; it < iterations; it++) {
      // Candidate 0 is the current mean itself, so a refit can never lose the best plan so far.
      seqs.set(mean, 0);
      for (let n = 1; n < N; n++)
        for (let i = 0; i < D; i++) {
          const j = i % A;
          const v = mean[i] + std[i] * this.rng.normal();
          seqs[n * D + i] = Math.min(r[2 * j + 1], Math.max(r[2 * j], v));
        }
      const returns = this.scoreSequences(state, seqs, N, model, reward);
      // A diverged rollout (NaN) ranks last.
      const order = Array.from({ length: N }, (_, n) => n).sort(
        (a, b) =>
          (Number.isNaN(returns[b]) ? -Infinity : returns[b]) -
          (Number.isNaN(returns[a]) ? -Infinity : returns[a]),
      );
      mean.fill(0);
      std.fill(0);
      for (let e = 0; e < E; e++) for (let i = 0; i < D; i++) mean[i] += seqs[order[e] * D + i] / E;
      for (let e = 0; e < E; e++)
        for (let i = 0; i < D; i++) std[i] += (seqs[order[e] * D + i] - mean[i]) ** 2 / E;
      for (let i = 0; i < D; i++) std[i] = Math.sqrt(std[i]);
    }
    const first = mean.slice(0, A);
    // Warm start: the rest of the plan moves one step earlier, the last step starts at the centre.
    const centre = this.centre();
    this.mean = new Float32Array(D);
    this.mean.set(mean.subarray(A));
    this.mean.set(centre.subarray(D - A), D - A);
    return first;
  }
}
