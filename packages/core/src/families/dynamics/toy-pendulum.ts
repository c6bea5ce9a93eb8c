import type { DynamicsEnvInfo, DynamicsSimulator, RolloutResult, Variation } from './physics.js';
import { VARIATION_BASE } from './physics.js';

/**
 * A damped, driven pendulum integrated in closed form (semi-implicit Euler): θ'' = (g_a·u − c·ω −
 * m·g·l·sin θ) / (m·l²). It stands in for a physics engine where none may be loaded (the
 * conformance suite, unit tests): same interface, same variation groups (mass per body, damping
 * per dof, a friction factor that has no effect here, a motor that can break).
 */
export class ToyPendulum implements DynamicsSimulator {
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

  /** `explodes` marks variations whose integration should fail (to test instability handling). */
  constructor(private readonly explodes: (v: Variation) => boolean = () => false) {}

  rollout(v: Variation, start: Float64Array, actions: Float32Array): RolloutResult {
    const L = actions.length;
    const m = VARIATION_BASE ** v.body[0];
    const c = 0.3 * VARIATION_BASE ** v.dof[0];
    const gain = v.disabledActuator === 0 ? 0 : 4;
    const explode = this.explodes(v);
    let q = start[0];
    let w = start[1];
    const states = new Float32Array((L + 1) * 2);
    states[0] = q;
    states[1] = w;
    const sub = 5;
    const h = this.info.dt / sub;
    for (let t = 0; t < L; t++) {
      for (let s = 0; s < sub; s++) {
        const acc = (gain * actions[t] - c * w - m * 9.81 * Math.sin(q)) / m;
        w += h * acc;
        q += h * w;
      }
      if (explode && t > L / 2) w = NaN;
      states[2 * (t + 1)] = q;
      states[2 * (t + 1) + 1] = w;
    }
    return { ok: true, states };
  }
}
