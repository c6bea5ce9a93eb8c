import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import { rewardOf } from '../../control/rewards.js';
import { Rng } from '../../random/rng.js';
import { adaptToRecent, SimulatorDynamics } from './control-models.js';
import {
  changedVariation,
  describeDynamicsChange,
  dynamicsControlTask,
  motorChangeFits,
} from './control-tasks.js';
import { defaultDynamicsConfig, DYNAMICS_METHODS } from './dynamics-config.js';
import { envSpec } from './dynamics-data.js';
import { DynamicsModel } from './dynamics-model.js';
import { writeFeatures } from './features.js';
import { ToyPendulum } from './toy-pendulum.js';
import type { Variation } from './physics.js';
import { actuatorStrengths, variationFeatures } from './variations.js';

const toy = new ToyPendulum();
const env = envSpec(toy, 'toy');
const variation: Variation = {
  body: Float64Array.of(1),
  dof: Float64Array.of(-1),
  geom: Float64Array.of(0),
  disabledActuator: -1,
};

/** A short random episode of the toy: L+1 states and L actions. */
function episode(L: number) {
  const rng = Rng.fromSeed(4);
  const actions = rng.fill(L, (r) => r.range(-1, 1));
  const r = toy.rollout(variation, Float64Array.of(0.5, 0), actions);
  if (!r.ok) throw new Error(r.reason);
  return { states: r.states, actions, length: L };
}

