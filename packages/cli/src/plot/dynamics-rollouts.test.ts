import { afterAll, describe, expect, it } from 'vitest';
import {
  contextArrays,
  disposeContext,
  dynamicsFamily,
  type DynamicsConfig,
  type DynamicsModel,
  dynamicsInputSize,
  InvalidArgumentError,
  Rng,
  tf,
  writeFeatures,
} from '@hypermeta/core';
import { openLoopRollouts, rolloutPoints, rolloutStart, stateNames } from './dynamics-rollouts.js';

// A tiny untrained model on core's closed-form toy pendulum (no engine): what is tested is which
// states and predictions the figure holds, not how good they are.
const fx = dynamicsFamily.conformance();
const data = fx.data();
const config: DynamicsConfig = { ...(fx.configs[0] as DynamicsConfig), norm: data.normStats() };
const model = dynamicsFamily.build(config, 3) as DynamicsModel;
const records = data.set('eval').records;
const env = config.env;
const o = { variations: 2, horizon: 6, context: 4, seed: 1, range: 3 };
afterAll(() => model.dispose());

describe('open-loop rollouts for the figure', () => {
  it('start from the middle of the scored episode and hold its true states', () => {
    const r = openLoopRollouts(model, records, o);
    expect(r).toMatchObject({ variations: 2, horizon: 6, stateSize: 2, start: 17 });
    expect(rolloutStart(40, 6)).toBe(17);
    for (let v = 0; v < 2; v++)
      for (let h = 0; h <= 6; h++)
        for (let i = 0; i < 2; i++)
          expect(r.truth[(v * 7 + h) * 2 + i]).toBe(records[v].episodes[1].states[(17 + h) * 2 + i]);
    // Step 0 is the real state itself.
    expect(Array.from(r.predicted.subarray(7 * 2, 7 * 2 + 2))).toEqual(Array.from(r.truth.subarray(14, 16)));
  });

  it("predict each step with the model adapted to eval's context window, fed its own predictions", () => {
    const r = openLoopRollouts(model, records, o);
    // The same adaptation by hand: the windows `eval` draws for the seed, the second variation's
    // first two steps from its real start state with its real actions.
    const rng = Rng.fromSeed(1, 'dynamics-eval-eval');
    const windows = records.slice(0, 2).map((record) => ({ record, episode: 0, start: rng.int(40 - 4 + 1) }));
    const ctx = model.contextTensors(contextArrays(env, windows, 4, 3));
    const state = model.adapt(ctx);
    const e = records[1].episodes[1];
    const s = Float64Array.from(e.states.subarray(17 * 2, 18 * 2));
    const x = new Float32Array(2 * dynamicsInputSize(env));
    for (let h = 0; h < 2; h++) {
      // Both variations in one batch, as the figure predicts them; only the second is checked.
      writeFeatures(
        env,
        Float64Array.from(records[0].episodes[1].states.subarray(0, 2)),
        0,
        e.actions,
        0,
        x,
        0,
      );
      writeFeatures(env, s, 0, e.actions, (17 + h) * env.nu, x, dynamicsInputSize(env));
      const d = model.predictDelta(state, x, 2, 1);
      s[0] += d[2];
      s[1] += d[3];
      for (let i = 0; i < 2; i++) expect(r.predicted[(7 + h + 1) * 2 + i]).toBeCloseTo(s[i], 5);
    }
    disposeContext(ctx);
    tf.dispose(state);
    expect(r.predicted.some((v, k) => Math.abs(v - r.truth[k]) > 1e-6)).toBe(true);
  });

  it('leak no tensor, and refuse a horizon or context longer than the episodes', () => {
    openLoopRollouts(model, records, o);
    const before = tf.memory().numTensors;
    openLoopRollouts(model, records, o);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => openLoopRollouts(model, records, { ...o, horizon: 41 })).toThrow(InvalidArgumentError);
    expect(() => openLoopRollouts(model, records, { ...o, context: 41 })).toThrow(InvalidArgumentError);
  });
});

describe('rollout figure points', () => {
  it('hold the truth once and each model once, per variation, state value and step', () => {
    const r = openLoopRollouts(model, records, o);
    const models = [
      { label: 'hypernet', rollouts: r },
      { label: 'other', rollouts: r },
    ];
    const points = rolloutPoints(env, records, models, [1]);
    expect(points).toHaveLength(3 * 2 * 1 * 7);
    const truth = points.filter((p) => p.series === 'true');
    expect(truth).toHaveLength(14);
    expect(truth.map((p) => p.value)).toEqual(
      [0, 1].flatMap((v) => Array.from({ length: 7 }, (_, h) => r.truth[(v * 7 + h) * 2 + 1])),
    );
    const hyper = points.filter((p) => p.series === 'hypernet');
    expect(hyper[8].value).toBe(r.predicted[(7 + 1) * 2 + 1]);
    expect(hyper[8].seconds).toBeCloseTo(env.dt, 12);
    expect(new Set(points.map((p) => p.dim))).toEqual(new Set(['qvel 0']));
    // Each variation is named by its mass factors, 1.5^u.
    const mass = (1.5 ** records[0].variation.body[0]).toFixed(2);
    expect(points[0].variation).toContain(`mass ×${mass}`);
    expect(() => rolloutPoints(env, records, models, [2])).toThrow(/does not exist/);
  });

  it('name state values as qpos (without a dropped root x) then qvel', () => {
    expect(stateNames({ nq: 1, nv: 1, droppedQpos: [] })).toEqual(['qpos 0', 'qvel 0']);
    expect(stateNames({ nq: 3, nv: 3, droppedQpos: [0] })).toEqual([
      'qpos 1',
      'qpos 2',
      'qvel 0',
      'qvel 1',
      'qvel 2',
    ]);
  });
});
