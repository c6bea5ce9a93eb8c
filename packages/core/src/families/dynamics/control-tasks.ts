import { InvalidArgumentError } from '../../errors/errors.js';
import {
  type BatchedReward,
  cartpoleSwingupReward,
  pendulumHeightReward,
  pendulumSwingupReward,
  runReward,
} from '../../control/index.js';
import type { Rng } from '../../random/rng.js';
import type { DynamicsEnvSpec } from './dynamics-config.js';
import { stateSize, type Variation, VARIATION_BASE } from './physics.js';

/**
 * A change of dynamics in the middle of an episode: a payload, or a motor that keeps a fraction
 * `strength` in [0, 1) of its gear (absent or 0: disabled).
 */
export type DynamicsChange =
  | { kind: 'mass'; body: number; factor: number }
  | { kind: 'motor'; actuator: number; strength?: number }
  | { kind: 'none' };

/** A control task on a dynamics model's body: what is rewarded, where episodes start, what changes. */
export interface DynamicsControlTask {
  name: string;
  /** The reward reported (dm_control's definition for the task). */
  reward: BatchedReward;
  /** The planner's objective (the reward itself unless it gives a short horizon nothing to rank). */
  planReward: BatchedReward;
  /** Episode length in steps of the model's timestep. */
  steps: number;
  /** The change made halfway unless told otherwise. */
  change: DynamicsChange;
  /** Start offset (nq + nv values added to the model's initial qpos and qvel). */
  start(rng: Rng): Float64Array;
}

export const CONTROL_TASKS = ['swingup', 'run'] as const;

/** Seconds an episode lasts (the change comes halfway). */
const EPISODE_SECONDS = { swingup: 8, run: 4 };

/** The default task for an environment: run for a walker with a floating root, else swing-up. */
export function defaultControlTask(env: DynamicsEnvSpec): string {
  return env.droppedQpos.includes(0) ? 'run' : 'swingup';
}

/** Small Gaussian noise on every start value, `at` values set on top. */
function startNear(env: DynamicsEnvSpec, rng: Rng, at: Record<number, number>): Float64Array {
  const o = new Float64Array(env.nq + env.nv);
  for (let i = 0; i < o.length; i++) o[i] = 0.01 * rng.normal() + (at[i] ?? 0);
  return o;
}

/**
 * The pole's upright angle: the shipped pendulum (and the toy one) hang down at θ = 0, dm_control's
 * pendulum and both cart-poles point up at θ = 0 (their pole geoms are built upwards).
 */
function uprightAt(env: DynamicsEnvSpec): number {
  const hangsAtZero = (env.name === 'pendulum' && env.source === 'shipped') || env.name === 'toy-pendulum';
  return hangsAtZero ? Math.PI : 0;
}

/**
 * The control task `name` on `env`: pendulum and cart-pole swing-up (one free hinge, optionally on
 * a cart: nq 1 or 2, one actuator) and run (a planar walker whose root x is left out of the state).
 */
export function dynamicsControlTask(
  env: DynamicsEnvSpec,
  name = defaultControlTask(env),
): DynamicsControlTask {
  const S = stateSize(env);
  const steps = (seconds: number) => Math.round(seconds / env.dt);
  if (name === 'swingup') {
    const hinge = env.angleIndices[env.angleIndices.length - 1];
    if (env.nu !== 1 || env.angleIndices.length !== 1 || env.nq > 2 || env.droppedQpos.length > 0)
      throw new InvalidArgumentError(`swingup needs a pendulum or a cart-pole; ${env.name} is neither`);
    const up = uprightAt(env);
    const pole = { angle: hinge, uprightAt: up };
    const down = (up + Math.PI) % (2 * Math.PI);
    const mass = { kind: 'mass', body: env.counts.bodies - 1, factor: 2 } as const;
    if (env.nq === 1)
      return {
        name,
        reward: pendulumSwingupReward(pole),
        planReward: pendulumHeightReward(pole),
        steps: steps(EPISODE_SECONDS.swingup),
        change: mass,
        start: (rng) => startNear(env, rng, { [hinge]: down }),
      };
    const cart = hinge === 0 ? 1 : 0;
    const reward = cartpoleSwingupReward({ ...pole, cart, angleVelocity: env.nq + hinge });
    return {
      name,
      reward,
      planReward: reward,
      steps: steps(EPISODE_SECONDS.swingup),
      change: mass,
      start: (rng) => startNear(env, rng, { [hinge]: down }),
    };
  }
  if (name === 'run') {
    if (!env.droppedQpos.includes(0))
      throw new InvalidArgumentError(
        `run needs a walker whose root x is left out of the state; ${env.name} has none`,
      );
    // The root's forward speed: the first qvel (the root x slide's dof).
    const reward = runReward({ velocity: S - env.nv, speed: 10 });
    return {
      name,
      reward,
      planReward: reward,
      steps: steps(EPISODE_SECONDS.run),
      change: { kind: 'motor', actuator: 0 },
      start: (rng) => startNear(env, rng, {}),
    };
  }
  throw new InvalidArgumentError(`unknown control task '${name}' (known: ${CONTROL_TASKS.join(', ')})`);
}

