import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DynamicsModel, loadCheckpoint, tf, useBackend } from '@hypermeta/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_PLANNER, OnlineController, type StepRecord } from '../src/dynamics/controller.js';
import { loadPendulum } from '../src/dynamics/engine.js';

const SHIPPED = fileURLToPath(new URL('../public/models/dynamics/', import.meta.url));

let model: DynamicsModel;

beforeAll(async () => {
  await useBackend('cpu');
  const read = async (name: string) => new Uint8Array(readFileSync(`${SHIPPED}${name}`));
  model = (await loadCheckpoint(read, { optimizer: false })).model as DynamicsModel;
});
afterAll(() => model?.dispose());

/** `n` control steps of a fresh controller on a fresh MuJoCo pendulum; the mass changed at `change.at`. */
async function run(n: number, seed: number, change?: { at: number; mass: number }): Promise<StepRecord[]> {
  const world = await loadPendulum();
  const c = new OnlineController(world, model, BROWSER_PLANNER, seed);
  try {
    const out: StepRecord[] = [];
    for (let t = 0; t < n; t++) {
      if (t === change?.at) c.setMass(change.mass);
      out.push(c.step());
    }
    return out;
  } finally {
    c.dispose();
    world.dispose?.();
  }
}

const withoutTimes = (r: StepRecord[]) => r.map(({ planMs: _, ...rest }) => rest);

describe("the dynamics panel's controller on the shipped checkpoint and MuJoCo", () => {
  it('is a hypernet pendulum model of at most 300 kB of weights', () => {
    expect(model).toBeInstanceOf(DynamicsModel);
    expect([model.config.method, model.config.env.name]).toEqual(['hypernet', 'pendulum']);
    expect(readFileSync(`${SHIPPED}weights.bin`).byteLength).toBeLessThanOrEqual(300_000);
  });

  it('gives the same steps for the same seed, other ones for another seed', async () => {
    const [a, b, other] = [await run(12, 7), await run(12, 7), await run(12, 8)];
    expect(withoutTimes(a)).toEqual(withoutTimes(b));
    expect(withoutTimes(other)).not.toEqual(withoutTimes(a));
    // Step 0 has seen no transition: no model yet, the centre of the torque range.
    expect([a[0].error, a[0].action]).toEqual([null, 0]);
    expect(a.slice(1).every((r) => r.error !== null && r.error >= 0)).toBe(true);
  });

  it('keeps the model from before a mass change beside the regenerated one; no tensor leaks', async () => {
    await run(2, 7); // the engine and the first kernels are set up before counting
    const before = tf.memory().numTensors;
    const r = await run(24, 7, { at: 12, mass: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.slice(0, 12).every((s) => s.keptError === null)).toBe(true);
    expect(r.slice(12).every((s) => s.keptError !== null)).toBe(true);
    // A heavier pole swings differently: the same controller without the change diverges from it.
    const same = await run(24, 7);
    expect(withoutTimes(same.slice(0, 12))).toEqual(withoutTimes(r.slice(0, 12)));
    expect(same[23].angle).not.toBeCloseTo(r[23].angle, 4);
  });
});
