import {
  adaptToRecent,
  CemPlanner,
  defaultCemOptions,
  type DynamicsData,
  type DynamicsModel,
  dynamicsControlTask,
  dynamicsStateSize,
  median,
  Rng,
  SimulatorDynamics,
} from '@hypermeta/core';
import type { MujocoSimulator } from '../../../physics/mujoco-simulator.js';

export interface PlanTiming {
  /** Median wall ms of one control step's plan. */
  msPerPlan: number;
  reps: number;
  /** Model steps (candidates × horizon × iterations) per second of planning. */
  modelStepsPerS: number;
}

export interface PlanningResult {
  task: string;
  horizon: number;
  candidates: number;
  iterations: number;
  elites: number;
  modelStepsPerPlan: number;
  /** Median ms of adapting to the last K transitions (online, once per control step). */
  adaptMs: number;
  /** CEM through the generated network: each horizon step one batched call for every candidate. */
  learned: PlanTiming;
  /** CEM through the true simulator (the ceiling's model): each candidate put in its state and stepped. */
  simulator?: PlanTiming;
}

export interface PlanningOptions {
  context: number;
  horizon?: number;
  candidates?: number;
  iterations?: number;
  reps: number;
  simReps: number;
  seed: number;
}

function timed(reps: number, warmup: number, f: () => void): number {
  for (let i = 0; i < warmup; i++) f();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/**
 * Section i: one MPC control step (the cross-entropy method over a batched model) from a real
 * state of a collected episode, adapted online from the K transitions before it: the plan's time
 * through the generated network and through the true simulator, and the adaptation's.
 */
export function planningBench(
  model: DynamicsModel,
  data: DynamicsData,
  sim: MujocoSimulator,
  o: PlanningOptions,
): PlanningResult {
  const env = model.config.env;
  const task = dynamicsControlTask(env);
  const defaults = defaultCemOptions(env.ctrlRange);
  const candidates = o.candidates ?? defaults.candidates;
  const options = {
    ...defaults,
    horizon: o.horizon ?? defaults.horizon,
    candidates,
    iterations: o.iterations ?? defaults.iterations,
    elites: Math.min(defaults.elites, candidates),
  };
  const S = dynamicsStateSize(env);
  const K = o.context;
  const record = data.set('train').records[0];
  const e = record.episodes[0];
  const recent = {
    states: e.states.subarray(0, (K + 1) * S),
    actions: e.actions.subarray(0, K * env.nu),
    length: K,
  };
  const state = e.states.slice(K * S, (K + 1) * S);
  const range = data.settings.range;
  const adaptMs = timed(Math.max(5, o.reps), 3, () =>
    adaptToRecent(model, recent, K, record.variation, range).dispose(),
  );
  const steps = options.horizon * options.candidates * options.iterations;
  const timing = (ms: number, reps: number): PlanTiming => ({
    msPerPlan: ms,
    reps,
    modelStepsPerS: (steps * 1000) / ms,
  });
  const learned = adaptToRecent(model, recent, K, record.variation, range);
  let learnedMs: number;
  try {
    const planner = new CemPlanner(options, Rng.fromSeed(o.seed, 'bench-dynamics-plan'));
    learnedMs = timed(o.reps, 1, () => planner.plan(state, learned, task.planReward));
  } finally {
    learned.dispose();
  }
  let simulator: PlanTiming | undefined;
  if (o.simReps > 0) {
    sim.reset(record.variation, new Float64Array(env.nq + env.nv));
    const truth = new SimulatorDynamics(sim);
    const planner = new CemPlanner(options, Rng.fromSeed(o.seed, 'bench-dynamics-plan'));
    // The simulator path is JavaScript around the engine, already warm from section f.
    simulator = timing(
      timed(o.simReps, 0, () => planner.plan(state, truth, task.planReward)),
      o.simReps,
    );
  }
  return {
    task: task.name,
    horizon: options.horizon,
    candidates: options.candidates,
    iterations: options.iterations,
    elites: options.elites,
    modelStepsPerPlan: steps,
    adaptMs,
    learned: timing(learnedMs, o.reps),
    ...(simulator ? { simulator } : {}),
  };
}
