import type { BatchedDynamics, CemPlanner } from '../../control/planner.js';
import { recoverySeconds } from '../../control/recovery.js';
import { rewardOf } from '../../control/rewards.js';
import type { Rng } from '../../random/rng.js';
import { adaptToRecent, type LearnedDynamics, SimulatorDynamics } from './control-models.js';
import { changedVariation, type DynamicsChange, type DynamicsControlTask } from './control-tasks.js';
import type { DynamicsModel } from './dynamics-model.js';
import { stateSize, type SteppableSimulator, type Variation } from './physics.js';

/** Where the planner's model comes from: a learned model adapted online, or the true simulator. */
export type PlanningModel =
  | { kind: 'learned'; model: DynamicsModel; context: number; adaptEvery: number; range: number }
  | { kind: 'simulator'; sim: SteppableSimulator };

export interface EpisodeSetup {
  task: DynamicsControlTask;
  variation: Variation;
  start: Float64Array;
  steps: number;
  change: DynamicsChange;
  /** The step at which the change is made. */
  changeAt: number;
  /**
   * Exploration: Gaussian noise of `scale` × half of each actuator's control range added to every
   * executed action, then clipped to the range (on-policy data collection; control runs without).
   */
  explore?: { scale: number; rng: Rng };
}

export interface EpisodeResult {
  rewards: number[];
  return: number;
  returnAfterChange: number;
  /** Seconds until the reward is back (recovery.ts); null: nothing to recover; Infinity: never. */
  recovery: number | null;
  /** Why the real simulation stopped early, if it did (the remaining steps earn nothing). */
  failed?: string;
  /** Wall milliseconds per control step spent adapting and planning, and in the simulator-as-model alone. */
  planMs: number;
  modelSimMs: number;
  /** The trajectory: (steps + 1) × state size states and steps × nu executed actions, row-major. */
  states: Float32Array;
  actions: Float32Array;
}

/** The executed action: `action` plus the exploration noise, clipped to the control range. */
function explored(
  action: Float32Array,
  range: readonly number[],
  e: { scale: number; rng: Rng },
): Float32Array {
  return action.map((a, j) => {
    const lo = range[2 * j];
    const hi = range[2 * j + 1];
    return Math.min(hi, Math.max(lo, a + e.scale * ((hi - lo) / 2) * e.rng.normal()));
  });
}

/**
 * One episode of model-predictive control on the real simulator `world`. At every step the
 * planner replans from the observed state with the model; a learned model is regenerated from
 * the last K transitions every `adaptEvery` steps (from whatever has been seen at first), the
 * oracle told the true variation. At `changeAt` the world's variation changes (and so does what
 * the oracle and the simulator-as-model are told: they know the truth). Step 0 applies the
 * action range's centre: a model adapted from no transition knows nothing yet. The same loop
 * collects on-policy training data (`explore`, no change), so both see identical control.
 */
export function runControlEpisode(
  world: SteppableSimulator,
  setup: EpisodeSetup,
  planner: CemPlanner,
  source: PlanningModel,
): EpisodeResult {
  const env = world.info;
  const S = stateSize(env);
  const A = env.nu;
  const { steps, changeAt, task } = setup;
  const states = new Float32Array((steps + 1) * S);
  const actions = new Float32Array(steps * A);
  const rewards: number[] = [];
  let variation = setup.variation;
  states.set(world.reset(variation, setup.start), 0);
  planner.reset();
  const simModel = source.kind === 'simulator' ? new SimulatorDynamics(source.sim) : undefined;
  simModel?.sim.setVariation(variation);
  let learned: LearnedDynamics | undefined;
  let failed: string | undefined;
  let planMs = 0;
  const centre = Float32Array.from(
    { length: A },
    (_, j) => (env.ctrlRange[2 * j] + env.ctrlRange[2 * j + 1]) / 2,
  );
  try {
    for (let t = 0; t < steps; t++) {
      if (t === changeAt) {
        variation = changedVariation(variation, setup.change);
        world.setVariation(variation);
        simModel?.sim.setVariation(variation);
      }
      const state = states.subarray(t * S, (t + 1) * S);
      const t0 = performance.now();
      let action: Float32Array = centre;
      if (t > 0) {
        let model: BatchedDynamics;
        if (source.kind === 'learned') {
          if (!learned || t % source.adaptEvery === 0 || t === changeAt) {
            learned?.dispose();
            const recent = { states, actions, length: t };
            learned = adaptToRecent(source.model, recent, source.context, variation, source.range);
          }
          model = learned;
        } else model = simModel!;
        action = planner.plan(state, model, task.planReward);
      }
      planMs += performance.now() - t0;
      if (setup.explore) action = explored(action, env.ctrlRange, setup.explore);
      actions.set(action, t * A);
      // The world keeps its own (double-precision) state: it is never set back from the float copy.
      const r = world.step(action);
      if (!r.ok) {
        failed = r.reason;
        break;
      }
      states.set(r.state, (t + 1) * S);
      rewards.push(rewardOf(task.reward, r.state, action));
    }
  } finally {
    learned?.dispose();
  }
  while (rewards.length < steps) rewards.push(0);
  const sum = (from: number) => rewards.slice(from).reduce((a, b) => a + b, 0);
  return {
    rewards,
    return: sum(0),
    returnAfterChange: sum(changeAt),
    recovery: setup.change.kind === 'none' ? null : recoverySeconds(rewards, changeAt, { dt: env.dt }),
    ...(failed ? { failed } : {}),
    planMs: planMs / steps,
    modelSimMs: (simModel?.ms ?? 0) / steps,
    states,
    actions,
  };
}
