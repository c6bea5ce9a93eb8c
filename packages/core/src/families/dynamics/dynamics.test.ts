import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidArgumentError } from '../../errors/errors.js';
import { Rng } from '../../random/rng.js';
import { taskStreams } from '../../random/streams.js';
import { MetaTrainer } from '../../train/meta-trainer.js';
import { collectVariations } from './collect.js';
import { DynamicsData } from './dynamics-data.js';
import { dynamicsFamily } from './family.js';
import { ToyPendulum } from './toy-pendulum.js';
import { sampleVariation, variationStreams } from './variations.js';
import type { DynamicsConfig } from './dynamics-config.js';

const settings = { range: 3, extrapolation: 4.5, brokenMotor: 0.5 };
const info = new ToyPendulum().info;
const draws = (rng: Rng, n: number, outside = false) =>
  Array.from({ length: n }, () => sampleVariation(info, settings, rng, outside));

describe('dynamics variations', () => {
  it('are the same for the same seed and differ between seeds', () => {
    const a = draws(variationStreams(7).train, 5);
    const b = draws(variationStreams(7).train, 5);
    const c = draws(variationStreams(8).train, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('never share a draw between training, evaluation, extrapolation and core streams', () => {
    const s = variationStreams(1);
    const first = (r: Rng) => r.uniform();
    const core = taskStreams(1);
    const values = [s.train, s.eval, s.extrapolation, core.train, core.eval, core.noise, core.pool].map(
      first,
    );
    expect(new Set(values).size).toBe(values.length);
    const train = new Set(draws(variationStreams(1).train, 200).map((v) => v.body[0]));
    for (const v of draws(variationStreams(1).eval, 200)) expect(train.has(v.body[0])).toBe(false);
  });

  it('keep training exponents in range and put every extrapolation exponent outside it', () => {
    for (const v of draws(variationStreams(2).train, 100))
      for (const u of [...v.body, ...v.dof, ...v.geom]) expect(Math.abs(u)).toBeLessThanOrEqual(3);
    for (const v of draws(variationStreams(2).extrapolation, 100, true))
      for (const u of [...v.body, ...v.dof, ...v.geom]) {
        expect(Math.abs(u)).toBeGreaterThan(3);
        expect(Math.abs(u)).toBeLessThanOrEqual(4.5);
      }
    const broken = draws(variationStreams(2).train, 200).filter((v) => v.disabledActuator >= 0).length;
    expect(broken).toBeGreaterThan(60);
    expect(broken).toBeLessThan(140);
  });
});

describe('dynamics data collection', () => {
  const options = { variations: 6, episodes: 2, length: 40, settings, outside: false };

  it('skips and counts unstable variations instead of failing or keeping NaN states', () => {
    const sim = new ToyPendulum((v) => v.body[0] > 1);
    const set = collectVariations(sim, options, Rng.fromSeed(3));
    expect(set.records).toHaveLength(6);
    expect(set.skipped).toBeGreaterThan(0);
    expect(set.reasons[0]).toMatch(/NaN/);
    for (const r of set.records) {
      expect(r.variation.body[0]).toBeLessThanOrEqual(1);
      for (const e of r.episodes) expect(e.states.every(Number.isFinite)).toBe(true);
    }
  });

  it('refuses with a DataError when almost every variation is unstable', () => {
    const sim = new ToyPendulum(() => true);
    expect(() => collectVariations(sim, options, Rng.fromSeed(3))).toThrow(DataError);
  });

  it('simulates the same transitions for the same seed', () => {
    const a = collectVariations(new ToyPendulum(), options, Rng.fromSeed(4));
    const b = collectVariations(new ToyPendulum(), options, Rng.fromSeed(4));
    expect(a.records[5].episodes[1].states).toEqual(b.records[5].episodes[1].states);
  });
});

describe('dynamics family', () => {
  const fx = dynamicsFamily.conformance();
  const hypernet = fx.configs[0];

  it('trains with normalisation from the data and finite weights, and evaluates both sets', () => {
    const data = fx.data();
    const config: DynamicsConfig = { ...hypernet, norm: data.normStats() };
    const before = tf.memory().numTensors;
    const model = dynamicsFamily.build(config, 3);
    const train = { ...dynamicsFamily.defaultTrainConfig('hypernet'), ...fx.train, steps: 3 };
    const trainer = new MetaTrainer(dynamicsFamily.learner(model, data, train), train);
    for (let i = 0; i < 3; i++) expect(Number.isFinite(trainer.runStep().loss)).toBe(true);
    const r = dynamicsFamily.evaluate(model, data, fx.evalOptions);
    expect(r.metric).toBe('oneStepNmse');
    expect(Number.isFinite(r.value)).toBe(true);
    const f = r.figures as { horizonNmse: Record<string, number>; extrapolation: { oneStepNmse: number } };
    expect(Object.keys(f.horizonNmse)).toEqual(['h10', 'h30']);
    expect(Number.isFinite(f.extrapolation.oneStepNmse)).toBe(true);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the oracle information the global model lacks', () => {
    // Same data, same steps: the oracle sees the factors, so it must fit the training batches better.
    const data = new DynamicsData(new ToyPendulum(), { ...hypernet.data, variations: 30 });
    const norm = data.normStats();
    const losses = (method: string) => {
      const c = { ...fx.configs.find((x) => x.method === method)!, hidden: [32, 32], norm };
      const model = dynamicsFamily.build(c, 3);
      const train = {
        ...dynamicsFamily.defaultTrainConfig(method),
        steps: 300,
        metaBatch: 8,
        lr: 3e-3,
        queries: 16,
        shotsMin: 8,
        shotsMax: 8,
      };
      const trainer = new MetaTrainer(dynamicsFamily.learner(model, data, train), train);
      let last = 0;
      for (let i = 0; i < train.steps; i++) {
        const l = trainer.runStep().loss;
        if (i >= train.steps - 50) last += l / 50;
      }
      trainer.dispose();
      model.dispose();
      return last;
    };
    expect(losses('oracle')).toBeLessThan(losses('global'));
  }, 60_000);

  it('refuses a model without actuators and an oversized state', () => {
    const env = { ...hypernet.env, nu: 0, ctrlRange: [] };
    expect(() => dynamicsFamily.validateModelConfig({ ...hypernet, env })).toThrow(/no actuator/);
    const big = { ...hypernet.env, nq: 300, nv: 300 };
    expect(() => dynamicsFamily.validateModelConfig({ ...hypernet, env: big })).toThrow(InvalidArgumentError);
  });
});
