import * as tf from '@tensorflow/tfjs-core';
import { checkInt } from '../validate/checks.js';
import type { HypernetModel } from '../model/hypernet-model.js';
import { perTaskMse } from '../model/losses.js';
import { Rng } from '../random/rng.js';
import { taskStreams } from '../random/streams.js';
import { disposeBatch, type TaskBatch } from '../tasks/task-batch.js';
import { meanCi95, median } from './stats.js';

/** Fresh tasks of a regression family: `n` tasks, with `shots` support and `queries` query points each. */
export type RegressionTaskDraw = (n: number, shots: number, queries: number, rng: Rng) => TaskBatch;

export interface RegressionEvalOptions {
  tasks: number;
  shots: number;
  /** Query points per task at which the MSE is measured. */
  queries?: number;
  seed: number;
  /** Tasks adapted together in one batched pass. */
  batchSize?: number;
  /** Also time one task alone (551 adaptations; default true). Periodic evaluations skip it. */
  latency?: boolean;
}

export interface RegressionEvalResult {
  tasks: number;
  shots: number;
  mse: number;
  ci95: number;
  /** Wall time of adaptation (code, generation, inner steps), per task, in batches of batchSize. */
  adaptMsPerTask: number;
  /** Median wall time to adapt to one task alone and predict its queries (absent with latency: false). */
  adaptMsSingleTask?: number;
}

/** Tasks adapted together: at most ~500k query points a batch (activations of larger batches can exceed wasm's 4 GB). */
export function evalBatchSize(tasks: number, queries: number, requested = 250): number {
  return Math.max(1, Math.min(requested, tasks, Math.floor(500_000 / queries)));
}

/** Query MSE on `tasks` fresh tasks from the evaluation stream, which training never draws from. */
export function evaluateRegression(
  model: HypernetModel,
  draw: RegressionTaskDraw,
  o: RegressionEvalOptions,
): RegressionEvalResult {
  checkInt('tasks', o.tasks, 1, 10_000_000);
  const queries = o.queries ?? 100;
  const batchSize = evalBatchSize(o.tasks, queries, o.batchSize);
  const rng = taskStreams(o.seed).eval;
  const noise = Rng.fromSeed(o.seed, 'eval-noise');
  const mses = new Float64Array(o.tasks);
  let adaptMs = 0;
  for (let at = 0; at < o.tasks; at += batchSize) {
    const n = Math.min(batchSize, o.tasks - at);
    const batch = draw(n, o.shots, queries, rng);
    try {
      const t0 = performance.now();
      const theta = model.adapt(batch, noise);
      for (const t of theta) t.dataSync();
      adaptMs += performance.now() - t0;
      const m = tf.tidy(() => perTaskMse(model.parts.taskNet.forward(theta, batch.queryX), batch.queryY!));
      mses.set(m.dataSync(), at);
      tf.dispose([m, ...theta]);
    } finally {
      disposeBatch(batch);
    }
  }
  const { mean, ci95 } = meanCi95(mses);
  return {
    tasks: o.tasks,
    shots: o.shots,
    mse: mean,
    ci95,
    adaptMsPerTask: adaptMs / o.tasks,
    ...(o.latency === false ? {} : { adaptMsSingleTask: singleTaskLatency(model, draw, o.shots, o.seed) }),
  };
}

/**
 * Warm-up runs before timing. V8 optimises tfjs's dispatch path over the first few hundred
 * adaptations (measured in a fresh process: median 0.17 ms over calls 100–150, 0.08 ms from
 * call 500 on); the figure reported is the steady state a long-running process sees.
 */
const LATENCY_WARMUP = 500;

/** Median over 51 runs (after the warm-up) of adapting to one task and predicting 10 points: the steady state. */
export function singleTaskLatency(
  model: HypernetModel,
  draw: RegressionTaskDraw,
  shots: number,
  seed: number,
): number {
  const rng = Rng.fromSeed(seed, 'latency');
  const times: number[] = [];
  for (let i = 0; i < LATENCY_WARMUP + 51; i++) {
    const batch = draw(1, shots, 10, rng);
    const t0 = performance.now();
    const pred = model.predict(batch, rng);
    pred.dataSync();
    if (i >= LATENCY_WARMUP) times.push(performance.now() - t0);
    pred.dispose();
    disposeBatch(batch);
  }
  return median(times);
}
