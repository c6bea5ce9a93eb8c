import { InvalidArgumentError } from '../../errors/errors.js';
import {
  checkInt,
  checkNonNegative,
  checkOneOf,
  checkPositive,
  checkPositiveInts,
  checkRange,
} from '../../validate/checks.js';
import { type DynamicsEnvInfo, stateSize } from './physics.js';
import { variationFeatureSize } from './variations.js';

export const DYNAMICS_METHODS = ['hypernet', 'global', 'concat', 'maml', 'oracle'] as const;
export type DynamicsMethodName = (typeof DYNAMICS_METHODS)[number];

/** The simulated model a dynamics model was trained on: its description, and where it came from. */
export interface DynamicsEnvSpec extends DynamicsEnvInfo {
  /** How the command line finds the model again: a shipped model, a dm_control suite file, a user's file. */
  source: string;
  /** The model file's path when it is not shipped. */
  file?: string;
}

/** Normalisation of network inputs (features) and targets (Δs), from the training data. */
export interface DynamicsNorm {
  inMean: number[];
  inStd: number[];
  outMean: number[];
  outStd: number[];
}

export interface DynamicsDataConfig {
  /** Seed of the variation and action streams. */
  seed: number;
  /** Training exponents u ∈ [−range, range]: factors 1.5^u. */
  range: number;
  /** Extrapolation exponents: |u| ∈ (range, extrapolation]. */
  extrapolation: number;
  /** Probability of one disabled actuator per variation. */
  brokenMotor: number;
  /**
   * Probability of one weak actuator per variation (gear × s, s ~ U(0, 1)). Optional: configs
   * written before it existed lack it and mean 0, which draws their variations unchanged.
   */
  weakMotor?: number;
  /** Training variations, each simulated for `episodes` episodes of `length` steps. */
  variations: number;
  episodes: number;
  length: number;
  /** Held-out variations per evaluation set (in range, extrapolation). */
  evalVariations: number;
  /**
   * On-policy data (GrBAL's aggregation): model-predictive control episodes with the model being
   * trained, added to the training variations during training. Absent: random actions only, as
   * every config written before it.
   */
  onPolicy?: DynamicsOnPolicyConfig;
}

/** On-policy collection: `rounds` times during training, one MPC episode per chosen variation. */
export interface DynamicsOnPolicyConfig {
  /** Collections; training's steps are split into rounds + 1 equal phases, one at each inner boundary. */
  rounds: number;
  /** Training variations given an episode per round (drawn without repeats). */
  variations: number;
  /** Control steps per episode. */
  steps: number;
  /** The CEM planner's horizon, candidates per iteration and iterations. */
  horizon: number;
  candidates: number;
  iterations: number;
  /** Exploration noise on the executed actions, as a fraction of half the control range. */
  noise: number;
}

export interface DynamicsConfig {
  task: string;
  method: DynamicsMethodName;
  env: DynamicsEnvSpec;
  /** Hidden layers of the dynamics MLP f_θ(s, a) → Δs. */
  hidden: number[];
  codeSize: number;
  encoder: { pointHidden: number[]; setHidden: number[] };
  generator: { kind: 'mlp' | 'chunked'; hidden: number[]; chunkSize: number; chunkEmbeddingSize: number };
  /** First-order MAML's steps on the context. */
  maml: { steps: number; lr: number };
  /** Context transitions K used by evaluation and control unless told otherwise. */
  context: number;
  /**
   * Training's prediction horizon: the loss is the mean error of open-loop predictions 1…rollout
   * steps ahead (rollout-loss.ts). Absent or 1: the one-step error, as every config written before it.
   */
  rollout?: number;
  data: DynamicsDataConfig;
  norm?: DynamicsNorm;
}

/** States larger than this are refused: the networks' first layers and the data would not fit. */
export const MAX_STATE = 256;

export const DYNAMICS_HORIZONS = [10, 30] as const;

/** An environment not yet known: the command line fits it to the simulator it loads. */
export function emptyEnv(): DynamicsEnvSpec {
  return {
    name: '',
    source: '',
    nq: 0,
    nv: 0,
    nu: 0,
    droppedQpos: [],
    angleIndices: [],
    spinQpos: [],
    ctrlRange: [],
    dt: 0,
    counts: { bodies: 0, dofs: 0, geoms: 0, actuators: 0 },
  };
}

export function defaultDynamicsConfig(task: string, method: DynamicsMethodName): DynamicsConfig {
  return {
    task,
    method,
    env: emptyEnv(),
    hidden: [64, 64],
    codeSize: 32,
    encoder: { pointHidden: [64, 64], setHidden: [64] },
    generator: { kind: 'mlp', hidden: [64], chunkSize: 256, chunkEmbeddingSize: 16 },
    maml: { steps: 3, lr: 0.01 },
    // The generated model's errors keep falling with more context (cheetah h10: 0.061 at K = 16,
    // 0.058 at 32, 0.055 at 64), and control with the last 32 transitions did no worse than with 16
    // after a mid-episode change (the window holds the old body for 0.32 s instead of 0.16).
    context: 32,
    data: {
      seed: 1,
      range: 3,
      extrapolation: 4.5,
      // One motor in five disabled: control changes a motor halfway (the default for a run), and a
      // model that never saw a dead motor misreads the context after it (measured on the cheetah).
      brokenMotor: 0.2,
      weakMotor: 0,
      // Many variations of two short episodes: collection is cheap (seconds), and with 200 the
      // generated model overfitted the cheetah's training variations (held-out error 2× the training loss).
      variations: 2000,
      episodes: 2,
      length: 100,
      evalVariations: 64,
      // Off, but named, so a --config file may set it (the CLI's merge accepts known keys only).
      onPolicy: undefined,
    },
  };
}