describe('dynamics models for the planner', () => {
  it.each(DYNAMICS_METHODS)(
    '%s: a batched step is the model’s own prediction from the same context',
    (method) => {
      const model = new DynamicsModel({ ...defaultDynamicsConfig('dynamics', method), env, hidden: [8] }, 3);
      const recent = episode(12);
      const before = tf.memory().numTensors;
      const learned = adaptToRecent(model, recent, 8, variation, 3);
      const s = tf.tensor2d([0.3, -1, 2.5, 0.2, -4, 3], [3, 2]);
      const a = tf.tensor2d([0.5, -1, 0.1], [3, 1]);
      const next = learned.step(s, a);
      // The same through the model's own (unbatched-by-design) path: features, adapt, predictDelta.
      const x = new Float32Array(3 * model.inSize);
      const sv = s.dataSync();
      const av = a.dataSync();
      for (let n = 0; n < 3; n++) writeFeatures(env, sv, 2 * n, av, n, x, n * model.inSize);
      const delta = model.predictDelta(learned.adapted, x, 1, 3);
      const expected = Array.from(sv, (v, i) => v + delta[i]);
      Array.from(next.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
      tf.dispose([s, a, next]);
      learned.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    },
  );

  it('the simulator as a model steps every candidate from its own state', () => {
    const sim = new ToyPendulum();
    sim.reset(variation, new Float64Array(2));
    const m = new SimulatorDynamics(sim);
    const s = tf.tensor2d([0.5, 0, 0.5, 0], [2, 2]);
    const a = tf.tensor2d([1, -1], [2, 1]);
    const next = m.step(s, a).dataSync();
    const truth = (u: number) => toy.rollout(variation, Float64Array.of(0.5, 0), Float32Array.of(u));
    const up = truth(1);
    const down = truth(-1);
    if (!up.ok || !down.ok) throw new Error('toy failed');
    expect(Array.from(next)).toEqual([...up.states.slice(2), ...down.states.slice(2)]);
    expect(m.steps).toBe(2);
    tf.dispose([s, a]);
  });
});

describe('dynamics control tasks', () => {
  it('swing-up on the toy pendulum: starts hanging, rewards the top', () => {
    const task = dynamicsControlTask(env);
    expect(task.name).toBe('swingup');
    expect(task.steps).toBe(160);
    const start = task.start(Rng.fromSeed(1));
    expect(Math.abs(start[0])).toBeLessThan(0.05);
    expect(rewardOf(task.reward, [Math.PI, 0], [0])).toBe(1);
    expect(rewardOf(task.reward, [0, 0], [0])).toBe(0);
    expect(rewardOf(task.planReward, [Math.PI / 2, 0], [0])).toBeCloseTo(0.5, 6);
    expect(() => dynamicsControlTask(env, 'run')).toThrow(InvalidArgumentError);
    expect(() => dynamicsControlTask(env, 'fly')).toThrow(/unknown control task 'fly'/);
  });

  it('a payload multiplies one body’s mass; a broken motor is disabled', () => {
    const heavier = changedVariation(variation, { kind: 'mass', body: 0, factor: 2.25 });
    expect(heavier.body[0]).toBeCloseTo(3, 9);
    expect(variation.body[0]).toBe(1);
    expect(changedVariation(variation, { kind: 'motor', actuator: 0 }).disabledActuator).toBe(0);
    expect(() => changedVariation(variation, { kind: 'mass', body: 2, factor: 2 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('a weakened motor keeps its fraction of the gear, and the oracle is told the lost strength', () => {
    const weak = changedVariation(variation, { kind: 'motor', actuator: 0, strength: 0.3 });
    expect(weak.weakActuator).toEqual({ index: 0, strength: 0.3 });
    expect(weak.disabledActuator).toBe(-1);
    expect(variation.weakActuator).toBeUndefined();
    expect(actuatorStrengths(weak, 1)[0]).toBeCloseTo(0.3, 12);
    // The oracle's last input is the motor's lost strength, 1 − s.
    expect(variationFeatures(weak, 3, 1)[3]).toBeCloseTo(0.7, 6);
    expect(variationFeatures(variation, 3, 1)[3]).toBe(0);
    // The toy pendulum moves differently with the weaker motor.
    const push = Float32Array.of(1, 1, 1);
    const a = toy.rollout(variation, Float64Array.of(0, 0), push);
    const b = toy.rollout(weak, Float64Array.of(0, 0), push);
    expect(a.ok && b.ok && a.states[6] !== b.states[6]).toBe(true);
    for (const strength of [-0.1, 1, NaN])
      expect(() => changedVariation(variation, { kind: 'motor', actuator: 0, strength })).toThrow(
        InvalidArgumentError,
      );
  });

  it('composes with a weak or broken motor: the weakest wins, no other motor is repaired', () => {
    const nu = 3;
    const three = { ...variation, body: Float64Array.of(0, 0, 0) };
    const strengths = (v: Variation) => Array.from(actuatorStrengths(v, nu));
    const weakAt = (index: number, strength: number): Variation => ({
      ...three,
      weakActuator: { index, strength },
    });
    const motor = (actuator: number, strength?: number) => ({ kind: 'motor', actuator, strength }) as const;
    // Same motor: a weaker change wins, a stronger one leaves it as it was.
    expect(strengths(changedVariation(weakAt(1, 0.5), motor(1, 0.2)))).toEqual([1, 0.2, 1]);
    expect(strengths(changedVariation(weakAt(1, 0.2), motor(1, 0.5)))).toEqual([1, 0.2, 1]);
    expect(strengths(changedVariation(weakAt(1, 0.5), motor(1)))).toEqual([1, 0, 1]);
    const broken = { ...three, disabledActuator: 2 };
    expect(strengths(changedVariation(broken, motor(2, 0.4)))).toEqual([1, 1, 0]);
    // Another motor: both stay weakened (disabling motor 0 no longer repairs a broken motor 2).
    expect(strengths(changedVariation(broken, motor(0)))).toEqual([0, 1, 0]);
    expect(strengths(changedVariation(broken, motor(0, 0.4)))).toEqual([0.4, 1, 0]);
    expect(strengths(changedVariation(weakAt(1, 0.5), motor(0)))).toEqual([0, 0.5, 1]);
    // A broken and a weak motor, then the weak one weakened further.
    const both = { ...weakAt(1, 0.5), disabledActuator: 2 };
    expect(strengths(changedVariation(both, motor(1, 0.1)))).toEqual([1, 0.1, 0]);
    expect(motorChangeFits(both, motor(1, 0.1))).toBe(true);
    // What a variation cannot hold (two weak motors, three weakened ones) is refused, and said so.
    for (const [v, change] of [
      [weakAt(1, 0.5), motor(0, 0.4)],
      [both, motor(0)],
    ] as const) {
      expect(motorChangeFits(v, change)).toBe(false);
      expect(() => changedVariation(v, change)).toThrow(/holds one broken and one weak motor/);
    }
    expect(motorChangeFits(both, { kind: 'mass', body: 0, factor: 2 })).toBe(true);
  });

  it('describes a change in words', () => {
    expect(describeDynamicsChange({ kind: 'motor', actuator: 2, strength: 0.3 })).toBe('motor 2 at 30 %');
    expect(describeDynamicsChange({ kind: 'motor', actuator: 0, strength: 0.125 })).toBe('motor 0 at 12.5 %');
    expect(describeDynamicsChange({ kind: 'motor', actuator: 0 })).toBe('motor 0 disabled');
    expect(describeDynamicsChange({ kind: 'mass', body: 1, factor: 2 })).toBe('body 1 mass ×2');
    expect(describeDynamicsChange({ kind: 'none' })).toBe('no change');
  });
});
