import '@hypermeta/backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CemPlanner,
  dynamicsControlTask,
  type DynamicsModel,
  InvalidArgumentError,
  loadCheckpoint,
  rewardOf,
  Rng,
  SimulatorDynamics,
  tf,
  useBackend,
  type Variation,
} from '@hypermeta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PLANNER, OnlineController, type StepRecord } from '../src/dynamics/controller.js';
import { loadPendulum } from '../src/dynamics/engine.js';

const SHIPPED = fileURLToPath(new URL('../public/models/dynamics/', import.meta.url));
/** The checkpoint folder measured (the table below may measure another one: MOTOR_MODEL=DIR). */
const MODEL_DIR = process.env.MOTOR_MODEL ? `${process.env.MOTOR_MODEL.replace(/\/$/, '')}/` : SHIPPED;
/** The pendulum's timestep (the shipped MJCF's). */
const DT = 0.02;
const steps = (seconds: number) => Math.round(seconds / DT);

let model: DynamicsModel;

beforeAll(async () => {
  // The page's backend: the measured shares below are those of the panel's arithmetic.
  await useBackend('wasm');
  const read = async (name: string) => new Uint8Array(readFileSync(`${MODEL_DIR}${name}`));
  model = (await loadCheckpoint(read, { optimizer: false })).model as DynamicsModel;
});
afterAll(() => model?.dispose());

/**
 * One episode on a fresh MuJoCo pendulum: the motor set to `strength` after `at` steps (and the
 * pole's mass multiplied by `mass`, for the panel's other change).
 */
async function episode(seed: number, n: number, at: number, strength: number, mass = 1) {
  const world = await loadPendulum();
  const c = new OnlineController(world, model, BROWSER_PLANNER, seed);
  try {
    const out: StepRecord[] = [];
    for (let t = 0; t < n; t++) {
      if (t === at) {
        c.setMotor(strength);
        if (mass !== 1) c.setMass(mass);
      }
      out.push(c.step());
    }
    return { records: out, motor: c.motor };
  } finally {
    c.dispose();
    world.dispose?.();
  }
}

/**
 * The same episode planned through the true simulator (a second MuJoCo pendulum told the new
 * strength at once): the ceiling, which tells a strength no planner of these settings can hold
 * from one the generated model fails at.
 */
