import {
  actuatorStrengths,
  adaptToRecent,
  CemPlanner,
  type DynamicsControlTask,
  dynamicsControlTask,
  type DynamicsModel,
  dynamicsStateSize,
  type LearnedDynamics,
  rewardOf,
  Rng,
  type SteppableSimulator,
  tf,
  InvalidArgumentError,
  type Variation,
  VARIATION_BASE,
} from '@hypermeta/core';

/** The planner's settings: a cheaper CEM than the command line's default (200 × 30 × 4). */
export interface PlannerSettings {
  candidates: number;
  horizon: number;
  iterations: number;
  elites: number;
}

/**
 * 40 candidates, 0.6 s ahead, 2 refinements: 2,400 model steps per control step. Measured with
 * `hypermeta control` on the shipped checkpoint (3 episodes of 12 s, nominal pendulum, mass ×2 at
 * 6 s): these settings held the pole up through the whole second half in all three, as 60 × 30 × 3
 * did; a 0.4 s horizon (40 × 20 × 2) held it in one of three. The CLI's default (200 × 30 × 4)
 * rolls ten times as many model steps: the page would fall far behind the 20 ms each step simulates.
 */
export const BROWSER_PLANNER: PlannerSettings = { candidates: 40, horizon: 30, iterations: 2, elites: 4 };

/** What one control step did. */
export interface StepRecord {
  /** The pendulum's angle after the step (0: hanging, π: upright) and the torque applied. */
  angle: number;
  action: number;
  /** dm_control's swing-up reward: 1 within 30° of upright. */
  reward: number;
  /** (1 + cos)/2 of the angle from upright: what the planner maximises. */
  height: number;
  /**
   * The generated model's one-step error on this step: squared error of its predicted next state,
   * over the training data's variance of Δs, averaged over the state (null before it has seen a
   * transition: there is no generated model yet).
   */
  error: number | null;
  /**
   * The same error for the model generated just before the last change (mass or motor) and kept
   * since: what the error would be without adapting (null before any change).
   */
  keptError: number | null;
  /** Milliseconds spent generating the model and planning. */
  planMs: number;
}

/**
 * Model-predictive control of a running simulation, adapting online: before every step the
 * hypernetwork generates the dynamics model from the last K transitions (as `hypermeta control`
 * does) and CEM plans through it. Unlike a command-line episode it runs for as long as the page
 * wants, and the body can be changed at any step (`setMass`, `setMotor`).
 */
export class OnlineController {
  readonly task: DynamicsControlTask;
  readonly context: number;
  private readonly S: number;
  private readonly planner: CemPlanner;
  private readonly starts: Rng;
  private variation: Variation;
  /** The last (at most) K + 1 states and K actions, oldest first. */
  private states: Float32Array;
  private actions: Float32Array;
  private seen = 0;
  private state: Float32Array;
  private massFactor = 1;
  private strength = 1;
  /** The model generated from the transitions seen before the last change. */
  private kept?: LearnedDynamics;

  constructor(
    private readonly world: SteppableSimulator,
    private readonly model: DynamicsModel,
    settings: PlannerSettings,
    seed: number,
  ) {
    const env = model.config.env;
    this.task = dynamicsControlTask(env, 'swingup');
    this.S = dynamicsStateSize(env);
    this.context = model.config.context;
    this.planner = new CemPlanner(
      { ...settings, actionRange: env.ctrlRange, initialStd: 0.5 },
      Rng.fromSeed(seed, 'demo-planner'),
    );
    this.starts = Rng.fromSeed(seed, 'demo-start');
    this.variation = this.nominal();
    this.states = new Float32Array((this.context + 1) * this.S);
    this.actions = new Float32Array(this.context * env.nu);
    this.state = this.restart();
  }

  private nominal(): Variation {
    const c = this.model.config.env.counts;
    return {
      body: new Float64Array(c.bodies),
      dof: new Float64Array(c.dofs),
      geom: new Float64Array(c.geoms),
      disabledActuator: -1,
    };
  }

  /** The pendulum hanging again (with a little start noise); the body keeps its current mass. */
  restart(): Float32Array {
    this.state = this.world.reset(this.variation, this.task.start(this.starts));
    this.planner.reset();
    this.seen = 0;
    this.states.set(this.state, 0);
    return this.state;
  }

  /** Multiplies the pole's nominal mass and inertia by `factor` from the next step on. */
  setMass(factor: number): void {
    if (!(factor > 0 && Number.isFinite(factor)))
      throw new InvalidArgumentError(`the mass factor must be a positive number, got ${factor}`);
    this.change(factor, this.strength);
  }

