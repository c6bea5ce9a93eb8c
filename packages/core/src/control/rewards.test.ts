import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { recoverySeconds } from './recovery.js';
import { cartpoleSwingupReward, pendulumSwingupReward, rewardOf, runReward, tolerance } from './rewards.js';

const values = (t: tf.Tensor) => {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

describe("dm_control's tolerance", () => {
  it('is 1 inside the bounds and falls off as each sigmoid says outside', () => {
    const x = tf.tensor1d([0, 1, -2, 4]);
    // gaussian with value 0.1 at the margin: 0.1^(d²); d = 0.5 → 0.1^0.25 = 0.56234.
    expect(values(tolerance(x, { lower: 0, upper: 0, margin: 2 }))).toEqual([
      1,
      expect.closeTo(0.56234, 4),
      expect.closeTo(0.1, 5),
      expect.closeTo(1e-4, 6),
    ]);
    // quadratic reaching 0 at the margin: 1 − d², 0 beyond.
    const q = { lower: 0, upper: 0, margin: 2, sigmoid: 'quadratic', valueAtMargin: 0 } as const;
    expect(values(tolerance(x, q))).toEqual([1, expect.closeTo(0.75, 6), 0, 0]);
    // a margin of 0: the indicator of the bounds.
    expect(values(tolerance(x, { lower: -2, upper: 1, margin: 0 }))).toEqual([1, 1, 1, 0]);
    x.dispose();
  });

  it('refuses bounds and margins that mean nothing', () => {
    const x = tf.scalar(0);
    expect(() => tolerance(x, { lower: 1, upper: 0, margin: 1 })).toThrow(InvalidArgumentError);
    expect(() => tolerance(x, { lower: 0, upper: 0, margin: 1, valueAtMargin: 0 })).toThrow(
      InvalidArgumentError,
    );
    x.dispose();
  });
});

describe('task rewards', () => {
  it("pendulum swingup: 1 within 30° of upright, else 0 (dm_control's cosine bound)", () => {
    const r = pendulumSwingupReward({ angle: 0, uprightAt: Math.PI });
    // 0.5 rad = 28.6° counts, 0.55 rad = 31.5° does not; a full turn later is the same pose.
    expect(rewardOf(r, [Math.PI, 0], [0])).toBe(1);
    expect(rewardOf(r, [Math.PI + 0.5, 3], [0])).toBe(1);
    expect(rewardOf(r, [Math.PI - 0.55, 0], [0])).toBe(0);
    expect(rewardOf(r, [3 * Math.PI - 0.1, 0], [0])).toBe(1);
    expect(rewardOf(r, [0, 0], [0])).toBe(0);
  });

  it('cartpole swingup: upright · centered · small control · small velocity', () => {
    const r = cartpoleSwingupReward({ cart: 0, angle: 1, angleVelocity: 3, uprightAt: 0 });
    // x = 1 (centered (1 + 0.1^0.25)/2 = 0.78117), upright, u = 0.5 ((4 + 0.75)/5 = 0.95),
    // ω = 5 ((1 + 0.1)/2 = 0.55): 0.78117 · 0.95 · 0.55 = 0.40816.
    expect(rewardOf(r, [1, 0, 0, 5], [0.5])).toBeCloseTo(0.40816, 4);
    expect(rewardOf(r, [0, 0, 0, 0], [0])).toBeCloseTo(1, 6);
    // Hanging: upright (1 + cos π)/2 = 0.
    expect(rewardOf(r, [0, Math.PI, 0, 0], [0])).toBeCloseTo(0, 6);
    // Horizontal, full push: 0.5 · 1 · 0.8 · 1.
    expect(rewardOf(r, [0, Math.PI / 2, 0, 0], [1])).toBeCloseTo(0.4, 5);
  });

  it('run: speed / 10 m/s, clipped to [0, 1]', () => {
    const r = runReward({ velocity: 2, speed: 10 });
    expect(rewardOf(r, [0, 0, 4], [0])).toBeCloseTo(0.4, 6);
    expect(rewardOf(r, [0, 0, 12], [0])).toBe(1);
    expect(rewardOf(r, [0, 0, -3], [0])).toBe(0);
  });

  it('are batched: one reward per candidate row', () => {
    const r = runReward({ velocity: 0, speed: 10 });
    const s = tf.tensor2d([[1], [5], [20]]);
    const a = tf.zeros([3, 1]) as tf.Tensor2D;
    expect(values(r(s, a))).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.5, 6), 1]);
    tf.dispose([s, a]);
  });
});

describe('recovery after a change', () => {
  const dt = 0.1;
  it('is the time until the moving average is back within 10 % for good', () => {
    // 1 for 20 steps, the change at 20, 0 for 7 steps, then 1 again.
    const r = [...Array(20).fill(1), ...Array(7).fill(0), ...Array(33).fill(1)];
    // 5-step window (0.5 s): averages from step 27 on are all 1; the one from 26 is 0.8 < 0.9.
    expect(recoverySeconds(r, 20, { dt })).toBeCloseTo(0.7, 9);
  });

  it('is 0 when the reward never drops, Infinity when it never comes back, null with nothing to recover', () => {
    expect(recoverySeconds(Array(40).fill(1), 20, { dt })).toBe(0);
    expect(recoverySeconds([...Array(20).fill(1), ...Array(20).fill(0.5)], 20, { dt })).toBe(Infinity);
    expect(recoverySeconds(Array(40).fill(0), 20, { dt })).toBeNull();
    expect(() => recoverySeconds(Array(22).fill(1), 20, { dt })).toThrow(InvalidArgumentError);
  });
});
