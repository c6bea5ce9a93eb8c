import {
  type DynamicsEnvInfo,
  dynamicsStateSize,
  isSteppable,
  median,
  randomActions,
  Rng,
  sampleVariation,
  type Variation,
  VARIATION_BASE,
  type VariationSettings,
} from '@hypermeta/core';
import type { ModelSource } from '../../../physics/model-source.js';
import type { MujocoSimulator } from '../../../physics/mujoco-simulator.js';
import { EngineLoop } from './engine-loop.js';
import type { MujocoPeer } from './mujoco-peer.js';

/** One figure in steps/s, with MuJoCo Python's beside it when the peer ran. */
export interface StepsFigure {
  /** Median over the pairs. */
  stepsPerS: number;
  pythonStepsPerS?: number;
  /** hypermeta's speed / Python's, median over the pairs (above 1: hypermeta is faster). */
  ratio?: number;
  spread?: [number, number];
}

export interface Agreement {
  ok: boolean;
  /** Rollouts: largest |ours − Python's| / (1 + |Python's|) over every variation's final state (both float32). */
  rolloutMaxDiff: number;
  /** Bare loop: the same for qpos and qvel after every step (float64). */
  loopMaxDiff: number;
  tolerance: { rollout: number; loop: number };
}

export interface SimulationResult {
  variations: number;
  stepsPerVariation: number;
  loopSteps: number;
  pairs: number;
  /** The product's collection path: each variation in turn on one MjModel/MjData (`rollout`). */
  rollout: StepsFigure;
  /** The variations in lockstep through the stepwise interface (setVariation, setState, step), as MPC's true-simulator model steps its candidates. */
  lockstep?: StepsFigure;
  /** The bare engine: (ctrl ← action; mj_step). */
  loop: StepsFigure;
  agreement?: Agreement;
  /** Why the Python figures are missing for this environment, when the peer failed on it. */
  peerError?: string;
}

export interface SimulationOptions {
  variations: number;
  steps: number;
  loopSteps: number;
  pairs: number;
  seed: number;
  settings: VariationSettings;
}

/** Relative differences allowed: float32 states (one rounding each side), float64 after the bare loop. */
export const TOLERANCE = { rollout: 1e-5, loop: 1e-9 };

interface Workload {
  variations: Variation[];
  starts: Float64Array[];
  actions: Float32Array[];
  /** Our rollouts' final states (the untimed first pass). */
  finals: Float32Array[];
}

/** A start offset as collection draws it: a full turn for free hinges, small noise elsewhere. */
function startOffset(info: DynamicsEnvInfo, rng: Rng): Float64Array {
  const out = new Float64Array(info.nq + info.nv);
  const spin = new Set(info.spinQpos);
  for (let i = 0; i < info.nq; i++) out[i] = spin.has(i) ? rng.range(-Math.PI, Math.PI) : 0.05 * rng.normal();
  for (let i = 0; i < info.nv; i++) out[info.nq + i] = 0.1 * rng.normal();
  return out;
}

/** `n` stable variations (an unstable draw is replaced, as collection does), simulated once untimed. */
function workload(sim: MujocoSimulator, o: SimulationOptions): Workload {
  const rng = Rng.fromSeed(o.seed, 'bench-dynamics-sim');
  const info = sim.info;
  const S = dynamicsStateSize(info);
  const w: Workload = { variations: [], starts: [], actions: [], finals: [] };
  for (let draws = 0; w.variations.length < o.variations; draws++) {
    if (draws > 20 + 4 * o.variations) throw new Error(`${info.name}: most variations drawn were unstable`);
    const v = sampleVariation(info, o.settings, rng);
    const start = startOffset(info, rng);
    const actions = randomActions(o.steps, info.ctrlRange, rng);
    const r = sim.rollout(v, start, actions);
    if (!r.ok || !r.states.every(Number.isFinite)) continue;
    w.variations.push(v);
    w.starts.push(start);
    w.actions.push(actions);
    w.finals.push(r.states.slice(o.steps * S));
  }
  return w;
}

const wallMs = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

/** The variations stepped side by side: each step, every variation set, put in its state and stepped. */
function lockstepMs(sim: MujocoSimulator, w: Workload): number | undefined {
  if (!isSteppable(sim)) return undefined;
  const nu = sim.info.nu;
  const states = w.variations.map((v, i) => sim.reset(v, w.starts[i]));
  const L = w.actions[0].length / nu;
  return wallMs(() => {
    for (let t = 0; t < L; t++)
      for (let i = 0; i < states.length; i++) {
        sim.setVariation(w.variations[i]);
        sim.setState(states[i]);
        const r = sim.step(w.actions[i].subarray(t * nu, (t + 1) * nu));
        if (r.ok) states[i] = r.state;
      }
  });
}

const factors = (u: Float64Array) => Array.from(u, (x) => VARIATION_BASE ** x);

const maxDiff = (ours: ArrayLike<number>, theirs: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < theirs.length; i++)
    worst = Math.max(worst, Math.abs(ours[i] - theirs[i]) / (1 + Math.abs(theirs[i])));
  return Number.isNaN(worst) ? Infinity : worst;
};

