import type { Rng } from '../../random/rng.js';

/**
 * Random action sequences within the control range. Half the episodes draw actions
 * independently (uniform); the other half use correlated noise (an AR(1) process with a
 * coefficient drawn in [0.8, 0.98]), whose sustained pushes move a locomotion body away from
 * its start state where white noise only makes it tremble.
 */
export function randomActions(L: number, ctrlRange: readonly number[], rng: Rng): Float32Array {
  const nu = ctrlRange.length / 2;
  const out = new Float32Array(L * nu);
  const smooth = rng.uniform() < 0.5;
  const rho = rng.range(0.8, 0.98);
  const innovation = Math.sqrt(1 - rho * rho);
  const state = new Float64Array(nu).map(() => rng.range(-1, 1));
  for (let t = 0; t < L; t++) {
    for (let j = 0; j < nu; j++) {
      // u in [−1, 1] mapped onto the actuator's range.
      let u: number;
      if (smooth) {
        state[j] = rho * state[j] + innovation * rng.normal();
        u = Math.max(-1, Math.min(1, state[j]));
      } else u = rng.range(-1, 1);
      const lo = ctrlRange[2 * j];
      const hi = ctrlRange[2 * j + 1];
      out[t * nu + j] = lo + ((u + 1) / 2) * (hi - lo);
    }
  }
  return out;
}
