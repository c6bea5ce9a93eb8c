import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { perTaskMse } from '../../model/losses.js';
import { Rng } from '../../random/rng.js';
import { MetaTrainer } from '../../train/meta-trainer.js';
import type { DynamicsConfig } from './dynamics-config.js';
import { DYNAMICS_METHODS, inputSize } from './dynamics-config.js';
import { DynamicsModel } from './dynamics-model.js';
import { dynamicsFamily } from './family.js';
import { writeFeatures } from './features.js';
import { stateSize } from './physics.js';
import { featureSelection, rolloutArrays, rolloutLoss } from './rollout-loss.js';
import { contextArrays, randomWindow } from './sampling.js';

const fx = dynamicsFamily.conformance();
const data = fx.data();
const env = data.sim.info;

function model(method: string, rollout?: number): DynamicsModel {
  const c = fx.configs.find((x) => x.method === method)!;
  return new DynamicsModel({ ...c, norm: data.normStats(), rollout } as DynamicsConfig, 5);
}

function batch(m: DynamicsModel, H: number, seed: number) {
  const rng = Rng.fromSeed(seed, 'rollout-test');
  const records = data.set('train').records;
  const windows = records.slice(0, 3).map((r) => randomWindow(env, r, 6, rng));
  const ctx = m.contextTensors(contextArrays(env, windows, 6, data.settings.range));
  return { ctx, seq: rolloutArrays(env, windows, 4, H, rng) };
}

describe('rollout loss', () => {
  it('selects the features writeFeatures writes, angles as sin and cos', () => {
    expect(env.angleIndices.length).toBeGreaterThan(0);
    const S = stateSize(env);
    const state = Float32Array.from({ length: S }, (_, i) => 0.3 + 1.7 * i);
    const action = Float32Array.from({ length: env.nu }, (_, j) => -0.4 + j);
    const expected = new Float32Array(inputSize(env));
    writeFeatures(env, state, 0, action, 0, expected, 0);
    const raw = [...state, ...state.map(Math.sin), ...state.map(Math.cos), ...action];
    const sel = featureSelection(env);
    const got = expected.map((_, c) => raw.reduce((acc, v, r) => acc + v * sel[r * expected.length + c], 0));
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 6);
  });

  it('is the one-step error of the same transitions at horizon 1', () => {
    const m = model('hypernet');
    const { ctx, seq } = batch(m, 1, 1);
    const S = stateSize(env);
    const inN = inputSize(env);
    // The same transitions as one-step queries.
    const n = seq.T * seq.Q;
    const x = new Float32Array(n * inN);
    const y = new Float32Array(n * S);
    for (let k = 0; k < n; k++) {
      writeFeatures(env, seq.start, k * S, seq.actions, k * env.nu, x, k * inN);
      for (let i = 0; i < S; i++) y[k * S + i] = seq.truth[k * S + i] - seq.start[k * S + i];
    }
    const [a, b] = tf.tidy(() => {
      const state = m.method.adapt(m.weights, ctx);
      const xn = tf.tensor3d(m.normalisedInputs(x), [seq.T, seq.Q, inN]);
      const yn = tf.tensor3d(m.normalisedTargets(y), [seq.T, seq.Q, S]);
      const oneStep = tf.mean(perTaskMse(m.method.predict(m.weights, state, xn), yn));
      return [rolloutLoss(m, state, seq).dataSync()[0], oneStep.dataSync()[0]];
    });
    expect(a).toBeCloseTo(b, 5);
    tf.dispose([ctx.x, ctx.y, ctx.factors]);
    m.dispose();
  });

  it('has the gradient of its finite differences and leaves no tensor behind', () => {
    const m = model('global');
    const { ctx, seq } = batch(m, 5, 2);
    const before = tf.memory().numTensors;
    const w = m.weights[0] as tf.Variable;
    const loss = () => tf.tidy(() => rolloutLoss(m, m.method.adapt(m.weights, ctx), seq).dataSync()[0]);
    const { grads, value } = tf.variableGrads(() => rolloutLoss(m, m.method.adapt(m.weights, ctx), seq), [w]);
    const g = grads[w.name].dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    const eps = 1e-2;
    const w0 = w.dataSync()[0];
    const shift = (d: number) => {
      const v = w.dataSync().slice();
      v[0] = w0 + d;
      const t = tf.tensor(v, w.shape);
      w.assign(t);
      t.dispose();
    };
    shift(eps);
    const up = loss();
    shift(-eps);
    const down = loss();
    shift(0);
    const fd = (up - down) / (2 * eps);
    expect(Math.abs(g - fd)).toBeLessThan(0.02 * Math.max(1, Math.abs(fd)));
    expect(g).not.toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([ctx.x, ctx.y, ctx.factors]);
    m.dispose();
  });

  it('trains every method with a rollout objective, and refuses a horizon longer than an episode', () => {
    for (const method of DYNAMICS_METHODS) {
      const m = model(method, 4);
      const train = { ...dynamicsFamily.defaultTrainConfig(method), ...fx.train, steps: 2 };
      const before = tf.memory().numTensors;
      const trainer = new MetaTrainer(dynamicsFamily.learner(m, data, train), train);
      for (let i = 0; i < 2; i++) expect(Number.isFinite(trainer.runStep().loss)).toBe(true);
      trainer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    }
    const c = { ...fx.configs[0], rollout: data.settings.length + 1 };
    expect(() => dynamicsFamily.validateModelConfig(c)).toThrow(/rollout/);
  });
});
