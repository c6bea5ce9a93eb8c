import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import type { Rng } from '../../random/rng.js';
import { dynamicsFamily } from './family.js';
import { ToyPendulum } from './toy-pendulum.js';
import {
  actuatorStrengths,
  sampleVariation,
  type VariationSettings,
  variationFeatures,
  variationStreams,
} from './variations.js';
import type { Variation } from './physics.js';

const base = { range: 3, extrapolation: 4.5, brokenMotor: 0.5 };
const toy = new ToyPendulum().info;
const three = { counts: { bodies: 2, dofs: 2, geoms: 3, actuators: 3 } };
const draws = (info: typeof three, s: VariationSettings, rng: Rng, n: number) =>
  Array.from({ length: n }, () => sampleVariation(info, s, rng));
const row = (v: Variation) => [v.body[0], v.dof[0], v.geom[0], v.disabledActuator];

describe('weak motors in dynamics variations', () => {
  it('leave the streams of a seed as they were when off (absent or 0)', () => {
    // Seed 7's first variations of the toy pendulum and the draw after them, as written before
    // weak motors existed: checkpoints and configs without the option must see exactly these.
    const before = [
      [2.492938866887524, -0.3225091162188205, -1.1650382431498865, -1],
      [1.9593235897511105, 2.7284197785128486, -1.7454367164563909, 0],
      [-2.8437759019178555, -1.6065085812446331, -2.9673026472444803, 0],
      [-2.538227956271, -1.0821485986643669, 0.4712855152055755, 0],
    ];
    for (const s of [base, { ...base, weakMotor: 0 }]) {
      const rng = variationStreams(7).train;
      const v = draws(toy, s, rng, 4);
      expect(v.map(row)).toEqual(before);
      expect(rng.uniform()).toBe(0.4242086304210406);
      expect(v.every((x) => !('weakActuator' in x))).toBe(true);
    }
  });

  it('draw one weak actuator with the given probability and a strength in [0, 1)', () => {
    const v = draws(three, { ...base, weakMotor: 0.5 }, variationStreams(3).train, 400);
    const weak = v.filter((x) => x.weakActuator).map((x) => x.weakActuator!);
    expect(weak.length).toBeGreaterThan(160);
    expect(weak.length).toBeLessThan(240);
    for (const w of weak) {
      expect(w.strength).toBeGreaterThanOrEqual(0);
      expect(w.strength).toBeLessThan(1);
      expect(Number.isInteger(w.index) && w.index >= 0 && w.index < 3).toBe(true);
    }
    // Spread over the whole range and over every actuator.
    expect(weak.some((w) => w.strength < 0.2) && weak.some((w) => w.strength > 0.8)).toBe(true);
    expect(new Set(weak.map((w) => w.index)).size).toBe(3);
    const all = draws(three, { ...base, weakMotor: 1 }, variationStreams(3).train, 50);
    expect(all.every((x) => x.weakActuator !== undefined)).toBe(true);
  });

  it("keep each variation's other draws: the weak motor is drawn after them", () => {
    const [off] = draws(three, base, variationStreams(5).train, 1);
    const [on] = draws(three, { ...base, weakMotor: 1 }, variationStreams(5).train, 1);
    expect(row(on)).toEqual(row(off));
    expect([on.body, on.dof, on.geom]).toEqual([off.body, off.dof, off.geom]);
  });

  it("give every motor its gear factor, and the oracle each motor's lost strength", () => {
    const v: Variation = {
      body: new Float64Array([1.5]),
      dof: new Float64Array([-3]),
      geom: new Float64Array([0]),
      disabledActuator: -1,
    };
    expect(Array.from(actuatorStrengths(v, 3))).toEqual([1, 1, 1]);
    expect(Array.from(variationFeatures(v, 3, 3))).toEqual([0.5, -1, 0, 0, 0, 0]);
    const weak = { ...v, weakActuator: { index: 1, strength: 0.25 } };
    expect(Array.from(actuatorStrengths(weak, 3))).toEqual([1, 0.25, 1]);
    expect(Array.from(variationFeatures(weak, 3, 3))).toEqual([0.5, -1, 0, 0, 0.75, 0]);
    // A broken motor is the flag it always was, and wins over a weak one on the same actuator.
    const broken = { ...weak, disabledActuator: 1 };
    expect(Array.from(actuatorStrengths(broken, 3))).toEqual([1, 0, 1]);
    expect(Array.from(variationFeatures({ ...v, disabledActuator: 2 }, 3, 3))).toEqual([0.5, -1, 0, 0, 0, 1]);
  });

  it('weaken the toy pendulum: half the strength, half the push', () => {
    const sim = new ToyPendulum();
    const v: Variation = {
      body: new Float64Array(1),
      dof: new Float64Array(1),
      geom: new Float64Array(1),
      disabledActuator: -1,
    };
    const speed = (x: Variation, u: number) => {
      const r = sim.rollout(x, new Float64Array(2), new Float32Array([u]));
      if (!r.ok) throw new Error(r.reason);
      return r.states[3];
    };
    const push = (x: Variation) => speed(x, 1) - speed(x, 0);
    const half = push({ ...v, weakActuator: { index: 0, strength: 0.5 } });
    expect(half / push(v)).toBeCloseTo(0.5, 6);
  });
});

describe('the weakMotor data setting', () => {
  const config = dynamicsFamily.conformance().configs[0];

  it('is optional (configs written before it lack it) and accepts probabilities', () => {
    const { weakMotor: _, ...old } = { ...config.data, weakMotor: 0 };
    expect(() => dynamicsFamily.validateModelConfig({ ...config, data: old })).not.toThrow();
    for (const p of [0, 0.3, 1])
      expect(() =>
        dynamicsFamily.validateModelConfig({ ...config, data: { ...config.data, weakMotor: p } }),
      ).not.toThrow();
  });

  it('refuses anything but a probability with a typed error naming the field', () => {
    for (const p of [-0.1, 1.5, Number.NaN, '0.5']) {
      const bad = { ...config, data: { ...config.data, weakMotor: p as number } };
      expect(() => dynamicsFamily.validateModelConfig(bad)).toThrow(InvalidArgumentError);
      expect(() => dynamicsFamily.validateModelConfig(bad)).toThrow(/data\.weakMotor/);
    }
  });
});
