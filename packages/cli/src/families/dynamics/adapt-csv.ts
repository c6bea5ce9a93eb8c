import {
  DataError,
  dynamicsInputSize,
  dynamicsStateSize,
  type DynamicsModel,
  tf,
  writeFeatures,
} from '@hypermeta/core';
import { readNumericCsv } from '../../io/csv-points.js';
import { writeCsv } from '../../io/csv-write.js';
import type { AdaptRequest } from '../cli-family.js';

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Input features of rows whose first S values are a state and next nu an action. */
function features(model: DynamicsModel, rows: number[][], S: number): Float32Array {
  const env = model.config.env;
  const inN = dynamicsInputSize(env);
  const x = new Float32Array(rows.length * inN);
  rows.forEach((r, i) => writeFeatures(env, r, 0, r, S, x, i * inN));
  return x;
}

/**
 * `adapt` for a dynamics model: the support CSV holds K transitions of one variation (columns
 * s0…, a0…, next_s0…), the query CSV states and actions (s0…, a0…); the output CSV the predicted
 * next states (next_s0…). Without --query the support's own transitions are predicted.
 */
export async function adaptDynamicsCsv(model: DynamicsModel, req: AdaptRequest): Promise<void> {
  const env = model.config.env;
  const S = dynamicsStateSize(env);
  const stateCols = names('s', S);
  const actionCols = names('a', env.nu);
  const support = readNumericCsv(req.support, [...stateCols, ...actionCols, ...names('next_s', S)]);
  const query = req.query ? readNumericCsv(req.query, [...stateCols, ...actionCols]) : support;
  if (support.length > 100_000) throw new DataError(`${req.support}: at most 100000 transitions`);
  const K = support.length;
  const y = new Float32Array(K * S);
  support.forEach((r, k) => {
    for (let i = 0; i < S; i++) y[k * S + i] = r[S + env.nu + i] - r[i];
  });
  const F = env.counts.bodies + env.counts.dofs + env.counts.geoms + env.counts.actuators;
  if (model.config.method === 'oracle')
    process.stderr.write(
      'hypermeta: warning: the oracle needs the true factors; adapt gives it none (zeros)\n',
    );
  const ctx = model.contextTensors({
    T: 1,
    K,
    x: features(model, support, S),
    y,
    factors: new Float32Array(F),
    factorSize: F,
  });
  const state = model.adapt(ctx);
  try {
    const d = model.predictDelta(state, features(model, query, S), 1, query.length);
    writeCsv(
      req.out,
      names('next_s', S),
      query.map((r, q) => Array.from({ length: S }, (_, i) => r[i] + d[q * S + i])),
    );
  } finally {
    tf.dispose([ctx.x, ctx.y, ctx.factors, ...state]);
  }
}
