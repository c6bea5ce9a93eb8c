import {
  contextArrays,
  disposeContext,
  type DynamicsEnvInfo,
  type DynamicsEnvSpec,
  type DynamicsModel,
  dynamicsInputSize,
  dynamicsStateSize,
  InvalidArgumentError,
  Rng,
  tf,
  type VariationRecord,
  writeFeatures,
} from '@hypermeta/core';

/** Which held-out rollouts to draw. */
export interface RolloutOptions {
  /** Held-out variations (the first ones of the set). */
  variations: number;
  /** Open-loop steps. */
  horizon: number;
  /** Context transitions the model adapts from. */
  context: number;
  /** The evaluation seed: with it the context windows are the ones `eval` draws for these variations. */
  seed: number;
  /** Exponent range the model's factor inputs are scaled by (its training range). */
  range: number;
}

/** Open-loop rollouts of one model: V × (H + 1) × S predicted and true states, row-major. */
export interface Rollouts {
  variations: number;
  horizon: number;
  stateSize: number;
  /** The step of the scored episode each rollout starts from. */
  start: number;
  predicted: Float64Array;
  truth: Float64Array;
}

/**
 * The step rollouts start from: the middle of the scored episode, so the body is already moving
 * and the whole horizon fits.
 */
export function rolloutStart(length: number, horizon: number): number {
  if (horizon > length)
    throw new InvalidArgumentError(`--horizon ${horizon}: the held-out episodes last ${length} steps`);
  return Math.floor((length - horizon) / 2);
}

/**
 * Adapts `model` to each variation from K transitions of its first episode (the windows
 * `evaluateDynamicsSet` draws for the same seed), then rolls it out open-loop through its second
 * episode: from a real state, with the real actions, feeding its own predictions back.
 */
export function openLoopRollouts(
  model: DynamicsModel,
  records: readonly VariationRecord[],
  o: RolloutOptions,
): Rollouts {
  const env = model.config.env;
  const S = dynamicsStateSize(env);
  const inN = dynamicsInputSize(env);
  const V = Math.min(o.variations, records.length);
  const used = records.slice(0, V);
  const L = used[0].episodes[0].actions.length / env.nu;
  if (o.context > L) throw new InvalidArgumentError(`--context ${o.context}: episodes last ${L} steps`);
  const H = o.horizon;
  const t0 = rolloutStart(L, H);
  const rng = Rng.fromSeed(o.seed, 'dynamics-eval-eval');
  const windows = used.map((record) => ({ record, episode: 0, start: rng.int(L - o.context + 1) }));
  const ctx = model.contextTensors(contextArrays(env, windows, o.context, o.range));
  let state: tf.Tensor[] = [];
  const predicted = new Float64Array(V * (H + 1) * S);
  const truth = new Float64Array(V * (H + 1) * S);
  try {
    state = model.adapt(ctx);
    const s = new Float64Array(V * S);
    const x = new Float32Array(V * inN);
    used.forEach((r, v) => {
      const e = r.episodes[1];
      for (let h = 0; h <= H; h++)
        for (let i = 0; i < S; i++) truth[(v * (H + 1) + h) * S + i] = e.states[(t0 + h) * S + i];
      for (let i = 0; i < S; i++) s[v * S + i] = e.states[t0 * S + i];
    });
    const record = (h: number) => {
      for (let v = 0; v < V; v++)
        for (let i = 0; i < S; i++) predicted[(v * (H + 1) + h) * S + i] = s[v * S + i];
    };
    record(0);
    for (let h = 0; h < H; h++) {
      used.forEach((r, v) =>
        writeFeatures(env, s, v * S, r.episodes[1].actions, (t0 + h) * env.nu, x, v * inN),
      );
      const d = model.predictDelta(state, x, V, 1);
      for (let i = 0; i < s.length; i++) s[i] += d[i];
      record(h + 1);
    }
  } finally {
    disposeContext(ctx);
    tf.dispose(state);
  }
  return { variations: V, horizon: H, stateSize: S, start: t0, predicted, truth };
}

/** What each state value is: `qpos k` for the kept position entries, then `qvel k`. */
export function stateNames(env: Pick<DynamicsEnvInfo, 'nq' | 'nv' | 'droppedQpos'>): string[] {
  const dropped = new Set(env.droppedQpos);
  const qpos = Array.from({ length: env.nq }, (_, k) => k).filter((k) => !dropped.has(k));
  return [...qpos.map((k) => `qpos ${k}`), ...Array.from({ length: env.nv }, (_, k) => `qvel ${k}`)];
}

/** One point of the rollout figure (long format: one row per series, variation, dimension and step). */
export interface RolloutPoint {
  variation: string;
  dim: string;
  seconds: number;
  value: number;
  series: string;
}

/**
 * Describes a variation by its mass factors, the first thing that changes a body's motion; a body
 * of more than three parts by their range, since a factor per part (seven on the cheetah) makes a
 * row title longer than its row.
 */
function variationLabel(index: number, r: VariationRecord, base: number): string {
  const factors = Array.from(r.variation.body, (u) => base ** u);
  const mass =
    factors.length > 3
      ? `×${Math.min(...factors).toFixed(2)}–${Math.max(...factors).toFixed(2)}`
      : factors.map((f) => `×${f.toFixed(2)}`).join(' ');
  const motor = r.variation.disabledActuator >= 0 ? `, motor ${r.variation.disabledActuator} off` : '';
  return `variation ${index + 1}: mass ${mass}${motor}`;
}

/**
 * The rollout figure's points: the true states once (from the first model's rollouts: every
 * model is rolled out over the same records), then each model's predictions, for `dims`.
 */
export function rolloutPoints(
  env: Pick<DynamicsEnvSpec, 'nq' | 'nv' | 'droppedQpos' | 'dt'>,
  records: readonly VariationRecord[],
  models: readonly { label: string; rollouts: Rollouts }[],
  dims: readonly number[],
  base = 1.5,
): RolloutPoint[] {
  const names = stateNames(env);
  const first = models[0].rollouts;
  for (const d of dims)
    if (!Number.isInteger(d) || d < 0 || d >= first.stateSize)
      throw new InvalidArgumentError(
        `--dims: state value ${d} does not exist (the state has ${first.stateSize})`,
      );
  const points: RolloutPoint[] = [];
  const add = (series: string, r: Rollouts, values: Float64Array) => {
    for (let v = 0; v < r.variations; v++)
      for (const d of dims)
        for (let h = 0; h <= r.horizon; h++)
          points.push({
            variation: variationLabel(v, records[v], base),
            dim: names[d],
            seconds: Number((h * env.dt).toFixed(9)),
            value: values[(v * (r.horizon + 1) + h) * r.stateSize + d],
            series,
          });
  };
  add('true', first, first.truth);
  for (const m of models) add(m.label, m.rollouts, m.rollouts.predicted);
  return points;
}