/** A figure's summary from per-pair ms (ours, and Python's when it ran). */
function figure(steps: number, ours: number[], theirs: number[]): StepsFigure {
  const out: StepsFigure = { stepsPerS: (steps * 1000) / median(ours) };
  if (theirs.length === ours.length && theirs.length) {
    const ratios = ours.map((ms, i) => theirs[i] / ms);
    out.pythonStepsPerS = (steps * 1000) / median(theirs);
    out.ratio = median(ratios);
    out.spread = [Math.min(...ratios), Math.max(...ratios)];
  }
  return out;
}

/**
 * Section f for one environment: environment steps/s of the product's simulator (variations one
 * at a time, and in lockstep where it steps stepwise) and of the bare engine, each measured in
 * pairs with MuJoCo's Python binding on the same MJCF (one side then the other, the order
 * alternating), after checking that both give the same states.
 */
export async function simulationBench(
  sim: MujocoSimulator,
  source: ModelSource,
  o: SimulationOptions,
  peer: MujocoPeer | undefined,
  log: (s: string) => void,
): Promise<SimulationResult> {
  const w = workload(sim, o);
  const info = sim.info;
  const loop = await EngineLoop.load(source);
  const loopActions = randomActions(100, info.ctrlRange, Rng.fromSeed(o.seed, 'bench-dynamics-loop'));
  const request = {
    cmd: 'rollouts',
    dropped: info.droppedQpos,
    variations: w.variations.map((v) => ({
      body: factors(v.body),
      dof: factors(v.dof),
      geom: factors(v.geom),
      disabled: v.disabledActuator,
    })),
    starts: w.starts.map((s) => Array.from(s)),
    actions: w.actions.map((a) => Array.from(a)),
  };
  const loopRequest = { cmd: 'loop', actions: Array.from(loopActions), steps: o.loopSteps };
  type Rollouts = { ms: number; final: number[][]; warned: number[] };
  type Loop = { ms: number; qpos: number[]; qvel: number[] };
  const ms = {
    rollout: [] as number[],
    pyRollout: [] as number[],
    loop: [] as number[],
    pyLoop: [] as number[],
  };
  const lockstep: number[] = [];
  let agreement: Agreement | undefined;
  let peerError: string | undefined;
  let python = peer;
  try {
    const oursLoop = loop.run(loopActions, o.loopSteps);
    if (python) {
      try {
        await python.load(source);
        const r = await python.ask<Rollouts>(request);
        const l = await python.ask<Loop>(loopRequest);
        const rolloutMaxDiff = Math.max(
          ...w.finals.map((f, i) => (r.warned[i] > 0 ? Infinity : maxDiff(f, r.final[i]))),
        );
        const loopMaxDiff = Math.max(maxDiff(oursLoop.qpos, l.qpos), maxDiff(oursLoop.qvel, l.qvel));
        agreement = {
          ok: rolloutMaxDiff <= TOLERANCE.rollout && loopMaxDiff <= TOLERANCE.loop,
          rolloutMaxDiff,
          loopMaxDiff,
          tolerance: TOLERANCE,
        };
        log(
          `f. ${info.name}: ${agreement.ok ? 'same' : 'DIFFERENT'} states as MuJoCo Python ` +
            `(rollouts ${rolloutMaxDiff.toExponential(1)}, loop ${loopMaxDiff.toExponential(1)})`,
        );
      } catch (e) {
        peerError = e instanceof Error ? e.message : String(e);
        python = undefined;
      }
    }
    for (let p = 0; p < o.pairs; p++) {
      // Alternate who goes first, so a drift of the shared machine's speed favours neither side.
      const ours = () => {
        ms.rollout.push(
          wallMs(() => w.variations.forEach((v, i) => sim.rollout(v, w.starts[i], w.actions[i]))),
        );
        ms.loop.push(loop.run(loopActions, o.loopSteps).ms);
        const l = lockstepMs(sim, w);
        if (l !== undefined) lockstep.push(l);
      };
      const theirs = async () => {
        if (!python) return;
        try {
          ms.pyRollout.push((await python.ask<Rollouts>(request)).ms);
          ms.pyLoop.push((await python.ask<Loop>(loopRequest)).ms);
        } catch (e) {
          peerError = e instanceof Error ? e.message : String(e);
          python = undefined;
        }
      };
      if (p % 2) {
        await theirs();
        ours();
      } else {
        ours();
        await theirs();
      }
    }
  } finally {
    loop.dispose();
  }
  const rolloutSteps = o.variations * o.steps;
  return {
    variations: o.variations,
    stepsPerVariation: o.steps,
    loopSteps: o.loopSteps,
    pairs: o.pairs,
    rollout: figure(rolloutSteps, ms.rollout, ms.pyRollout),
    ...(lockstep.length ? { lockstep: figure(rolloutSteps, lockstep, []) } : {}),
    loop: figure(o.loopSteps, ms.loop, ms.pyLoop),
    ...(agreement ? { agreement } : {}),
    ...(peerError ? { peerError } : {}),
  };
}
