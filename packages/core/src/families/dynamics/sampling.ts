import type { Rng } from '../../random/rng.js';
import type { VariationRecord } from './collect.js';
import { inputSize } from './dynamics-config.js';
import type { ContextArrays } from './dynamics-model.js';
import { writeFeatures } from './features.js';
import type { DynamicsEnvInfo, SimEpisode } from './physics.js';
import { stateSize } from './physics.js';
import { variationFeatures, variationFeatureSize } from './variations.js';

/** Writes transition t of `e`: input features at x[xAt…], Δs at y[yAt…]. */
export function writeTransition(
  env: DynamicsEnvInfo,
  e: SimEpisode,
  t: number,
  x: Float32Array,
  xAt: number,
  y: Float32Array,
  yAt: number,
): void {
  const S = stateSize(env);
  writeFeatures(env, e.states, t * S, e.actions, t * env.nu, x, xAt);
  for (let i = 0; i < S; i++) y[yAt + i] = e.states[(t + 1) * S + i] - e.states[t * S + i];
}

export interface ContextWindow {
  record: VariationRecord;
  episode: number;
  start: number;
}

/**
 * The context of T variations: K consecutive transitions each (what a controller has just seen,
 * as in GrBAL/ReBAL's recent-history adaptation), from the given episode and start.
 */
export function contextArrays(
  env: DynamicsEnvInfo,
  windows: readonly ContextWindow[],
  K: number,
  range: number,
): ContextArrays {
  const T = windows.length;
  const inN = inputSize(env);
  const S = stateSize(env);
  const F = variationFeatureSize(env);
  const x = new Float32Array(T * K * inN);
  const y = new Float32Array(T * K * S);
  const factors = new Float32Array(T * F);
  windows.forEach((w, i) => {
    const e = w.record.episodes[w.episode];
    for (let k = 0; k < K; k++)
      writeTransition(env, e, w.start + k, x, (i * K + k) * inN, y, (i * K + k) * S);
    factors.set(variationFeatures(w.record.variation, range, env.nu), i * F);
  });
  return { T, K, x, y, factors, factorSize: F };
}

/** A random episode of the window's variation other than the context's: where its queries come from. */
export function otherEpisode(w: ContextWindow, rng: Rng): SimEpisode {
  const E = w.record.episodes.length;
  return w.record.episodes[(w.episode + 1 + rng.int(E - 1)) % E];
}

/** Query transitions of T variations: Q drawn at random from another episode than the context's. */
export function queryArrays(
  env: DynamicsEnvInfo,
  windows: readonly ContextWindow[],
  Q: number,
  rng: Rng,
): { x: Float32Array; y: Float32Array } {
  const inN = inputSize(env);
  const S = stateSize(env);
  const x = new Float32Array(windows.length * Q * inN);
  const y = new Float32Array(windows.length * Q * S);
  windows.forEach((w, i) => {
    const e = otherEpisode(w, rng);
    const L = e.actions.length / env.nu;
    for (let q = 0; q < Q; q++) writeTransition(env, e, rng.int(L), x, (i * Q + q) * inN, y, (i * Q + q) * S);
  });
  return { x, y };
}

/** A random context window of K transitions in a random episode of `record`. */
export function randomWindow(
  env: DynamicsEnvInfo,
  record: VariationRecord,
  K: number,
  rng: Rng,
): ContextWindow {
  const episode = rng.int(record.episodes.length);
  const L = record.episodes[episode].actions.length / env.nu;
  return { record, episode, start: rng.int(L - K + 1) };
}
