import {
  changedVariation,
  checkSameEnv,
  type DynamicsChange,
  type DynamicsConfig,
  dynamicsControlTask,
  type DynamicsModel,
  cemOptionsFor,
  describeDynamicsChange,
  InvalidArgumentError,
  isSteppable,
  type SteppableSimulator,
} from '@hypermeta/core';
import { chooseModel } from '../../physics/model-source.js';
import { MujocoSimulator } from '../../physics/mujoco-simulator.js';
import { controlEpisodes, type ControlRunOptions, type ControlSummary, runControl } from './control-run.js';
import { loadDynamicsData } from './dynamics-data-source.js';

export interface ControlFlags {
  env?: string;
  controlTask?: string;
  episodes: number;
  steps?: number;
  context?: number;
  adaptEvery: number;
  horizon?: number;
  candidates?: number;
  iterations?: number;
  elites?: number;
  change?: 'mass' | 'motor' | 'none';
  changeFactor: number;
  range?: number;
  changeBody?: number;
  changeMotor?: number;
  changeStrength?: number;
  ceiling?: boolean;
  ceilingOnly?: boolean;
  suiteDir?: string;
  modelXml?: string;
}

/** One row of `hypermeta control`: a planning model's figures on a task. */
export interface ControlRow extends ControlSummary {
  task: string;
  env: string;
  method: string;
  steps: number;
  change: DynamicsChange;
  /** The change in words, as the human line says it ("motor 0 at 30 %"). */
  changeDescription: string;
  changeAtSeconds: number;
  /** Seconds per control step (the model's timestep): the time axis of rewardTrace. */
  dt: number;
  /** Held-out exponents were drawn in [−range, range]. */
  range: number;
}

function checkEnv(c: DynamicsConfig, f: ControlFlags): void {
  if (f.env === undefined || f.env === c.env.name) return;
  // Unknown names are refused as such; a known one is simply not the model's.
  chooseModel({ env: f.env, suiteDir: f.suiteDir });
  throw new InvalidArgumentError(`the checkpoint's model was trained on ${c.env.name}, not ${f.env}`);
}

function changeOf(task: ControlRunOptions['task'], c: DynamicsConfig, f: ControlFlags): DynamicsChange {
  const kind = f.change ?? task.change.kind;
  if (f.changeStrength !== undefined && kind !== 'motor')
    throw new InvalidArgumentError(`--change-strength applies to --change motor, not ${kind}`);
  if (kind === 'none') return { kind };
  if (kind === 'motor') {
    const actuator = f.changeMotor ?? (task.change.kind === 'motor' ? task.change.actuator : 0);
    if (actuator >= c.env.nu)
      throw new InvalidArgumentError(`--change-motor ${actuator}: ${c.env.name} has ${c.env.nu} actuators`);
    return { kind, actuator, strength: f.changeStrength ?? 0 };
  }
  const body = f.changeBody ?? (task.change.kind === 'mass' ? task.change.body : 0);
  if (body >= c.env.counts.bodies)
    throw new InvalidArgumentError(`--change-body ${body}: ${c.env.name} has ${c.env.counts.bodies} bodies`);
  return { kind, body, factor: f.changeFactor };
}

/**
 * Model-predictive control with a dynamics checkpoint on held-out variations of its body (and,
 * with `ceiling`, the same episodes planned with the true simulator as the model).
 */
export async function dynamicsControl(
  model: DynamicsModel,
  f: ControlFlags,
  seed: number,
): Promise<ControlRow[]> {
  const c = model.config;
  checkEnv(c, f);
  const task = dynamicsControlTask(c.env, f.controlTask);
  const context = f.context ?? c.context;
  const steps = f.steps ?? task.steps;
  // The second half must hold the moving average recovery is judged by (0.5 s).
  const minSteps = 2 * Math.max(1, Math.round(0.5 / c.env.dt));
  if (steps < minSteps)
    throw new InvalidArgumentError(
      `--steps ${steps}: an episode of ${c.env.name} needs at least ${minSteps}`,
    );
  const cem = cemOptionsFor(c.env.ctrlRange, f);
  const change = changeOf(task, c, f);
  const o: ControlRunOptions = { task, episodes: f.episodes, steps, change, seed, cem };
  const data = await loadDynamicsData(c, f as unknown as Record<string, unknown>);
  const sims: SteppableSimulator[] = [];
  try {
    const world = data.sim;
    checkSameEnv(c.env, world);
    if (!isSteppable(world))
      throw new InvalidArgumentError(`${c.env.name}: the simulator cannot run stepwise`);
    sims.push(world);
    // Held-out exponents in [−range, range]: the training range unless told (a narrower one keeps
    // out bodies too heavy for their motor to swing up within an episode).
    const settings = { ...c.data, range: f.range ?? c.data.range };
    const episodes = controlEpisodes(world, settings, o, (v) => changedVariation(v, change));
    const row = (method: string, s: ControlSummary): ControlRow => ({
      task: task.name,
      env: c.env.name,
      method,
      steps,
      change,
      changeDescription: describeDynamicsChange(change),
      changeAtSeconds: Math.floor(steps / 2) * c.env.dt,
      dt: c.env.dt,
      range: settings.range,
      ...s,
    });
    const rows: ControlRow[] = [];
    if (!f.ceilingOnly) {
      const source = {
        kind: 'learned',
        model,
        context,
        adaptEvery: f.adaptEvery,
        range: c.data.range,
      } as const;
      rows.push(row(c.method, runControl(world, episodes, o, source)));
    }
    if (f.ceiling || f.ceilingOnly) {
      const sim = await MujocoSimulator.load(data.source);
      sims.push(sim);
      rows.push(row('simulator', runControl(world, episodes, o, { kind: 'simulator', sim })));
    }
    return rows;
  } finally {
    for (const s of sims) s.dispose?.();
  }
}

const f1 = (v: number) => v.toFixed(1);

/** The human line of one row. */
export function formatControlRow(r: ControlRow): string {
  const change = describeDynamicsChange(r.change);
  const recovery =
    r.recoveryEpisodes === 0
      ? 'nothing to recover'
      : `recovery median ${r.recoverySeconds === null ? 'never' : `${r.recoverySeconds.toFixed(2)} s`}, ` +
        `${r.recovered}/${r.recoveryEpisodes} recovered` +
        (r.recoveryMeanSeconds === null
          ? ''
          : ` in ${r.recoveryMeanSeconds.toFixed(2)} ± ${(r.recoveryCi95 ?? 0).toFixed(2)} s (mean ± 95 %)`);
  return (
    `${r.method} on ${r.env} ${r.task} (${r.episodes} episodes of ${r.steps} steps, ${change} at ` +
    `${r.changeAtSeconds.toFixed(1)} s): return ${f1(r.return)} ± ${f1(r.ci95)}, after the change ` +
    `${f1(r.returnAfterChange)}, ${recovery}; ${r.planMsPerStep.toFixed(1)} ms planning per step`
  );
}
