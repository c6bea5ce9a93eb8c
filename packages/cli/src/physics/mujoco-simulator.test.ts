import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError, InvalidArgumentError, type Variation } from '@hypermeta/core';
import { chooseModel } from './model-source.js';
import { MujocoSimulator } from './mujoco-simulator.js';

/** dm_control's suite, provided beside the repository for tests (never committed). */
export const SUITE_DIR = fileURLToPath(
  new URL('../../../../../shared/data/dm_control_suite', import.meta.url),
);

const nominal = (sim: MujocoSimulator, u = 0): Variation => ({
  body: new Float64Array(sim.info.counts.bodies).fill(u),
  dof: new Float64Array(sim.info.counts.dofs).fill(u),
  geom: new Float64Array(sim.info.counts.geoms).fill(u),
  disabledActuator: -1,
});

describe('MuJoCo simulator', () => {
  it('loads the shipped pendulum and simulates the same states for the same inputs', async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'pendulum' }));
    try {
      expect(sim.info).toMatchObject({ nq: 1, nv: 1, nu: 1, angleIndices: [0], spinQpos: [0], dt: 0.02 });
      const start = new Float64Array([1, 0]);
      const actions = new Float32Array(50).fill(1);
      const a = sim.rollout(nominal(sim), start, actions);
      const b = sim.rollout(nominal(sim), start, actions);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.states).toEqual(b.states);
      // Heavier and more damped: a different trajectory; a broken motor: the push has no effect.
      const heavy = sim.rollout(nominal(sim, 2), start, actions);
      const broken = sim.rollout({ ...nominal(sim), disabledActuator: 0 }, start, actions);
      const free = sim.rollout(nominal(sim), start, new Float32Array(50));
      expect(heavy.ok && broken.ok && free.ok).toBe(true);
      if (!heavy.ok || !broken.ok || !free.ok) return;
      expect(heavy.states[100]).not.toBeCloseTo(a.states[100], 3);
      expect(broken.states).toEqual(free.states);
    } finally {
      sim.dispose();
    }
  });

  it("scales a weak motor's push by its strength, and keeps a broken motor off", async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'pendulum' }));
    try {
      // One step from hanging still: the speed the torque adds over the unpushed step is its acceleration × dt.
      const speed = (v: Variation, u: number) => {
        const r = sim.rollout(v, new Float64Array(2), new Float32Array([u]));
        if (!r.ok) throw new Error(r.reason);
        return r.states[3];
      };
      const push = (v: Variation) => speed(v, 2) - speed(v, 0);
      const full = push(nominal(sim));
      expect(full).toBeGreaterThan(0.01);
      const weak = (strength: number): Variation => ({
        ...nominal(sim),
        weakActuator: { index: 0, strength },
      });
      for (const s of [0.75, 0.5, 0.1]) expect(push(weak(s)) / full).toBeCloseTo(s, 4);
      expect(push(weak(0))).toBe(0);
      expect(push({ ...weak(0.5), disabledActuator: 0 })).toBe(0);
      // Strength 1 is the intact motor; and a rollout after a weak one restores the nominal gear.
      expect(push(weak(1))).toBe(full);
      expect(push(nominal(sim))).toBe(full);
      // Stepwise: weakened from the next step on, the same torque accelerates less.
      const step = (v: Variation) => {
        sim.reset(nominal(sim), new Float64Array(2));
        sim.setVariation(v);
        const r = sim.step([2]);
        if (!r.ok) throw new Error(r.reason);
        return r.state[1];
      };
      expect(step(weak(0.5))).toBeLessThan(0.6 * step(nominal(sim)));
    } finally {
      sim.dispose();
    }
  });

  it('loads the shipped cart-pole: the cart position stays in the state, the pole spins freely', async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'cartpole' }));
    try {
      expect(sim.info).toMatchObject({
        nq: 2,
        nv: 2,
        nu: 1,
        droppedQpos: [],
        angleIndices: [1],
        spinQpos: [1],
      });
      const r = sim.rollout(nominal(sim), new Float64Array([0, 0.1, 0, 0]), new Float32Array(50).fill(1));
      expect(r.ok).toBe(true);
      // Pushed right for a second: the cart has moved right.
      if (r.ok) expect(r.states[50 * 4]).toBeGreaterThan(0.1);
    } finally {
      sim.dispose();
    }
  });

  it('drops the cheetah root x from the state and keeps its pitch an unspun angle', async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'cheetah', suiteDir: SUITE_DIR }));
    try {
      expect(sim.info).toMatchObject({ nq: 9, nv: 9, nu: 6, droppedQpos: [0], spinQpos: [] });
      expect(sim.info.angleIndices).toEqual([1]);
      const r = sim.rollout(nominal(sim), new Float64Array(18), new Float32Array(6 * 20).fill(0.5));
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.states).toHaveLength(21 * 17);
    } finally {
      sim.dispose();
    }
  });

  it('reports a variation MuJoCo cannot integrate (a bad acceleration warning) as unstable', async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'cheetah', suiteDir: SUITE_DIR }));
    try {
      // Bodies of 1e-14 of their mass: the motors' accelerations exceed MuJoCo's bound.
      const r = sim.rollout(nominal(sim, -80), new Float64Array(18), new Float32Array(6 * 20).fill(1));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/MuJoCo warned/);
      // The next, ordinary variation is simulated normally: nothing carries over.
      expect(sim.rollout(nominal(sim), new Float64Array(18), new Float32Array(6 * 20)).ok).toBe(true);
    } finally {
      sim.dispose();
    }
  });

  it('refuses a missing, malformed or unknown model with a typed error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hm-mjcf-'));
    writeFileSync(join(dir, 'bad.xml'), '<mujoco><worldbody><body></mujoco>');
    expect(() => chooseModel({ modelXml: join(dir, 'none.xml') })).toThrow(DataError);
    await expect(MujocoSimulator.load(chooseModel({ modelXml: join(dir, 'bad.xml') }))).rejects.toThrow(
      /MuJoCo cannot load the model/,
    );
    expect(() => chooseModel({ env: 'nonesuch' })).toThrow(InvalidArgumentError);
  });
});

