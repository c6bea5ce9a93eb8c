import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { SimulatorDynamics } from '../families/dynamics/control-models.js';
import { ToyPendulum } from '../families/dynamics/toy-pendulum.js';
import type { Variation } from '../families/dynamics/physics.js';
import { Rng } from '../random/rng.js';
import { type BatchedDynamics, CemPlanner, cemOptionsFor, defaultCemOptions } from './planner.js';
import { pendulumHeightReward, pendulumSwingupReward, rewardOf } from './rewards.js';

const nominal: Variation = {
  body: new Float64Array(1),
  dof: new Float64Array(1),
  geom: new Float64Array(1),
  disabledActuator: -1,
};

/** Runs `steps` control steps of the toy pendulum from hanging still; the reported rewards. */
function swingUp(seed: number, steps: number, believed = nominal): number[] {
  const variation = nominal;
  const world = new ToyPendulum();
  const model = new SimulatorDynamics(new ToyPendulum());
  model.sim.reset(believed, new Float64Array(2));
  const pole = { angle: 0, uprightAt: Math.PI };
  const planner = new CemPlanner(
    { ...defaultCemOptions(world.info.ctrlRange), horizon: 25, candidates: 64, iterations: 3, elites: 8 },
    Rng.fromSeed(seed, 'planner-test'),
  );
  let s = world.reset(variation, new Float64Array(2));
  const rewards: number[] = [];
  for (let t = 0; t < steps; t++) {
    const a = planner.plan(s, model, pendulumHeightReward(pole));
    const r = world.step(a);
    if (!r.ok) throw new Error(r.reason);
    s = r.state;
    rewards.push(rewardOf(pendulumSwingupReward(pole), s, a));
  }
  return rewards;
}

describe('CEM planner', () => {
  it('swings the toy pendulum up and holds it with the true model', () => {
    const before = tf.memory().numTensors;
    // 8 s: the motor (4) is under half the gravity torque (9.81), so it must pump several times.
    const rewards = swingUp(1, 160);
    expect(tf.memory().numTensors).toBe(before);
    // Hanging still, the dm_control reward is 0; upright for the last 3 s it is 1 at every step.
    expect(rewards[0]).toBe(0);
    const last = rewards.slice(-60);
    expect(last.reduce((a, b) => a + b, 0)).toBe(60);
  });

  it('does not swing it up with a model in which the motor does nothing', () => {
    const rewards = swingUp(1, 160, { ...nominal, disabledActuator: 0 });
    expect(rewards.slice(-60).reduce((a, b) => a + b, 0)).toBeLessThan(30);
  });

  it('plans the same actions for the same seed', () => {
    expect(swingUp(3, 12)).toEqual(swingUp(3, 12));
  });

  it('prefers the action a linear reward rewards, within the action range', () => {
    // s' = s + a: the reward s'[0] is best at the top of the range.
    const model: BatchedDynamics = { step: (s, a) => tf.add(s, a) as tf.Tensor2D };
    const planner = new CemPlanner(
      { ...defaultCemOptions([-0.5, 2]), horizon: 3, candidates: 50, iterations: 5, elites: 5 },
      Rng.fromSeed(1),
    );
    const a = planner.plan([0], model, (s) => tf.reshape(s, [-1]) as tf.Tensor1D);
    expect(a[0]).toBeGreaterThan(1.8);
    expect(a[0]).toBeLessThanOrEqual(2);
  });

  it('refuses options it cannot plan with', () => {
    const bad = (o: object) => () => new CemPlanner({ ...defaultCemOptions([-1, 1]), ...o }, Rng.fromSeed(1));
    expect(bad({ elites: 500 })).toThrow(InvalidArgumentError);
    expect(bad({ actionRange: [1, -1] })).toThrow(InvalidArgumentError);
    expect(bad({ horizon: 0 })).toThrow(InvalidArgumentError);
  });

  it('sizes a plan: given settings replace the defaults, elites a tenth of the candidates (1 to 20)', () => {
    expect(cemOptionsFor([-1, 1], {})).toEqual(defaultCemOptions([-1, 1]));
    const small = cemOptionsFor([-1, 1], { horizon: 15, candidates: 100, iterations: 2 });
    expect(small).toMatchObject({ horizon: 15, candidates: 100, iterations: 2, elites: 10 });
    expect(cemOptionsFor([-1, 1], { candidates: 8 }).elites).toBe(1);
    expect(cemOptionsFor([-1, 1], { candidates: 1000 }).elites).toBe(20);
    expect(cemOptionsFor([-1, 1], { candidates: 100, elites: 7 }).elites).toBe(7);
  });
});
