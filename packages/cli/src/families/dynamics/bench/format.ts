import { f, table } from '../../../bench/report.js';
import type { GenerationResult, PredictionRow } from './generation.js';
import type { PlanningResult, PlanTiming } from './planning.js';
import type { SimulationResult, StepsFigure } from './simulation.js';

/** One environment's figures, or why it was left out. */
export interface EnvResult {
  env: string;
  skipped?: string;
  source?: string;
  stateSize?: number;
  actions?: number;
  dt?: number;
  simulation?: SimulationResult;
  generation?: GenerationResult;
  prediction?: PredictionRow[];
  planning?: PlanningResult | { skipped: string };
}

/** The `dynamics` field of the bench report. */
export interface DynamicsBenchResult {
  method: string;
  model: string;
  context: number;
  /** MuJoCo's Python binding beside this process: its version, or why it did not run. */
  peer?: { python: string; script: string; mujoco?: string; reason?: string };
  envs: EnvResult[];
}

const measured = (r: DynamicsBenchResult) => r.envs.filter((e) => !e.skipped);
const n0 = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? 'n/a' : Math.round(x).toLocaleString('en-US');

function stepsRow(env: string, path: string, s: StepsFigure): string[] {
  return [
    env,
    path,
    n0(s.stepsPerS),
    n0(s.pythonStepsPerS),
    s.ratio === undefined ? 'n/a' : `${f(s.ratio, 2)}×`,
    s.spread ? `${f(s.spread[0], 2)}–${f(s.spread[1], 2)}` : '',
  ];
}

function simulationSection(r: DynamicsBenchResult): string {
  const rows: string[][] = [];
  const notes: string[] = [];
  let head = '';
  for (const e of measured(r)) {
    const s = e.simulation!;
    head = `${s.variations} variations × ${s.stepsPerVariation} steps, bare loop ${s.loopSteps} steps, ${s.pairs} pair${s.pairs > 1 ? 's' : ''} in turns`;
    rows.push(stepsRow(e.env, 'variations one at a time (rollout, one MjData)', s.rollout));
    if (s.lockstep)
      rows.push(stepsRow(e.env, 'variations in lockstep (setVariation, setState, step)', s.lockstep));
    rows.push(stepsRow(e.env, 'bare engine (ctrl ← action; mj_step)', s.loop));
    const a = s.agreement;
    if (a)
      notes.push(
        `${e.env}: ${a.ok ? 'same states as Python' : 'DIFFERENT states from Python'} (largest relative difference: rollouts ${a.rolloutMaxDiff.toExponential(1)}, tolerance ${a.tolerance.rollout}; bare loop ${a.loopMaxDiff.toExponential(1)}, tolerance ${a.tolerance.loop})`,
      );
    if (s.peerError) notes.push(`${e.env}: no Python figures (${s.peerError})`);
  }
  const peer = r.peer;
  const python = peer?.mujoco
    ? `MuJoCo ${peer.mujoco} Python binding (${peer.python})`
    : 'MuJoCo Python binding';
  return [
    `f. environment steps/s: MuJoCo 3.14.0 wasm in this process vs ${python}, ${head}`,
    table(['env', 'path', 'hypermeta steps/s', 'Python steps/s', 'speed ratio (median)', 'spread'], rows),
    ...(peer?.reason ? [`no Python figures: ${peer.reason}`] : []),
    ...notes,
    'MjData per variation: not in the product (its simulator keeps one MjModel/MjData pair and sets each variation on it).',
  ].join('\n');
}

function generationSection(r: DynamicsBenchResult): string {
  const rows = measured(r).map((e) => {
    const g = e.generation!;
    return [
      e.env,
      String(e.stateSize),
      g.generatedParams.toLocaleString('en-US'),
      f(g.msPerTask, 3),
      f(g.batchUsPerTask, 1),
    ];
  });
  const g = measured(r)[0]?.generation;
  return [
    `g. generation per task (${r.method}: set encoder over K = ${r.context} transitions, then every weight of the dynamics MLP; ${r.model})`,
    table(
      [
        'env',
        'state',
        'generated weights',
        `one task, median ms (${g?.reps ?? 0})`,
        `${g?.batchTasks ?? 0} tasks in one pass, µs/task`,
      ],
      rows,
    ),
  ].join('\n');
}

function predictionSection(r: DynamicsBenchResult): string {
  const rows = measured(r).flatMap((e) =>
    e.prediction!.map((p) => [e.env, `${p.tasks} × ${p.states}`, f(p.usPerCall, 1), n0(p.predictionsPerS)]),
  );
  return [
    'h. one-step prediction throughput (normalise, the generated networks, de-normalise, read back; one call)',
    table(['env', 'tasks × states', 'µs/call', 'predictions/s'], rows),
  ].join('\n');
}

const planCells = (p: PlanTiming | undefined) =>
  p ? [f(p.msPerPlan, 1), n0(p.modelStepsPerS)] : ['n/a', 'n/a'];

function planningSection(r: DynamicsBenchResult): string {
  const rows: string[][] = [];
  const skipped: string[] = [];
  let head = '';
  for (const e of measured(r)) {
    const p = e.planning!;
    if ('skipped' in p) {
      skipped.push(`${e.env}: ${p.skipped}`);
      continue;
    }
    head = `CEM, horizon ${p.horizon}, ${p.candidates} candidates, ${p.iterations} iterations (${p.modelStepsPerPlan.toLocaleString('en-US')} model steps per plan)`;
    rows.push([e.env, p.task, f(p.adaptMs, 3), ...planCells(p.learned), ...planCells(p.simulator)]);
  }
  return [
    `i. MPC planning step: ${head}`,
    table(
      [
        'env',
        'task',
        `adapt to last ${r.context}, ms`,
        'plan, generated net, ms',
        'its model steps/s',
        'plan, true simulator, ms',
        'its model steps/s',
      ],
      rows,
    ),
    ...skipped,
  ].join('\n');
}

/** Sections f–i, from the report's `dynamics` field. */
export function formatDynamics(r: DynamicsBenchResult | undefined): Record<string, string> {
  if (!r) return {};
  const skipped = r.envs.filter((e) => e.skipped).map((e) => `(${e.env} left out: ${e.skipped})`);
  if (!measured(r).length)
    return { f: ['f. environment steps/s: no environment measured', ...skipped].join('\n') };
  return {
    f: [simulationSection(r), ...skipped].join('\n'),
    g: generationSection(r),
    h: predictionSection(r),
    i: planningSection(r),
  };
}
