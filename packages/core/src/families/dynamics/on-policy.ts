import { CemPlanner, cemOptionsFor } from '../../control/planner.js';
import { DataError, InvalidArgumentError } from '../../errors/errors.js';
import { Rng } from '../../random/rng.js';
import type { TrainConfig } from '../../train/train-config.js';
import { unstable } from './collect.js';
import { runControlEpisode } from './control-episode.js';
import { dynamicsControlTask } from './control-tasks.js';
import type { DynamicsOnPolicyConfig } from './dynamics-config.js';
import type { DynamicsData } from './dynamics-data.js';
import type { DynamicsModel } from './dynamics-model.js';
import { onPolicyRoundStep } from './on-policy-config.js';
import { isSteppable, type SimEpisode, stateSize, type SteppableSimulator } from './physics.js';

/** One collected episode and the training variation (index into the training records) it ran on. */
export interface OnPolicyEpisode extends SimEpisode {
  record: number;
}

/** What one round added to the training data, and how it went. */
export interface OnPolicyRound {
  round: number;
  /** The training step it was collected before. */
  step: number;
  episodes: OnPolicyEpisode[];
  /** Episodes dropped because the simulation failed or blew up. */
  dropped: number;
  /** Mean return (the control task's reward) of the kept episodes; 0 when none was kept. */
  meanReturn: number;
  /** Wall seconds the collection took. */
  seconds: number;
}

/**
 * Where a training's on-policy rounds are kept and told, set on `DynamicsData` by the caller
 * that owns the run's storage (the command line saves them in the run folder). Collected rounds
 * depend on the model at collection time, so a resumed run must load them rather than collect
 * them again with another model.
 */
export interface OnPolicyIo {
  /** A round saved earlier in this run, or undefined when none was; throws DataError when it is damaged. */
  load?(round: number): OnPolicyRound | undefined;
  /** Saves a round just collected (before any step trains on it). */
  save?(round: OnPolicyRound): void;
  /** Tells of a round added to the data (collected now, or `loaded`). */
  report?(round: OnPolicyRound, loaded: boolean): void;
}

/** The world an on-policy round runs in: the data's simulator, which must run stepwise. */
function steppable(data: DynamicsData): SteppableSimulator {
  if (!isSteppable(data.sim))
    throw new InvalidArgumentError(`${data.info.name}: on-policy data needs a simulator that runs stepwise`);
  return data.sim;
}

/**
 * Refuses on-policy settings the model or simulator cannot run, before training starts: a body
 * without a control task, a simulator that cannot step, episodes shorter than a context.
 */
export function checkOnPolicy(model: DynamicsModel, data: DynamicsData, train: TrainConfig): void {
  const o = model.config.data.onPolicy;
  if (!o) return;
  steppable(data);
  dynamicsControlTask(model.config.env);
  if (o.steps < train.shotsMax)
    throw new InvalidArgumentError(
      `on-policy episodes of ${o.steps} steps are shorter than contexts of up to ${train.shotsMax} transitions`,
    );
}

/**
 * Round `round`: one MPC episode with the current model on each of `variations` training
 * variations (drawn without repeats by the round's own stream), the model adapting online from
 * the last K transitions as in `hypermeta control`, planning for the body's control task, with
 * exploration noise on the executed actions. Episodes whose simulation fails are dropped.
 */
export function collectOnPolicyRound(
  model: DynamicsModel,
  data: DynamicsData,
  o: DynamicsOnPolicyConfig,
  round: number,
  step: number,
): OnPolicyRound {
  const t0 = performance.now();
  const world = steppable(data);
  const env = model.config.env;
  const seed = data.settings.seed;
  const records = data.set('train').records;
  const rng = Rng.fromSeed(seed, `on-policy-${round}`);
  const chosen = rng.shuffle(records.map((_, i) => i)).slice(0, Math.min(o.variations, records.length));
  const task = dynamicsControlTask(env);
  const cem = cemOptionsFor(env.ctrlRange, o);
  const source = {
    kind: 'learned',
    model,
    context: model.config.context,
    adaptEvery: 1,
    range: data.settings.range,
  } as const;
  const episodes: OnPolicyEpisode[] = [];
  let dropped = 0;
  let returns = 0;
  chosen.forEach((record, i) => {
    const label = `on-policy-${round}-${i}`;
    const r = runControlEpisode(
      world,
      {
        task,
        variation: records[record].variation,
        start: task.start(rng),
        steps: o.steps,
        change: { kind: 'none' },
        changeAt: o.steps,
        explore: { scale: o.noise, rng: Rng.fromSeed(seed, `${label}-noise`) },
      },
      new CemPlanner(cem, Rng.fromSeed(seed, label)),
      source,
    );
    if (r.failed || unstable(r.states)) {
      dropped++;
      return;
    }
    episodes.push({ record, states: r.states, actions: r.actions });
    returns += r.return;
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    round,
    step,
    episodes,
    dropped,
    meanReturn: episodes.length ? returns / episodes.length : 0,
    seconds,
  };
}

/**
 * Appends a round's episodes to their variations' records, after checking that they fit the data
 * (a loaded round is untrusted input): context and query sampling then draw from them as from
 * any episode.
 */
export function appendOnPolicyRound(data: DynamicsData, r: OnPolicyRound): void {
  const records = data.set('train').records;
  const S = stateSize(data.info);
  const nu = data.info.nu;
  for (const e of r.episodes) {
    const L = e.actions.length / nu;
    const fits =
      Number.isInteger(e.record) &&
      e.record >= 0 &&
      e.record < records.length &&
      Number.isInteger(L) &&
      L >= 1 &&
      e.states.length === (L + 1) * S;
    if (!fits)
      throw new DataError(
        `on-policy round ${r.round}: an episode does not fit the training data ` +
          `(variation ${e.record} of ${records.length}, ` +
          `${e.actions.length} action and ${e.states.length} state values)`,
      );
  }
  for (const e of r.episodes) records[e.record].episodes.push({ states: e.states, actions: e.actions });
  data.onPolicyRounds.add(r.round);
}

/**
 * Before training step `step`: adds every round whose step has come and that the data lacks.
 * A round whose step is `step` is collected now with the current model; one whose step has
 * passed (a resumed run) is loaded from where the run saved it, or, if it never was (the run's
 * step count changed on resume), collected now. Nothing happens without on-policy settings.
 */
export function onPolicyBeforeStep(
  model: DynamicsModel,
  data: DynamicsData,
  train: TrainConfig,
  step: number,
): void {
  const o = model.config.data.onPolicy;
  if (!o) return;
  for (let round = 1; round <= o.rounds; round++) {
    if (data.onPolicyRounds.has(round)) continue;
    if (onPolicyRoundStep(train.steps, o.rounds, round) > step) break;
    const io = data.onPolicyIo;
    // Collected at its own step, a round is collected again rather than loaded: a run resumed
    // there (or rolled back to before it) has the model the round must come from.
    const loaded = onPolicyRoundStep(train.steps, o.rounds, round) < step ? io?.load?.(round) : undefined;
    const r = loaded ?? collectOnPolicyRound(model, data, o, round, step);
    appendOnPolicyRound(data, r);
    if (!loaded) io?.save?.(r);
    io?.report?.(r, loaded !== undefined);
  }
}
