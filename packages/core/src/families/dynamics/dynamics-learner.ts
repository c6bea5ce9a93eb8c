import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { perTaskMse } from '../../model/losses.js';
import type { Rng } from '../../random/rng.js';
import type { MetaLearner, StepObjective } from '../../train/meta-learner.js';
import type { TrainConfig } from '../../train/train-config.js';
import type { DynamicsData } from './dynamics-data.js';
import { checkSameEnv } from './dynamics-data.js';
import { disposeContext, type DynamicsModel } from './dynamics-model.js';
import { checkOnPolicy, onPolicyBeforeStep } from './on-policy.js';
import { rolloutArrays, rolloutLoss } from './rollout-loss.js';
import { type ContextWindow, contextArrays, queryArrays, randomWindow } from './sampling.js';

/** What a step's queries add to its objective: their loss given the adapted state, and tensors to free. */
interface QueryObjective {
  tensors: tf.Tensor[];
  loss: (state: tf.Tensor[]) => tf.Scalar;
}

/**
 * Meta-training a dynamics model: each step draws `metaBatch` training variations, a context of
 * K consecutive transitions from one episode of each (K drawn per step in [shotsMin, shotsMax]),
 * and `queries` transitions from another episode; the objective is the mean normalised one-step
 * error on the queries after adaptation, or with `rollout` H > 1 the mean error of the queries'
 * open-loop predictions 1…H steps ahead. Every method trains on exactly these batches. With
 * on-policy settings, control episodes with the model being trained join the data at the
 * boundaries of training's phases (on-policy.ts).
 */
export class DynamicsLearner implements MetaLearner {
  constructor(
    readonly model: DynamicsModel,
    readonly data: DynamicsData,
    readonly config: TrainConfig,
  ) {
    checkSameEnv(model.config.env, data.sim);
    if (config.shotsMax > data.settings.length)
      throw new InvalidArgumentError(
        `contexts of up to ${config.shotsMax} transitions do not fit episodes of ${data.settings.length} steps`,
      );
    checkOnPolicy(model, data, config);
  }

  beforeStep(step: number): void {
    onPolicyBeforeStep(this.model, this.data, this.config, step);
  }

  get store() {
    return this.model.store;
  }

  stepObjective(taskRng: Rng): StepObjective {
    const c = this.config;
    const m = this.model;
    const env = m.config.env;
    const records = this.data.set('train').records;
    const K = c.shotsMin + taskRng.int(c.shotsMax - c.shotsMin + 1);
    const windows = Array.from({ length: c.metaBatch }, () =>
      randomWindow(env, records[taskRng.int(records.length)], K, taskRng),
    );
    const ctx = m.contextTensors(contextArrays(env, windows, K, this.data.settings.range));
    const H = m.config.rollout ?? 1;
    const queries = H > 1 ? this.rolloutQueries(windows, H, taskRng) : this.oneStepQueries(windows, taskRng);
    const prepared = m.method.prepare?.(m.weights, ctx);
    return {
      shots: K,
      loss: () => queries.loss(m.method.adapt(m.weights, ctx, prepared)),
      dispose: () => {
        disposeContext(ctx);
        tf.dispose([...queries.tensors, ...(prepared ?? [])]);
      },
    };
  }

  /** `queries` transitions per variation from another episode; the loss is their one-step error. */
  private oneStepQueries(windows: readonly ContextWindow[], rng: Rng): QueryObjective {
    const c = this.config;
    const m = this.model;
    const q = queryArrays(m.config.env, windows, c.queries, rng);
    const T = windows.length;
    const qx = tf.tensor3d(m.normalisedInputs(q.x), [T, c.queries, m.inSize]);
    const qy = tf.tensor3d(m.normalisedTargets(q.y), [T, c.queries, m.outSize]);
    return {
      tensors: [qx, qy],
      loss: (state) => tf.mean(perTaskMse(m.method.predict(m.weights, state, qx), qy)) as tf.Scalar,
    };
  }

  /** `queries` open-loop sequences of H steps per variation; the loss is their mean error over the steps. */
  private rolloutQueries(windows: readonly ContextWindow[], H: number, rng: Rng): QueryObjective {
    const sequences = rolloutArrays(this.model.config.env, windows, this.config.queries, H, rng);
    return { tensors: [], loss: (state) => rolloutLoss(this.model, state, sequences) };
  }
}
