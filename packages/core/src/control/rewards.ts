import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import type { BatchedReward } from './planner.js';

/** How `tolerance` falls off outside its bounds (dm_control's `rewards.tolerance` sigmoids used here). */
export type ToleranceSigmoid = 'gaussian' | 'quadratic' | 'linear';

export interface ToleranceOptions {
  lower: number;
  upper: number;
  /** Distance beyond the bounds over which the value falls to `valueAtMargin`; 0: an indicator. */
  margin: number;
  sigmoid?: ToleranceSigmoid;
  valueAtMargin?: number;
}

/**
 * dm_control's `rewards.tolerance`, element-wise on a tensor: 1 inside [lower, upper]; outside,
 * a sigmoid of d = distance / margin that equals `valueAtMargin` at d = 1 (gaussian:
 * exp(−(d·s)²/2) with s = √(−2 ln v); quadratic: 1 − (d·s)² with s = √(1 − v), 0 beyond;
 * linear: 1 − d·(1 − v), 0 beyond). With margin 0, an indicator of the bounds.
 */
export function tolerance(x: tf.Tensor, o: ToleranceOptions): tf.Tensor {
  const { lower, upper, margin } = o;
  const sigmoid = o.sigmoid ?? 'gaussian';
  const v = o.valueAtMargin ?? 0.1;
  if (!(lower <= upper)) throw new InvalidArgumentError('tolerance: lower bound above upper bound');
  if (!(margin >= 0)) throw new InvalidArgumentError('tolerance: margin must be non-negative');
  if (!(v >= 0 && v < 1) || (sigmoid === 'gaussian' && v === 0))
    throw new InvalidArgumentError(`tolerance: valueAtMargin ${v} is outside the ${sigmoid} sigmoid's range`);
  return tf.tidy(() => {
    const inBounds = tf.logicalAnd(tf.greaterEqual(x, lower), tf.lessEqual(x, upper));
    if (margin === 0) return tf.cast(inBounds, 'float32');
    // Distance to the nearer bound (0 inside), an infinite bound contributing nothing.
    const below = Number.isFinite(lower) ? tf.relu(tf.sub(lower, x)) : tf.zerosLike(x);
    const above = Number.isFinite(upper) ? tf.relu(tf.sub(x, upper)) : tf.zerosLike(x);
    const d = tf.div(tf.add(below, above), margin);
    let value: tf.Tensor;
    if (sigmoid === 'gaussian') {
      const s = Math.sqrt(-2 * Math.log(v));
      value = tf.exp(tf.mul(-0.5, tf.square(tf.mul(d, s))));
    } else if (sigmoid === 'quadratic') {
      value = tf.relu(tf.sub(1, tf.square(tf.mul(d, Math.sqrt(1 - v)))));
    } else value = tf.relu(tf.sub(1, tf.mul(d, 1 - v)));
    return tf.where(inBounds, tf.onesLike(x), value);
  });
}

/** Column i of states [N, S] as [N]. */
function column(s: tf.Tensor2D, i: number): tf.Tensor1D {
  return tf.reshape(tf.slice(s, [0, i], [-1, 1]), [-1]);
}

/** Where the upright pole is in the state: its angle's index and the angle at which it points up. */
export interface PoleLayout {
  angle: number;
  uprightAt: number;
}

/** cos of the pole's angle from upright (dm_control's `pole_vertical`, the body frame's zz entry). */
function uprightCosine(s: tf.Tensor2D, p: PoleLayout): tf.Tensor1D {
  return tf.cos(tf.sub(column(s, p.angle), p.uprightAt)) as tf.Tensor1D;
}

/** cos 30°: dm_control's pendulum counts the pole upright within 30° of vertical. */
const PENDULUM_COSINE_BOUND = Math.cos(Math.PI / 6);

/** dm_control's pendulum swingup: 1 while the pole is within 30° of upright, else 0. */
export function pendulumSwingupReward(p: PoleLayout): BatchedReward {
  return (s) =>
    tf.tidy(
      () =>
        tolerance(uprightCosine(s, p), { lower: PENDULUM_COSINE_BOUND, upper: 1, margin: 0 }) as tf.Tensor1D,
    );
}

/**
 * A smooth stand-in for the pendulum's indicator, for planning only: (1 + cos)/2 of the angle from
 * upright. A short horizon from the bottom never reaches the 30° cone, so the indicator would give
 * every candidate the same zero; height tells the planner which swings pump energy in.
 */
export function pendulumHeightReward(p: PoleLayout): BatchedReward {
  return (s) => tf.tidy(() => tf.div(tf.add(uprightCosine(s, p), 1), 2) as tf.Tensor1D);
}

export interface CartpoleLayout extends PoleLayout {
  /** State index of the cart's position and of the pole's angular velocity. */
  cart: number;
  angleVelocity: number;
}

/**
 * dm_control's cartpole swingup (the smooth reward): upright · centered · small control ·
 * small velocity, where upright = (1 + cos)/2, centered = (1 + tol(x, margin 2))/2, small control
 * = (4 + tol(u, margin 1, quadratic, 0))/5, small velocity = (1 + tol(ω, margin 5))/2.
 */
export function cartpoleSwingupReward(p: CartpoleLayout): BatchedReward {
  return (s, a) =>
    tf.tidy(() => {
      const upright = tf.div(tf.add(uprightCosine(s, p), 1), 2);
      const centered = tf.div(tf.add(tolerance(column(s, p.cart), { lower: 0, upper: 0, margin: 2 }), 1), 2);
      const u = tolerance(column(a, 0), {
        lower: 0,
        upper: 0,
        margin: 1,
        sigmoid: 'quadratic',
        valueAtMargin: 0,
      });
      const smallControl = tf.div(tf.add(u, 4), 5);
      const w = tolerance(column(s, p.angleVelocity), { lower: 0, upper: 0, margin: 5 });
      const smallVelocity = tf.div(tf.add(w, 1), 2);
      return tf.mul(tf.mul(upright, centered), tf.mul(smallControl, smallVelocity)) as tf.Tensor1D;
    });
}

/**
 * dm_control's cheetah run: tol(speed, [10 m/s, ∞), margin 10, linear, 0), i.e. speed/10 clipped
 * to [0, 1]; `velocity` is the state index of the forward speed.
 */
export function runReward(p: { velocity: number; speed: number }): BatchedReward {
  return (s) =>
    tf.tidy(
      () =>
        tolerance(column(s, p.velocity), {
          lower: p.speed,
          upper: Infinity,
          margin: p.speed,
          sigmoid: 'linear',
          valueAtMargin: 0,
        }) as tf.Tensor1D,
    );
}

/** One reward as a number, for the state an action really led to. */
export function rewardOf(reward: BatchedReward, next: ArrayLike<number>, action: ArrayLike<number>): number {
  const r = tf.tidy(() =>
    reward(
      tf.tensor2d(Float32Array.from(next), [1, next.length]),
      tf.tensor2d(Float32Array.from(action), [1, action.length]),
    ),
  );
  const v = r.dataSync()[0];
  r.dispose();
  return v;
}
