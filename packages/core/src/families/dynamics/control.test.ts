import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import { rewardOf } from '../../control/rewards.js';
import { Rng } from '../../random/rng.js';
import { adaptToRecent, SimulatorDynamics } from './control-models.js';
import { changedVariation, dynamicsControlTask } from './control-tasks.js';
import { defaultDynamicsConfig, DYNAMICS_METHODS } from './dynamics-config.js';
import { envSpec } from './dynamics-data.js';
import { DynamicsModel } from './dynamics-model.js';
import { writeFeatures } from './features.js';
import { ToyPendulum } from './toy-pendulum.js';
import type { Variation } from './physics.js';

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
});