/** `change` in words: "body 0 mass ×2", "motor 0 at 30 %", "motor 0 disabled", "no change". */
export function describeDynamicsChange(change: DynamicsChange): string {
  if (change.kind === 'mass') return `body ${change.body} mass ×${change.factor}`;
  if (change.kind === 'none') return 'no change';
  const s = change.strength ?? 0;
  // Rounded to a tenth of a percent, so 0.3 reads 30 %, not 30.000000000000004 %.
  return s === 0
    ? `motor ${change.actuator} disabled`
    : `motor ${change.actuator} at ${+(100 * s).toFixed(1)} %`;
}

/** The motors `v` weakens, each with its strength: the broken one (0) first, then the weak one. */
function weakenedMotors(v: Variation): { index: number; strength: number }[] {
  const out = v.disabledActuator >= 0 ? [{ index: v.disabledActuator, strength: 0 }] : [];
  const w = v.weakActuator;
  if (w && w.index !== v.disabledActuator) out.push({ index: w.index, strength: w.strength });
  return out;
}

type MotorSlots = Pick<Variation, 'disabledActuator' | 'weakActuator'>;

/**
 * `v`'s motor fields with motor `actuator` at `strength` unless it is weaker already: the weakest
 * wins, and every other weakened motor stays as it was. Undefined when they cannot hold the result:
 * a variation has one broken and one weak motor, not two weak ones or three weakened ones.
 */
function motorSlots(v: Variation, actuator: number, strength: number): MotorSlots | undefined {
  if (!(strength >= 0 && strength < 1))
    throw new InvalidArgumentError(`a motor's strength after a change must be in [0, 1), got ${strength}`);
  const motors = weakenedMotors(v);
  const same = motors.find((m) => m.index === actuator);
  if (same && same.strength <= strength)
    return { disabledActuator: v.disabledActuator, weakActuator: v.weakActuator };
  if (same) same.strength = strength;
  else motors.push({ index: actuator, strength });
  // One broken motor takes the broken slot; the other goes to the weak slot (a strength of 0
  // there is a broken motor too).
  const broken = motors.find((m) => m.strength === 0);
  const rest = motors.filter((m) => m !== broken);
  if (rest.length > 1) return undefined;
  return { disabledActuator: broken ? broken.index : -1, weakActuator: rest[0] };
}

/**
 * Whether `change` can be made to `v`: always, except a motor change that would leave more weakened
 * motors than a variation holds (one broken and one weak).
 */
export function motorChangeFits(v: Variation, change: DynamicsChange): boolean {
  return change.kind !== 'motor' || motorSlots(v, change.actuator, change.strength ?? 0) !== undefined;
}

/**
 * `v` after `change`: a body's mass (and inertia) multiplied, or a motor weakened to a fraction of
 * its gear (disabled at 0). A motor already weaker than the change keeps its strength.
 */
export function changedVariation(v: Variation, change: DynamicsChange): Variation {
  const out = { ...v, body: v.body.slice(), dof: v.dof.slice(), geom: v.geom.slice() };
  if (change.kind === 'mass') {
    if (!(change.body >= 0 && change.body < v.body.length))
      throw new InvalidArgumentError(`no body ${change.body} to add a payload to`);
    out.body[change.body] += Math.log(change.factor) / Math.log(VARIATION_BASE);
  } else if (change.kind === 'motor') {
    const slots = motorSlots(v, change.actuator, change.strength ?? 0);
    if (!slots)
      throw new InvalidArgumentError(
        `cannot weaken motor ${change.actuator} as well: a variation holds one broken and one weak motor`,
      );
    out.disabledActuator = slots.disabledActuator;
    if (slots.weakActuator) out.weakActuator = { ...slots.weakActuator };
    else delete out.weakActuator;
  }
  return out;
}
