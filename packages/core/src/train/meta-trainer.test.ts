import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '../index.js';
import { smallModel } from '../conformance/fixtures.js';
import { MetaTrainer } from './meta-trainer.js';
import { DivergenceError } from '../errors/errors.js';
import { defaultTrainConfig, type TrainConfig } from './train-config.js';
import { sinusoidFamily } from '../families/sinusoid/family.js';
import type { HypernetModel } from '../model/hypernet-model.js';
import { evaluateRegression } from '../eval/evaluate-regression.js';
import { drawSinusoidTasks } from '../families/sinusoid/sinusoid-tasks.js';

const sinusoidTrainer = (m: HypernetModel, c: TrainConfig) =>
  new MetaTrainer(sinusoidFamily.learner(m, undefined, c), c);
const evaluateSinusoid = (m: HypernetModel, o: { tasks: number; shots: number; seed: number }) =>
  evaluateRegression(m, drawSinusoidTasks, o);

const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...defaultTrainConfig(),
  steps: 200,
  metaBatch: 8,
  warmup: 10,
  ...over,
});

function weights(trainer: MetaTrainer): number[] {
  return trainer.learner.store.variables.flatMap((v) => Array.from(v.dataSync()));
}

describe('MetaTrainer', () => {
  it('lowers the query loss of a small model within a few hundred steps', async () => {
    await tf.setBackend('cpu');
    const model = smallModel();
    const before = evaluateSinusoid(model, { tasks: 200, shots: 5, seed: 9 }).mse;
    const trainer = sinusoidTrainer(model, config());
    for (let i = 0; i < 200; i++) trainer.runStep();
    const after = evaluateSinusoid(model, { tasks: 200, shots: 5, seed: 9 }).mse;
    expect(after).toBeLessThan(before * 0.6);
    trainer.dispose();
    model.dispose();
  });

  it('is reproducible: same seed, same backend, same numbers', async () => {
    const run = (seed: number) => {
      const model = smallModel({
        conditioning: 'noise',
        inner: { steps: 1, target: 'params', lr: 0.01, order: 1, learnLr: true },
      });
      const trainer = sinusoidTrainer(model, config({ seed }));
      const losses = Array.from({ length: 5 }, () => trainer.runStep().loss);
      const w = weights(trainer);
      trainer.dispose();
      model.dispose();
      return { losses, w };
    };
    const a = run(3),
      b = run(3),
      c = run(4);
    expect(b).toEqual(a);
    expect(c.losses).not.toEqual(a.losses);
  });

  it('stops on a non-finite loss before touching the weights', () => {
    const model = smallModel();
    const trainer = sinusoidTrainer(model, config({ lr: 1e-3 }));
    trainer.runStep();
    const w = weights(trainer);
    model.store.variables[0].assign(tf.fill(model.store.variables[0].shape, NaN));
    const poisoned = weights(trainer);
    let err: unknown;
    try {
      trainer.runStep();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).step).toBe(2);
    expect((err as Error).message).toMatch(/step 2: the loss is NaN/);
    expect(weights(trainer)).toEqual(poisoned);
    expect(trainer.step).toBe(1);
    expect(w.length).toBe(poisoned.length);
    trainer.dispose();
    model.dispose();
  });

  it('rejects bad configurations with a clear message', () => {
    const model = smallModel();
    expect(() => sinusoidTrainer(model, config({ metaBatch: 0 }))).toThrow(
      /meta-batch must be an integer from 1/,
    );
    expect(() => sinusoidTrainer(model, config({ shotsMin: 5, shotsMax: 2 }))).toThrow(/shots \(max\)/);
    expect(() => sinusoidTrainer(model, config({ lr: -1 }))).toThrow(/lr must be a positive number/);
    model.dispose();
  });
});
