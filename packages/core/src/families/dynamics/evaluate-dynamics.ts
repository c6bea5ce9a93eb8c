import * as tf from '@tensorflow/tfjs-core';
import { meanCi95 } from '../../eval/stats.js';
import { Rng } from '../../random/rng.js';
import { checkInt } from '../../validate/checks.js';
import type { VariationRecord } from './collect.js';
import type { DynamicsData } from './dynamics-data.js';
import { checkSameEnv } from './dynamics-data.js';
import { inputSize } from './dynamics-config.js';
import { disposeContext, type DynamicsModel } from './dynamics-model.js';
import { writeFeatures } from './features.js';
import { stateSize } from './physics.js';
import { contextArrays, writeTransition } from './sampling.js';
import type { VariationKind } from './variations.js';

export interface DynamicsEvalOptions {
  /** Context transitions K per variation. */
  context: number;
  /** Held-out variations per set (at most the data's evalVariations; default all). */
  variations?: number;
  /** Open-loop horizons (steps). */
  horizons: number[];
  /** Rollout start states per variation. */
  rolloutStarts: number;
  /** Also evaluate the extrapolation set. */
  extrapolation: boolean;
  /** Chooses where in the episode each context window lies. */
  seed: number;
}

export interface DynamicsSetResult {
  variations: number;
  oneStepNmse: number;
  ci95: number;
  /** By horizon name, e.g. h10. */
  horizonNmse: Record<string, number>;
  horizonCi95: Record<string, number>;
  adaptMsPerTask: number;
  /** Unstable variations skipped while simulating the set. */
  unstableSkipped: number;
}

/** A squared normalised error above this counts as this: one diverged rollout must not make a mean infinite. */
const ERROR_CAP = 1e6;
const capped = (v: number) => (Number.isFinite(v) ? Math.min(v, ERROR_CAP) : ERROR_CAP);

/** Open-loop rollouts from real start states with the real actions: squared errors per variation and horizon. */
function rolloutErrors(
  model: DynamicsModel,
  state: readonly tf.Tensor[],
  records: readonly VariationRecord[],
  horizons: readonly number[],
  R: number,
): number[][] {
  const env = model.config.env;
  const S = stateSize(env);
  const inN = inputSize(env);
  const V = records.length;
  const H = Math.max(...horizons);
  const episodes = records.map((r) => r.episodes[1]);
  const L = episodes[0].actions.length / env.nu;
  const starts = Array.from({ length: R }, (_, r) => Math.floor((r * (L - H)) / Math.max(1, R - 1)));
  const s = new Float64Array(V * R * S);
  episodes.forEach((e, v) =>
    starts.forEach((t0, r) => {
      for (let i = 0; i < S; i++) s[(v * R + r) * S + i] = e.states[t0 * S + i];
    }),
  );
  const x = new Float32Array(V * R * inN);
  const sq = horizons.map(() => new Float64Array(V * R * S));
  const changes = horizons.map(() => new Float64Array(V * R * S));
  for (let j = 0; j < H; j++) {
    episodes.forEach((e, v) =>
      starts.forEach((t0, r) => {
        const row = v * R + r;
        writeFeatures(env, s, row * S, e.actions, (t0 + j) * env.nu, x, row * inN);
      }),
    );
    const d = model.predictDelta(state, x, V, R);
    for (let i = 0; i < s.length; i++) s[i] += d[i];
    const h = horizons.indexOf(j + 1);
    if (h < 0) continue;
    episodes.forEach((e, v) =>
      starts.forEach((t0, r) => {
        for (let i = 0; i < S; i++) {
          const at = (v * R + r) * S + i;
          const truth = e.states[(t0 + j + 1) * S + i];
          sq[h][at] = (s[at] - truth) ** 2;
          changes[h][at] = truth - e.states[t0 * S + i];
        }
      }),
    );
  }
  // Each dimension's error over the variance of its true h-step change on this set: 1 is as good
  // as always predicting the average change.
  return horizons.map((_, h) => {
    const variance = new Float64Array(S);
    const mean = new Float64Array(S);
    const n = V * R;
    for (let k = 0; k < n; k++) for (let i = 0; i < S; i++) mean[i] += changes[h][k * S + i] / n;
    for (let k = 0; k < n; k++)
      for (let i = 0; i < S; i++) variance[i] += (changes[h][k * S + i] - mean[i]) ** 2 / Math.max(1, n - 1);
    return records.map((_, v) => {
      let sum = 0;
      for (let k = v * R; k < (v + 1) * R; k++)
        for (let i = 0; i < S; i++) sum += capped(sq[h][k * S + i] / Math.max(variance[i], 1e-12));
      return sum / (R * S);
    });
  });
}

/** One-step and open-loop errors of `model` on one held-out set, adapting to each variation from K transitions. */
export function evaluateDynamicsSet(
  model: DynamicsModel,
  data: DynamicsData,
  kind: VariationKind,
  o: DynamicsEvalOptions,
): DynamicsSetResult {
  checkSameEnv(model.config.env, data.sim);
  const set = data.set(kind);
  const V = Math.min(o.variations ?? set.records.length, set.records.length);
  checkInt('context', o.context, 1, data.settings.length);
  const records = set.records.slice(0, V);
  const env = model.config.env;
  const S = stateSize(env);
  const inN = inputSize(env);
  const K = o.context;
  const rng = Rng.fromSeed(o.seed, `dynamics-eval-${kind}`);
  const L = data.settings.length;
  const windows = records.map((record) => ({ record, episode: 0, start: rng.int(L - K + 1) }));
  const ctx = model.contextTensors(contextArrays(env, windows, K, data.settings.range));
  let state: tf.Tensor[] = [];
  try {
    // The first pass sets up kernels and buffers: timed is the second, as a controller would see.
    tf.dispose(model.adapt(ctx));
    const t0 = performance.now();
    state = model.adapt(ctx);
    for (const t of state) t.dataSync();
    const adaptMs = performance.now() - t0;
    // One step: every transition of the variation's other episode.
    const x = new Float32Array(V * L * inN);
    const y = new Float32Array(V * L * S);
    records.forEach((r, v) => {
      for (let t = 0; t < L; t++)
        writeTransition(env, r.episodes[1], t, x, (v * L + t) * inN, y, (v * L + t) * S);
    });
    const perVar = tf.tidy(() => {
      const xn = tf.tensor3d(model.normalisedInputs(x), [V, L, inN]);
      const yn = tf.tensor3d(model.normalisedTargets(y), [V, L, S]);
      return tf.mean(tf.squaredDifference(model.method.predict(model.weights, state, xn), yn), [1, 2]);
    });
    const oneStep = Array.from(perVar.dataSync(), capped);
    perVar.dispose();
    const oneStepStats = meanCi95(oneStep);
    const errors = rolloutErrors(model, state, records, o.horizons, o.rolloutStarts);
    const horizonNmse: Record<string, number> = {};
    const horizonCi95: Record<string, number> = {};
    o.horizons.forEach((h, i) => {
      const r = meanCi95(errors[i]);
      horizonNmse[`h${h}`] = r.mean;
      horizonCi95[`h${h}`] = r.ci95;
    });
    return {
      variations: V,
      oneStepNmse: oneStepStats.mean,
      ci95: oneStepStats.ci95,
      horizonNmse,
      horizonCi95,
      adaptMsPerTask: adaptMs / V,
      unstableSkipped: set.skipped,
    };
  } finally {
    disposeContext(ctx);
    tf.dispose(state);
  }
}