  /**
   * Runs the motor at `strength` (0: off, 1: as built) of its torque from the next step on: its
   * gear is scaled, as a variation's weak motor is, so the same action pushes less.
   */
  setMotor(strength: number): void {
    if (!(strength >= 0 && strength <= 1))
      throw new InvalidArgumentError(`the motor strength must be from 0 to 1, got ${strength}`);
    this.change(this.massFactor, strength);
  }

  /** The body from the next step on; the model generated before the change is kept for comparison. */
  private change(mass: number, strength: number): void {
    [this.massFactor, this.strength] = [mass, strength];
    if (this.seen > 0) {
      this.kept?.dispose();
      this.kept = undefined;
      this.kept = this.generate();
    }
    const v = this.nominal();
    v.body[v.body.length - 1] = Math.log(mass) / Math.log(VARIATION_BASE);
    if (strength < 1) v.weakActuator = { index: 0, strength };
    this.variation = v;
    this.world.setVariation(v);
  }

  get mass(): number {
    return this.massFactor;
  }

  /** The motor's strength as the simulation applies it (its gear over the nominal one). */
  get motor(): number {
    return actuatorStrengths(this.variation, this.model.config.env.nu)[0];
  }

  get angle(): number {
    return this.state[0];
  }

  /** Plans from the current state, applies the first action, and records what happened. */
  step(): StepRecord {
    const env = this.model.config.env;
    const A = env.nu;
    const t0 = performance.now();
    let learned: LearnedDynamics | undefined;
    let action: Float32Array = Float32Array.from(
      { length: A },
      (_, j) => (env.ctrlRange[2 * j] + env.ctrlRange[2 * j + 1]) / 2,
    );
    let predicted: Float32Array | undefined;
    try {
      if (this.seen > 0) {
        learned = this.generate();
        action = this.planner.plan(this.state, learned, this.task.planReward);
      }
      const planMs = performance.now() - t0;
      if (learned) predicted = this.predict(learned, action);
      const keptPrediction = this.kept && this.predict(this.kept, action);
      const r = this.world.step(action);
      if (!r.ok) throw new Error(`the simulation became unstable (${r.reason})`);
      const error = predicted ? this.error(predicted, r.state) : null;
      const keptError = keptPrediction ? this.error(keptPrediction, r.state) : null;
      this.record(action, r.state);
      return {
        angle: r.state[0],
        action: action[0],
        reward: rewardOf(this.task.reward, r.state, action),
        height: rewardOf(this.task.planReward, r.state, action),
        error,
        keptError,
        planMs,
      };
    } finally {
      learned?.dispose();
    }
  }

  /** The dynamics model the hypernetwork generates from the last (at most) K transitions. */
  private generate(): LearnedDynamics {
    const recent = { states: this.states, actions: this.actions, length: Math.min(this.seen, this.context) };
    // The true variation: only an oracle checkpoint reads it (as in `hypermeta control`).
    return adaptToRecent(this.model, recent, this.context, this.variation, this.model.config.data.range);
  }

  /** Frees the kept model (the simulator is the caller's). */
  dispose(): void {
    this.kept?.dispose();
    this.kept = undefined;
  }

  /** A model's next state for the current state and `action`. */
  private predict(learned: LearnedDynamics, action: Float32Array): Float32Array {
    const next = tf.tidy(() =>
      learned.step(tf.tensor2d(this.state, [1, this.S]), tf.tensor2d(action, [1, action.length])),
    );
    try {
      return next.dataSync() as Float32Array;
    } finally {
      next.dispose();
    }
  }

  private error(predicted: Float32Array, actual: Float32Array): number {
    const std = this.model.norm.outStd;
    let sum = 0;
    for (let j = 0; j < this.S; j++) sum += ((predicted[j] - actual[j]) / std[j]) ** 2;
    return sum / this.S;
  }

  /** Keeps the last K transitions: the window slides by one once it is full. */
  private record(action: Float32Array, next: Float32Array): void {
    const { S, context: K } = this;
    const A = action.length;
    if (this.seen >= K) {
      this.states.copyWithin(0, S);
      this.actions.copyWithin(0, A);
    }
    const i = Math.min(this.seen, K - 1);
    this.actions.set(action, i * A);
    this.states.set(next, (i + 1) * S);
    this.seen++;
    this.state = next;
  }
}
