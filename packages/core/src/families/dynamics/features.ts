import type { DynamicsEnvInfo } from './physics.js';
import { stateSize } from './physics.js';
import type { DynamicsNorm } from './dynamics-config.js';
import { inputSize } from './dynamics-config.js';

/**
 * Network input of one transition at `out[at…]`: the state in order with each unbounded angle as
 * (sin, cos) — its value grows without bound as a pendulum spins, the pair does not — then the
 * action. Returns the next offset.
 */
export function writeFeatures(
  env: DynamicsEnvInfo,
  state: ArrayLike<number>,
  stateAt: number,
  action: ArrayLike<number>,
  actionAt: number,
  out: Float32Array,
  at: number,
): number {
  const S = stateSize(env);
  const angles = env.angleIndices;
  for (let i = 0; i < S; i++) {
    const v = state[stateAt + i];
    if (angles.includes(i)) {
      out[at++] = Math.sin(v);
      out[at++] = Math.cos(v);
    } else out[at++] = v;
  }
  for (let j = 0; j < env.nu; j++) out[at++] = action[actionAt + j];
  return at;
}

/** Mean and standard deviation per column of `rows` (n × width); a constant column gets std 1. */
export function columnStats(rows: Float32Array, width: number): { mean: number[]; std: number[] } {
  const n = rows.length / width;
  const mean = new Float64Array(width);
  const sq = new Float64Array(width);
  for (let r = 0; r < n; r++) for (let j = 0; j < width; j++) mean[j] += rows[r * width + j];
  for (let j = 0; j < width; j++) mean[j] /= n;
  for (let r = 0; r < n; r++) for (let j = 0; j < width; j++) sq[j] += (rows[r * width + j] - mean[j]) ** 2;
  const std = Array.from(sq, (s) => {
    const v = Math.sqrt(s / Math.max(1, n - 1));
    return v > 1e-8 ? v : 1;
  });
  return { mean: Array.from(mean), std };
}

/** In place: (x − mean) / std per column. */
export function normaliseRows(
  rows: Float32Array,
  mean: readonly number[],
  std: readonly number[],
): Float32Array {
  const w = mean.length;
  for (let i = 0; i < rows.length; i++) rows[i] = (rows[i] - mean[i % w]) / std[i % w];
  return rows;
}

/** Identity statistics, for a model not yet fitted to data. */
export function identityNorm(env: DynamicsEnvInfo): DynamicsNorm {
  const inN = inputSize(env);
  const outN = stateSize(env);
  return {
    inMean: new Array(inN).fill(0),
    inStd: new Array(inN).fill(1),
    outMean: new Array(outN).fill(0),
    outStd: new Array(outN).fill(1),
  };
}
