/**
 * The physics a dynamics family needs, as an interface: core never loads a physics engine
 * itself (it must run in browsers, and the engine is a large wasm module the caller chooses).
 * The command line hands core a MuJoCo-backed simulator; tests hand it a closed-form toy.
 */

/** What the networks and the variation sampler need to know of a simulated body. */
export interface DynamicsEnvInfo {
  /** Environment name, e.g. 'pendulum' or a model file's name. */
  name: string;
  nq: number;
  nv: number;
  nu: number;
  /** qpos indices left out of the state: a locomotion root's x position (nothing depends on it). */
  droppedQpos: number[];
  /** State indices of unbounded hinge angles: the networks see them as (sin, cos). */
  angleIndices: number[];
  /** qpos indices whose start value is drawn over a full turn (free-swinging hinges, not a floating root). */
  spinQpos: number[];
  /** Control range per actuator, [lo0, hi0, lo1, hi1, …]. */
  ctrlRange: number[];
  /** Seconds between recorded states. */
  dt: number;
  /** How many scaling factors a variation draws per group. */
  counts: { bodies: number; dofs: number; geoms: number; actuators: number };
}

/** State size: kept qpos entries then every qvel entry. */
export function stateSize(info: Pick<DynamicsEnvInfo, 'nq' | 'nv' | 'droppedQpos'>): number {
  return info.nq - info.droppedQpos.length + info.nv;
}

/**
 * A physical variation of the model. Each group holds exponents u: the element's nominal value is
 * multiplied by 1.5^u (mass and inertia per body, damping per dof, friction per geom).
 */
export interface Variation {
  body: Float64Array;
  dof: Float64Array;
  geom: Float64Array;
  /** Index of the actuator whose gear is set to 0 (a broken motor), or -1 for none. */
  disabledActuator: number;
  /**
   * A weak motor: actuator `index`'s gear is multiplied by `strength` in [0, 1] (0 is a broken
   * motor). Absent: every motor at full strength (variations drawn before it existed lack it).
   */
  weakActuator?: { index: number; strength: number };
}

export const VARIATION_BASE = 1.5;

/** One simulated episode: L actions and the L+1 states they produced. */
export interface SimEpisode {
  /** (L+1) × stateSize, row-major. */
  states: Float32Array;
  /** L × nu, row-major (the actions actually applied). */
  actions: Float32Array;
}

/** The outcome of a rollout: states, or why the simulation could not be trusted. */
export type RolloutResult = { ok: true; states: Float32Array } | { ok: false; reason: string };

/**
 * A simulator of one model whose physical parameters can be varied. `rollout` sets the variation,
 * starts from the model's initial state plus `startOffset` (nq + nv values, added to qpos and
 * qvel), applies `actions` (L × nu) and returns the L+1 states. It must restore nothing between
 * calls: every call sets all varied parameters itself.
 */
export interface DynamicsSimulator {
  readonly info: DynamicsEnvInfo;
  rollout(variation: Variation, startOffset: Float64Array, actions: Float32Array): RolloutResult;
  /** Frees engine memory (MuJoCo's model and data); optional for simulators holding none. */
  dispose?(): void;
}

/** One step of a stepwise simulation: the next state, or why it cannot be trusted. */
export type SimStepResult = { ok: true; state: Float32Array } | { ok: false; reason: string };

/**
 * A simulator that can also run one step at a time from any state, as control needs (the real
 * episode, and the true simulator as a planning model). The state is the layout of `stateSize`;
 * qpos entries left out of it (a locomotion root's x) keep whatever value they had.
 */
export interface SteppableSimulator extends DynamicsSimulator {
  /** Sets the variation and puts the body at its initial state plus `startOffset` (nq + nv values). */
  reset(variation: Variation, startOffset: Float64Array): Float32Array;
  /** Changes the variation from the next step on, keeping the state (a payload picked up, a motor lost). */
  setVariation(variation: Variation): void;
  /** Puts the simulation in `state`. */
  setState(state: ArrayLike<number>): void;
  /** Applies `action` (nu values) for one timestep. */
  step(action: ArrayLike<number>): SimStepResult;
}

/** Whether `sim` can run stepwise. */
export function isSteppable(sim: DynamicsSimulator): sim is SteppableSimulator {
  const s = sim as Partial<SteppableSimulator>;
  return typeof s.reset === 'function' && typeof s.step === 'function' && typeof s.setState === 'function';
}
