import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidArgumentError } from '../../errors/errors.js';
import { MetaTrainer } from '../../train/meta-trainer.js';
import type { MetaLearner } from '../../train/meta-learner.js';
import type { TrainConfig } from '../../train/train-config.js';
import type { DynamicsConfig, DynamicsOnPolicyConfig } from './dynamics-config.js';
import { DynamicsData } from './dynamics-data.js';
import type { DynamicsLearner } from './dynamics-learner.js';
import type { DynamicsModel } from './dynamics-model.js';
import { dynamicsFamily } from './family.js';
import { type OnPolicyRound } from './on-policy.js';
import { onPolicyRoundStep } from './on-policy-config.js';
import type { SimStepResult, Variation } from './physics.js';
import { ToyPendulum } from './toy-pendulum.js';

const fx = dynamicsFamily.conformance();
const ON_POLICY: DynamicsOnPolicyConfig = {
  rounds: 2,
  variations: 4,
  steps: 20,
  horizon: 5,
  candidates: 10,
  iterations: 1,
  noise: 0.2,
};
const TRAIN: TrainConfig = {
  ...dynamicsFamily.defaultTrainConfig('hypernet'),
  ...fx.train,
  steps: 6,
  shotsMin: 4,
  shotsMax: 6,
};

/** A toy pendulum whose stepwise simulation fails for heavy variations (mass exponent above 1). */
class FailingPendulum extends ToyPendulum {
  private heavy = false;
  override reset(v: Variation, start: Float64Array): Float32Array {
    this.heavy = v.body[0] > 1;
    return super.reset(v, start);
  }
  override step(action: ArrayLike<number>): SimStepResult {
    return this.heavy ? { ok: false, reason: 'the simulation failed' } : super.step(action);
  }
}

interface Setup {
  data: DynamicsData;
  model: DynamicsModel;
  learner: DynamicsLearner;
  config: DynamicsConfig;
}

/** `onPolicy` null: a config without on-policy settings. */
function setup(onPolicy: DynamicsOnPolicyConfig | null = ON_POLICY, sim = new ToyPendulum()): Setup {
  const base = fx.configs[0];
  const data = new DynamicsData(sim, { ...base.data, brokenMotor: 0 });
  const config: DynamicsConfig = {
    ...base,
    data: { ...data.settings, ...(onPolicy ? { onPolicy } : {}) },
    norm: data.normStats(),
  };
  dynamicsFamily.validateModelConfig(config);
  const model = dynamicsFamily.build(config, 3);
  const learner = dynamicsFamily.learner(model, data, TRAIN) as DynamicsLearner;
  return { data, model, learner, config };
}

const episodeCount = (d: DynamicsData) => d.set('train').records.reduce((a, r) => a + r.episodes.length, 0);

/** Trains `steps` steps and returns the flat weights (the trainer and model are disposed). */
function trainWeights(s: Setup, learner: MetaLearner = s.learner, steps = TRAIN.steps): Float32Array {
  const trainer = new MetaTrainer(learner, TRAIN);
  for (let i = 0; i < steps; i++) trainer.runStep();
  const w = s.model.store.readFlat();
  trainer.dispose();
  s.model.dispose();
  return w;
}

