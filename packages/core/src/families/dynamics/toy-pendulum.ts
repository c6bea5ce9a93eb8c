import type {
  DynamicsEnvInfo,
  RolloutResult,
  SteppableSimulator,
  SimStepResult,
  Variation,
} from './physics.js';
import { VARIATION_BASE } from './physics.js';

/**
 * A damped, driven pendulum integrated in closed form (semi-implicit Euler): θ'' = (g_a·u − c·ω −
 * m·g·l·sin θ) / (m·l²). It stands in for a physics engine where none may be loaded (the
 * conformance suite, unit tests): same interface, same variation groups (mass per body, damping
 * per dof, a friction factor that has no effect here, a motor that can break). θ = 0 hangs down.
 */
export class ToyPendulum implements SteppableSimulator {
  readonly info: DynamicsEnvInfo = {
    name: 'toy-pendulum',
    nq: 1,
    nv: 1,
    nu: 1,
    droppedQpos: [],
    angleIndices: [0],
    spinQpos: [0],
    ctrlRange: [-1, 1],
    dt: 0.05,
    counts: { bodies: 1, dofs: 1, geoms: 1, actuators: 1 },
  };

  private current: Variation = {
    body: new Float64Array(1),
    dof: new Float64Array(1),
    geom: new Float64Array(1),
    disabledActuator: -1,
  };
  private q = 0;
  private w = 0;

  /** `explodes` marks variations whose integration should fail (to test instability handling). */
  constructor(private readonly explodes: (v: Variation) => boolean = () => false) {}

  /** One timestep of (q, w) under variation `v` and action `u`. */
  private integrate(v: Variation, q: number, w: number, u: number): [number, number] {
    const m = VARIATION_BASE ** v.body[0];
    const c = 0.3 * VARIATION_BASE ** v.dof[0];
    const gain =
      v.disabledActuator === 0 ? 0 : 4 * (v.weakActuator?.index === 0 ? v.weakActuator.strength : 1);
    const sub = 5;
    const h = this.info.dt / sub;
    for (let s = 0; s < sub; s++) {
      const acc = (gain * u - c * w - m * 9.81 * Math.sin(q)) / m;
      w += h * acc;
      q += h * w;
    }
    return [q, w];
  }

  rollout(v: Variation, start: Float64Array, actions: Float32Array): RolloutResult {
    const L = actions.length;
    const explode = this.explodes(v);
    let q = start[0];
    let w = start[1];
    const states = new Float32Array((L + 1) * 2);
    states[0] = q;
    states[1] = w;
    for (let t = 0; t < L; t++) {
      [q, w] = this.integrate(v, q, w, actions[t]);
      if (explode && t > L / 2) w = NaN;
      states[2 * (t + 1)] = q;
      states[2 * (t + 1) + 1] = w;
    }
    return { ok: true, states };
  }

  reset(v: Variation, start: Float64Array): Float32Array {
    this.current = v;
    this.q = start[0];
    this.w = start[1];
    return Float32Array.of(this.q, this.w);
  }

  setVariation(v: Variation): void {
    this.current = v;
  }

  setState(state: ArrayLike<number>): void {
    this.q = state[0];
    this.w = state[1];
  }

  step(action: ArrayLike<number>): SimStepResult {
    const u = Math.min(1, Math.max(-1, action[0]));
    [this.q, this.w] = this.integrate(this.current, this.q, this.w, u);
    if (!Number.isFinite(this.q) || !Number.isFinite(this.w))
      return { ok: false, reason: 'non-finite state' };
    return { ok: true, state: Float32Array.of(this.q, this.w) };
  }
}