describe('MuJoCo simulator, stepwise (control)', () => {
  it('steps the cheetah as a rollout does, and from a state it is put in', async () => {
    const sim = await MujocoSimulator.load(chooseModel({ env: 'cheetah', suiteDir: SUITE_DIR }));
    try {
      const S = sim.info.nq - 1 + sim.info.nv;
      const start = new Float64Array(sim.info.nq + sim.info.nv).fill(0.05);
      const L = 30;
      const actions = Float32Array.from({ length: L * sim.info.nu }, (_, i) => Math.sin(i));
      const v = nominal(sim, 0.5);
      const r = sim.rollout(v, start, actions);
      if (!r.ok) throw new Error(r.reason);
      const first = sim.reset(v, start);
      expect(first).toEqual(r.states.subarray(0, S));
      const states = [first];
      for (let t = 0; t < L; t++) {
        const s = sim.step(actions.subarray(t * sim.info.nu, (t + 1) * sim.info.nu));
        if (!s.ok) throw new Error(s.reason);
        states.push(s.state);
      }
      for (let t = 0; t <= L; t++) expect(states[t]).toEqual(r.states.subarray(t * S, (t + 1) * S));
      // Put back in step 10's state, one step gives step 11's (up to float32 storage and the solver's warm start).
      sim.setState(states[10]);
      const again = sim.step(actions.subarray(10 * sim.info.nu, 11 * sim.info.nu));
      if (!again.ok) throw new Error(again.reason);
      again.state.forEach((x, i) => expect(x).toBeCloseTo(states[11][i], 2));
      // A broken motor from now on: the same push moves the body otherwise.
      sim.setState(states[10]);
      sim.setVariation({ ...v, disabledActuator: 0 });
      const broken = sim.step(actions.subarray(10 * sim.info.nu, 11 * sim.info.nu));
      if (!broken.ok) throw new Error(broken.reason);
      expect(broken.state).not.toEqual(again.state);
    } finally {
      sim.dispose();
    }
  });
});