describe('on-policy dynamics data', () => {
  it('splits training into rounds + 1 phases and appends one MPC episode per chosen variation', () => {
    expect([1, 2].map((r) => onPolicyRoundStep(6, 2, r))).toEqual([2, 4]);
    const s = setup();
    const reports: [OnPolicyRound, boolean][] = [];
    s.data.onPolicyIo = { report: (r, loaded) => reports.push([r, loaded]) };
    const before = episodeCount(s.data);
    s.learner.beforeStep(0);
    s.learner.beforeStep(1);
    expect(episodeCount(s.data)).toBe(before);
    s.learner.beforeStep(2);
    expect(episodeCount(s.data)).toBe(before + 4);
    s.learner.beforeStep(3);
    expect(episodeCount(s.data)).toBe(before + 4);
    const [round, loaded] = reports[0];
    expect(loaded).toBe(false);
    expect(round).toMatchObject({ round: 1, step: 2, dropped: 0 });
    expect(new Set(round.episodes.map((e) => e.record)).size).toBe(4);
    for (const e of round.episodes) {
      expect(e.actions).toHaveLength(ON_POLICY.steps);
      expect(e.states).toHaveLength(2 * (ON_POLICY.steps + 1));
      // Executed actions stay in the control range despite the exploration noise.
      for (const a of e.actions) expect(Math.abs(a)).toBeLessThanOrEqual(1);
      expect(s.data.set('train').records[e.record].episodes.at(-1)?.states).toBe(e.states);
    }
    s.learner.beforeStep(4);
    expect(reports.map(([r]) => r.round)).toEqual([1, 2]);
    expect(episodeCount(s.data)).toBe(before + 8);
    s.model.dispose();
  });

  it('collects the same episodes for the same seed and model', () => {
    const rounds = [setup(), setup()].map((s) => {
      let got: OnPolicyRound | undefined;
      s.data.onPolicyIo = { save: (r) => (got = r) };
      s.learner.beforeStep(2);
      s.model.dispose();
      return got!;
    });
    expect(rounds[0].episodes.map((e) => e.record)).toEqual(rounds[1].episodes.map((e) => e.record));
    expect(rounds[0].episodes.map((e) => e.states)).toEqual(rounds[1].episodes.map((e) => e.states));
    expect(rounds[0].meanReturn).toBe(rounds[1].meanReturn);
  });

  it('leaves training without on-policy settings bit for bit as it was, and changes it with them', () => {
    const off = setup(null);
    expect('onPolicy' in off.config.data).toBe(false);
    const plain = trainWeights(off);
    // The same learner seen through the interface without the hook: the trainer as it was before it.
    const again = setup(null);
    const bare: MetaLearner = {
      store: again.learner.store,
      stepObjective: (a) => again.learner.stepObjective(a),
    };
    expect(trainWeights(again, bare)).toEqual(plain);
    expect(trainWeights(setup())).not.toEqual(plain);
  });

  it('is called by the trainer before each step draws its tasks, in runStep and runSplitStep', async () => {
    const s = setup(null);
    const calls: number[] = [];
    const learner = {
      store: s.learner.store,
      stepObjective: (a: Parameters<DynamicsLearner['stepObjective']>[0]) => {
        calls.push(-1);
        return s.learner.stepObjective(a);
      },
      beforeStep: (step: number) => calls.push(step),
    };
    const trainer = new MetaTrainer(learner, TRAIN);
    trainer.runStep();
    trainer.runStep();
    expect(calls).toEqual([0, -1, 1, -1]);
    trainer.dispose();
    const split = {
      store: s.learner.store,
      splittable: true,
      stepObjective: () => {
        throw new Error('not used');
      },
      splitStep: () => {
        calls.push(-2);
        return { shots: 1, parts: [0] };
      },
      partGradient: () => ({ loss: 0, grad: new Float32Array(s.model.store.readFlat().length) }),
      beforeStep: (step: number) => calls.push(step),
    };
    const splitTrainer = new MetaTrainer(split, TRAIN);
    await splitTrainer.runSplitStep((parts) => Promise.resolve(parts.map(() => split.partGradient())));
    expect(calls.slice(4)).toEqual([0, -2]);
    splitTrainer.dispose();
    s.model.dispose();
  });

  it('leaks no tensor across a round', () => {
    const s = setup();
    s.data.set('train');
    const before = tf.memory().numTensors;
    s.learner.beforeStep(2);
    expect(s.data.onPolicyRounds.has(1)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    s.model.dispose();
  });

  it('drops and counts episodes whose simulation fails, and trains on', () => {
    const s = setup({ ...ON_POLICY, variations: 6 }, new FailingPendulum());
    const heavy = s.data.set('train').records.filter((r) => r.variation.body[0] > 1).length;
    expect(heavy).toBeGreaterThan(0);
    expect(heavy).toBeLessThan(6);
    let round: OnPolicyRound | undefined;
    s.data.onPolicyIo = { report: (r) => (round = r) };
    const w = trainWeights(s);
    expect(round?.dropped).toBe(heavy);
    expect(round?.episodes).toHaveLength(6 - heavy);
    expect(w.every(Number.isFinite)).toBe(true);
  });

  it('loads rounds whose step has passed (a resumed run), collects one at its own step', () => {
    const first = setup();
    const saved: OnPolicyRound[] = [];
    first.data.onPolicyIo = { save: (r) => saved.push(r) };
    first.learner.beforeStep(4);
    expect(saved.map((r) => r.round)).toEqual([1, 2]);
    const second = setup();
    second.model.store.writeFlat(first.model.store.readFlat());
    const loads: number[] = [];
    second.data.onPolicyIo = {
      load: (round) => {
        loads.push(round);
        return saved[round - 1];
      },
      save: () => {
        throw new Error('a loaded or recollected round is not saved again');
      },
    };
    // At step 3 round 1 (step 2) is loaded; round 2 (step 4) is not due.
    second.learner.beforeStep(3);
    expect(loads).toEqual([1]);
    const records = (d: DynamicsData) => d.set('train').records.map((r) => r.episodes.length);
    expect(records(second.data)).not.toEqual(records(first.data));
    // At its own step a round is collected again: the same model gives the same episodes.
    let recollected: OnPolicyRound | undefined;
    second.data.onPolicyIo = { save: (r) => (recollected = r) };
    second.learner.beforeStep(4);
    expect(recollected?.episodes.map((e) => e.states)).toEqual(saved[1].episodes.map((e) => e.states));
    expect(records(second.data)).toEqual(records(first.data));
    first.model.dispose();
    second.model.dispose();
  });

  it('refuses a loaded round that does not fit the data', () => {
    const s = setup();
    const bad: OnPolicyRound = {
      round: 1,
      step: 2,
      episodes: [{ record: 99, states: new Float32Array(42), actions: new Float32Array(20) }],
      dropped: 0,
      meanReturn: 0,
      seconds: 0,
    };
    s.data.onPolicyIo = { load: () => bad };
    expect(() => s.learner.beforeStep(3)).toThrow(DataError);
    s.model.dispose();
  });

  it('refuses bad settings with InvalidArgumentError', () => {
    const base = setup(null);
    const withOnPolicy = (o: Partial<DynamicsOnPolicyConfig>) => ({
      ...base.config,
      data: { ...base.config.data, onPolicy: { ...ON_POLICY, ...o } },
    });
    for (const o of [{ rounds: 0 }, { variations: 7 }, { noise: -1 }, { candidates: 1 }, { steps: 1.5 }])
      expect(() => dynamicsFamily.validateModelConfig(withOnPolicy(o))).toThrow(InvalidArgumentError);
    const model = dynamicsFamily.build(withOnPolicy({ steps: 5 }), 3);
    expect(() => dynamicsFamily.learner(model, base.data, TRAIN)).toThrow(/shorter than contexts/);
    model.dispose();
    base.model.dispose();
  });
});
