import {
  type ContextArrays,
  contextArrays,
  type ContextWindow,
  disposeContext,
  type DynamicsData,
  type DynamicsModel,
  dynamicsInputSize,
  median,
  Rng,
  tf,
  writeTransition,
} from '@hypermeta/core';
import { rate } from '../../../bench/timing.js';

export interface GenerationResult {
  context: number;
  /** Weights of the generated dynamics network, per task. */
  generatedParams: number;
  /** Median ms of one task: its K transitions encoded, the network generated. */
  msPerTask: number;
  reps: number;
  /** The same for `batchTasks` tasks in one pass, µs per task (median of 5 passes after 1). */
  batchUsPerTask: number;
  batchTasks: number;
}

export interface PredictionRow {
  /** Tasks (each with its own generated network) × states per task, in one call. */
  tasks: number;
  states: number;
  /** Wall µs per call: as many calls as fill the measuring time, averaged. */
  usPerCall: number;
  predictionsPerS: number;
}

/** `n` context windows of K consecutive transitions, drawn from the collected variations. */
function windows(data: DynamicsData, K: number, n: number, rng: Rng): ContextWindow[] {
  const records = data.set('train').records;
  return Array.from({ length: n }, () => {
    const record = records[rng.int(records.length)];
    const episode = rng.int(record.episodes.length);
    const L = record.episodes[episode].actions.length / data.info.nu;
    return { record, episode, start: rng.int(L - K + 1) };
  });
}

/**
 * Context arrays → adapted (generated) networks, kept on the backend as the planner uses them.
 * Every backend the command line runs on (wasm, node, cpu) computes an op when it is called, so
 * the weights exist when `adapt` returns; reading 1,000 cheetah networks back (27 MB) would add a
 * copy no caller makes.
 */
function generate(model: DynamicsModel, c: ContextArrays): void {
  const ctx = model.contextTensors(c);
  tf.dispose(model.adapt(ctx));
  disposeContext(ctx);
}

/**
 * Section g: generation time per task. The context's transitions are taken as features and Δs
 * (what a controller has recorded); timed from there: normalisation, the set encoder over the K
 * pairs, the generator writing every weight of the dynamics MLP.
 */
export function generationBench(
  model: DynamicsModel,
  data: DynamicsData,
  o: { context: number; reps: number; batchTasks: number; seed: number },
): GenerationResult {
  const env = model.config.env;
  const range = data.settings.range;
  const rng = Rng.fromSeed(o.seed, 'bench-dynamics-generation');
  const single = windows(data, o.context, 64, rng).map((w) => contextArrays(env, [w], o.context, range));
  // V8 and the backend settle after a few hundred calls (as the sinusoid adaptation section finds).
  for (let i = 0; i < Math.min(300, 3 * o.reps); i++) generate(model, single[i % single.length]);
  const times: number[] = [];
  for (let i = 0; i < o.reps; i++) {
    const t0 = performance.now();
    generate(model, single[i % single.length]);
    times.push(performance.now() - t0);
  }
  const batch = contextArrays(env, windows(data, o.context, o.batchTasks, rng), o.context, range);
  const batchTimes: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    generate(model, batch);
    if (i > 0) batchTimes.push(performance.now() - t0);
  }
  const probe = model.contextTensors(single[0]);
  const theta = model.adapt(probe);
  const generatedParams = theta.reduce((a, t) => a + t.size, 0);
  tf.dispose(theta);
  disposeContext(probe);
  return {
    context: o.context,
    generatedParams,
    msPerTask: median(times),
    reps: o.reps,
    batchUsPerTask: (median(batchTimes) * 1000) / o.batchTasks,
    batchTasks: o.batchTasks,
  };
}

/**
 * Section h: one-step prediction throughput. T tasks' generated networks, N states and actions
 * each, in one call of `predictDelta` (raw inputs normalised, the T networks, Δs de-normalised
 * and read back), at each size asked for.
 */
export function predictionBench(
  model: DynamicsModel,
  data: DynamicsData,
  o: { context: number; sizes: [number, number][]; minMs: number; seed: number },
): PredictionRow[] {
  const env = model.config.env;
  const inN = dynamicsInputSize(env);
  const rng = Rng.fromSeed(o.seed, 'bench-dynamics-prediction');
  return o.sizes.map(([T, N]) => {
    const ws = windows(data, o.context, T, rng);
    const ctx = model.contextTensors(contextArrays(env, ws, o.context, data.settings.range));
    const state = model.adapt(ctx);
    disposeContext(ctx);
    // Real transitions of each task's own variation as the states and actions predicted from.
    const x = new Float32Array(T * N * inN);
    const y = new Float32Array(model.outSize);
    ws.forEach((w, t) => {
      const e = w.record.episodes[w.episode];
      const L = e.actions.length / env.nu;
      for (let n = 0; n < N; n++) writeTransition(env, e, rng.int(L), x, (t * N + n) * inN, y, 0);
    });
    try {
      const callsPerS = rate(() => model.predictDelta(state, x, T, N), {
        warmup: 20,
        minCalls: 5,
        minMs: o.minMs,
      });
      return { tasks: T, states: N, usPerCall: 1e6 / callsPerS, predictionsPerS: callsPerS * T * N };
    } finally {
      tf.dispose(state);
    }
  });
}