/** Network input: the state with each angle as (sin, cos), then the action. */
export function inputSize(env: DynamicsEnvInfo): number {
  return stateSize(env) + env.angleIndices.length + env.nu;
}

export function outputSize(env: DynamicsEnvInfo): number {
  return stateSize(env);
}

export function factorSize(env: DynamicsEnvInfo): number {
  return variationFeatureSize(env);
}

function validateEnv(e: DynamicsEnvSpec): void {
  if (!e || typeof e.name !== 'string' || e.name === '')
    throw new InvalidArgumentError('the dynamics model has no environment: fit it to a simulator first');
  checkInt('env.nq', e.nq, 0, 100_000);
  checkInt('env.nv', e.nv, 0, 100_000);
  checkInt('env.nu', e.nu, 0, 100_000);
  if (e.nu < 1) throw new InvalidArgumentError(`${e.name}: the model has no actuator, so nothing to control`);
  const S = stateSize(e);
  if (S < 1 || S > MAX_STATE)
    throw new InvalidArgumentError(`${e.name}: a state of ${S} values (at most ${MAX_STATE} are supported)`);
  const indices = (name: string, v: unknown, max: number) => {
    if (!Array.isArray(v) || !v.every((i) => Number.isInteger(i) && i >= 0 && i < max))
      throw new InvalidArgumentError(`env.${name} must be a list of indices below ${max}`);
  };
  indices('droppedQpos', e.droppedQpos, e.nq);
  indices('angleIndices', e.angleIndices, S);
  indices('spinQpos', e.spinQpos, e.nq);
  if (!Array.isArray(e.ctrlRange) || e.ctrlRange.length !== 2 * e.nu || !e.ctrlRange.every(Number.isFinite))
    throw new InvalidArgumentError(`env.ctrlRange must hold ${2 * e.nu} finite numbers`);
  checkPositive('env.dt', e.dt);
  for (const k of ['bodies', 'dofs', 'geoms', 'actuators'] as const)
    checkInt(`env.counts.${k}`, e.counts?.[k], 0, 100_000);
}

function validateNorm(n: DynamicsNorm, inSize: number, outSize: number): void {
  const check = (name: string, v: unknown, size: number, positive: boolean) => {
    if (!Array.isArray(v) || v.length !== size || !v.every((x) => Number.isFinite(x) && (!positive || x > 0)))
      throw new InvalidArgumentError(
        `norm.${name} must hold ${size} finite${positive ? ' positive' : ''} numbers`,
      );
  };
  check('inMean', n.inMean, inSize, false);
  check('inStd', n.inStd, inSize, true);
  check('outMean', n.outMean, outSize, false);
  check('outStd', n.outStd, outSize, true);
}

/** Checks every field (the parameter ceiling is the family's, from shapes). */
export function validateDynamicsFields(c: DynamicsConfig): void {
  checkOneOf('method', c.method, DYNAMICS_METHODS);
  validateEnv(c.env);
  checkPositiveInts('hidden', c.hidden, 1, 65_536);
  checkInt('codeSize', c.codeSize, 1, 4096);
  checkPositiveInts('encoder.pointHidden', c.encoder?.pointHidden, 1, 65_536);
  checkPositiveInts('encoder.setHidden', c.encoder?.setHidden, 0, 65_536);
  checkOneOf('generator', c.generator?.kind, ['mlp', 'chunked']);
  checkPositiveInts('generator.hidden', c.generator.hidden, 1, 65_536);
  checkInt('generator.chunkSize', c.generator.chunkSize, 1, 1_000_000);
  checkInt('generator.chunkEmbeddingSize', c.generator.chunkEmbeddingSize, 1, 4096);
  checkInt('maml.steps', c.maml?.steps, 1, 1000);
  checkPositive('maml.lr', c.maml.lr);
  checkInt('context', c.context, 1, 10_000);
  const d = c.data;
  if (c.rollout !== undefined) checkInt('rollout', c.rollout, 1, d?.length ?? 1);
  checkInt('data.seed', d?.seed, -2147483648, 2147483647);
  checkPositive('data.range', d.range);
  if (!(d.extrapolation > d.range) || !Number.isFinite(d.extrapolation))
    throw new InvalidArgumentError(
      `data.extrapolation must be above data.range (${d.range}), got ${d.extrapolation}`,
    );
  checkNonNegative('data.brokenMotor', d.brokenMotor);
  if (d.brokenMotor > 1)
    throw new InvalidArgumentError(`data.brokenMotor must be at most 1, got ${d.brokenMotor}`);
  if (d.weakMotor !== undefined) checkRange('data.weakMotor', d.weakMotor, 0, 1);
  checkInt('data.variations', d.variations, 1, 1_000_000);
  checkInt('data.episodes', d.episodes, 2, 1000);
  checkInt('data.length', d.length, Math.max(...DYNAMICS_HORIZONS) + 1, 100_000);
  checkInt('data.evalVariations', d.evalVariations, 1, 100_000);
  if (d.variations * d.episodes * d.length > 20_000_000)
    throw new InvalidArgumentError('data.variations × episodes × length is over 20 million transitions');
  if (c.norm !== undefined) validateNorm(c.norm, inputSize(c.env), outputSize(c.env));
}