async function ceilingEpisode(seed: number, n: number, at: number, strength: number): Promise<number[]> {
  const [world, inner] = [await loadPendulum(), await loadPendulum()];
  const env = model.config.env;
  const task = dynamicsControlTask(env, 'swingup');
  const planner = new CemPlanner(
    { ...BROWSER_PLANNER, actionRange: env.ctrlRange, initialStd: 0.5 },
    Rng.fromSeed(seed, 'demo-planner'),
  );
  const c = env.counts;
  const v: Variation = {
    body: new Float64Array(c.bodies),
    dof: new Float64Array(c.dofs),
    geom: new Float64Array(c.geoms),
    disabledActuator: -1,
  };
  try {
    let state = world.reset(v, task.start(Rng.fromSeed(seed, 'demo-start')));
    inner.reset(v, new Float64Array(env.nq + env.nv));
    const truth = new SimulatorDynamics(inner);
    const rewards: number[] = [];
    for (let t = 0; t < n; t++) {
      if (t === at) {
        const weak = { ...v, weakActuator: { index: 0, strength } };
        world.setVariation(weak);
        inner.setVariation(weak);
      }
      const action = planner.plan(state, truth, task.planReward);
      const r = world.step(action);
      if (!r.ok) throw new Error(r.reason);
      rewards.push(rewardOf(task.reward, r.state, action));
      state = r.state;
    }
    return rewards;
  } finally {
    world.dispose?.();
    inner.dispose?.();
  }
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const upright = (r: StepRecord[], from: number, to: number) => mean(r.slice(from, to).map((s) => s.reward));

describe("the dynamics panel's motor strength (shipped checkpoint, MuJoCo, wasm)", () => {
  it('changes the simulated motor from the next step on, keeping the model from before', async () => {
    await episode(7, 2, 99, 1); // the engine and the first kernels are set up before counting
    const before = tf.memory().numTensors;
    const weak = await episode(7, 24, 12, 0.5);
    expect(tf.memory().numTensors).toBe(before);
    const same = await episode(7, 24, 99, 1);
    const plain = ({ planMs: _, ...rest }: StepRecord) => rest;
    expect(weak.records.slice(0, 12).map(plain)).toEqual(same.records.slice(0, 12).map(plain));
    expect(weak.motor).toBe(0.5);
    expect(weak.records.slice(12).every((s) => s.keptError !== null)).toBe(true);
    expect(same.records.every((s) => s.keptError === null)).toBe(true);
    // From step 12 on the same actions push with half the torque: the pendulum swings otherwise.
    expect(weak.records[23].angle).not.toBeCloseTo(same.records[23].angle, 4);
  });

  it('keeps the pole up after the motor falls to 15 % while it is up (the model saw weak motors)', async () => {
    const r = (await episode(1, steps(10), steps(6), 0.15)).records;
    expect(upright(r, steps(5), steps(6))).toBeGreaterThan(0.9);
    expect(upright(r, steps(6), steps(10))).toBeGreaterThan(0.9);
  });

  it('refuses a strength outside 0–1 with a typed error', async () => {
    const world = await loadPendulum();
    const c = new OnlineController(world, model, BROWSER_PLANNER, 1);
    try {
      for (const s of [-0.1, 1.5, Number.NaN]) expect(() => c.setMotor(s)).toThrow(InvalidArgumentError);
      c.setMotor(0);
      expect(c.motor).toBe(0);
      c.setMotor(1);
      expect(c.motor).toBe(1);
    } finally {
      c.dispose();
      world.dispose?.();
    }
  });
});

/**
 * The measurement quoted in docs/DYNAMICS.md: MOTOR_TABLE=1 npx vitest run test/dynamics-motor.test.ts
 * (optionally MOTOR_SEEDS=1,2,3 MOTOR_STRENGTHS=1,0.5,0.25; MOTOR_CEILING=1 adds the true simulator
 * as the planning model, in the same episodes; MOTOR_MASS=2 multiplies the mass too, MOTOR_MODEL=DIR
 * measures another checkpoint). Each episode swings the nominal pendulum up for 6 s (MOTOR_AT=0:
 * no time, the motor is weak from the start), sets the motor's strength, and runs 6 s more
 * (MOTOR_AFTER seconds).
 */
describe.runIf(process.env.MOTOR_TABLE)('upright share before and after weakening the motor', () => {
  const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
  const seeds = list(process.env.MOTOR_SEEDS, [1, 2, 3, 4, 5]);
  const strengths = list(process.env.MOTOR_STRENGTHS, [1, 0.75, 0.5, 0.35, 0.25, 0.15]);
  const massFactor = Number(process.env.MOTOR_MASS ?? 1);
  it('is printed per strength', async () => {
    const at = steps(Number(process.env.MOTOR_AT ?? 6));
    const n = at + steps(Number(process.env.MOTOR_AFTER ?? 6));
    for (const s of strengths) {
      const rows: string[] = [];
      const before: number[] = [];
      const after: number[] = [];
      const errs: number[] = [];
      const kept: number[] = [];
      const ceiling: string[] = [];
      for (const seed of seeds) {
        const t0 = performance.now();
        const r = (await episode(seed, n, at, s, massFactor)).records;
        if (process.env.MOTOR_CEILING && massFactor === 1) {
          const truth = await ceilingEpisode(seed, n, at, s);
          const share = (from: number, to: number) => mean(truth.slice(from, to));
          ceiling.push(
            `${(100 * share(at - steps(1), at)).toFixed(0)} → ${(100 * share(at, n)).toFixed(0)} %`,
          );
        }
        before.push(upright(r, at - steps(1), at));
        after.push(upright(r, at, n));
        // Once the window holds only transitions after the change.
        const late = r.slice(at + model.config.context, n);
        errs.push(mean(late.map((x) => x.error ?? 0)));
        kept.push(mean(late.map((x) => x.keptError ?? 0)));
        rows.push(
          `seed ${seed}: ${(100 * before.at(-1)!).toFixed(0)} → ${(100 * after.at(-1)!).toFixed(0)} % ` +
            `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
      }
      console.log(
        `motor ${(100 * s).toFixed(0)} %, mass ×${massFactor}: upright ${(100 * mean(before)).toFixed(1)} % of the second ` +
          `before, ${(100 * mean(after)).toFixed(1)} % of the ${((n - at) * DT).toFixed(0)} s after; one-step error after ` +
          `${mean(errs).toFixed(5)} (kept model ${mean(kept).toFixed(5)}); ${rows.join('; ')}` +
          (ceiling.length ? `; true simulator as the model: ${ceiling.join(', ')}` : ''),
      );
    }
  }, 3_600_000);
});
