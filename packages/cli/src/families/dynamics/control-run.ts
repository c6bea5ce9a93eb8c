import {
  CemPlanner,
  DataError,
  type CemOptions,
  type DynamicsChange,
  type DynamicsControlTask,
  type EpisodeResult,
  meanCi95,
  meanRewardTrace,
  motorChangeFits,
  type PlanningModel,
  type RecoverySummary,
  Rng,
  runControlEpisode,
  sampleVariation,
  type SteppableSimulator,
  summarizeRecovery,
  type Variation,
  variationStreams,
} from '@hypermeta/core';

export interface ControlRunOptions {
  task: DynamicsControlTask;
  episodes: number;
  steps: number;
  change: DynamicsChange;
  seed: number;
  cem: CemOptions;
}

/** The figures of one planning model over the episodes (recovery: core's summarizeRecovery). */
export interface ControlSummary extends RecoverySummary {
  episodes: number;
  return: number;
  ci95: number;
  returnBeforeChange: number;
  returnAfterChange: number;
  returnAfterChangeCi95: number;
  /** Each episode's return, in episode order (the same episodes for every planning model). */
  returnPerEpisode: number[];
  /** Each episode's return from the change on. */
  returnAfterChangePerEpisode: number[];
  /** Episodes the real simulation stopped early in. */
  failed: number;
  planMsPerStep: number;
  modelSimMsPerStep: number;
  seconds: number;
  /** The per-step reward averaged over the episodes (for plots of the change). */
  rewardTrace: number[];
}

/**
 * The held-out episodes of a run: variations from the evaluation stream (never a training one
 * for the training seed), redrawn while the world cannot simulate one stably with the motors
 * idle, before and after the change, or its motors cannot take the change (motorChangeFits);
 * start states from a stream of their own. Every planning model is run on exactly these.
 */
export function controlEpisodes(
  world: SteppableSimulator,
  settings: { range: number; extrapolation: number; brokenMotor: number },
  o: ControlRunOptions,
  changedBy: (v: Variation) => Variation,
): { variation: Variation; start: Float64Array }[] {
  const rng = variationStreams(o.seed).eval;
  const starts = Rng.fromSeed(o.seed, 'control-start');
  const idle = new Float32Array(Math.ceil(o.steps / 2) * world.info.nu);
  const out: { variation: Variation; start: Float64Array }[] = [];
  for (let tries = 0; out.length < o.episodes; tries++) {
    if (tries > 20 * o.episodes)
      throw new DataError(`${world.info.name}: ${tries} held-out variations drawn, too few stable`);
    const variation = sampleVariation(world.info, settings, rng);
    const start = o.task.start(starts);
    // A variation whose weakened motors leave no room for the change's is redrawn too.
    const stable =
      motorChangeFits(variation, o.change) &&
      [variation, changedBy(variation)].every((v) => world.rollout(v, start, idle).ok);
    if (stable) out.push({ variation, start });
  }
  return out;
}

/** Runs every episode with one planning model (the planner's stream reset per episode: same draws for every model). */
export function runControl(
  world: SteppableSimulator,
  episodes: { variation: Variation; start: Float64Array }[],
  o: ControlRunOptions,
  source: PlanningModel,
): ControlSummary {
  const t0 = performance.now();
  const results: EpisodeResult[] = episodes.map((e, i) =>
    runControlEpisode(
      world,
      { task: o.task, ...e, steps: o.steps, change: o.change, changeAt: Math.floor(o.steps / 2) },
      new CemPlanner(o.cem, Rng.fromSeed(o.seed, `control-planner-${i}`)),
      source,
    ),
  );
  const returns = results.map((r) => r.return);
  const returnsAfter = results.map((r) => r.returnAfterChange);
  const total = meanCi95(returns);
  const after = meanCi95(returnsAfter);
  const mean = (f: (r: EpisodeResult) => number) => results.reduce((a, r) => a + f(r), 0) / results.length;
  return {
    episodes: results.length,
    return: total.mean,
    ci95: total.ci95,
    returnBeforeChange: total.mean - after.mean,
    returnAfterChange: after.mean,
    returnAfterChangeCi95: after.ci95,
    returnPerEpisode: returns,
    returnAfterChangePerEpisode: returnsAfter,
    ...summarizeRecovery(results.map((r) => r.recovery)),
    failed: results.filter((r) => r.failed).length,
    planMsPerStep: mean((r) => r.planMs),
    modelSimMsPerStep: mean((r) => r.modelSimMs),
    seconds: (performance.now() - t0) / 1000,
    rewardTrace: meanRewardTrace(results.map((r) => r.rewards)),
  };
}
