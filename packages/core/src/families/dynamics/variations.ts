import { Rng } from '../../random/rng.js';
import type { DynamicsEnvInfo, Variation } from './physics.js';

/** How variations are drawn: exponents u ~ U(−range, range), factor 1.5^u. */
export interface VariationSettings {
  /** Training (and in-range evaluation) exponents lie in [−range, range]; default 3 (factors 0.30–3.4). */
  range: number;
  /** Extrapolation exponents have |u| in (range, extrapolation]: every factor outside training's. */
  extrapolation: number;
  /** Probability that one actuator (chosen uniformly) is disabled (gear 0). */
  brokenMotor: number;
  /**
   * Probability that one actuator (chosen uniformly, independently of a broken one) works at a
   * strength s ~ U(0, 1): its gear times s. Absent or 0: nothing is drawn for it, so a seed draws
   * exactly the variations it drew before the option existed.
   */
  weakMotor?: number;
}

export type VariationKind = 'train' | 'eval' | 'extrapolation';

/**
 * The variation streams of a seed. They are labelled apart from core's task, noise and pool
 * streams (random/streams.ts), so they never share draws with them; evaluation is the training
 * stream jumped 2^64 draws ahead, so for one seed the two never share a variation; extrapolation
 * has a stream of its own.
 */
export function variationStreams(seed: number): Record<VariationKind, Rng> {
  const train = Rng.fromSeed(seed, 'dynamics-variations');
  return { train, eval: train.jumped(), extrapolation: Rng.fromSeed(seed, 'dynamics-extrapolation') };
}

function draw(n: number, rng: Rng, s: VariationSettings, outside: boolean): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!outside) out[i] = rng.range(-s.range, s.range);
    else {
      const sign = rng.uniform() < 0.5 ? -1 : 1;
      // Strictly beyond the training range: the open end keeps u ≠ ±range.
      out[i] = sign * (s.extrapolation - rng.uniform() * (s.extrapolation - s.range));
    }
  }
  return out;
}

/** One variation of the model described by `info`, drawn from `rng`. */
export function sampleVariation(
  info: Pick<DynamicsEnvInfo, 'counts'>,
  s: VariationSettings,
  rng: Rng,
  outside = false,
): Variation {
  const c = info.counts;
  const body = draw(c.bodies, rng, s, outside);
  const dof = draw(c.dofs, rng, s, outside);
  const geom = draw(c.geoms, rng, s, outside);
  const broken = c.actuators > 0 && rng.uniform() < s.brokenMotor;
  const v: Variation = { body, dof, geom, disabledActuator: broken ? rng.int(c.actuators) : -1 };
  const weak = s.weakMotor ?? 0;
  // Drawn after everything else, and only when asked for, so the draws above never move.
  if (c.actuators > 0 && weak > 0 && rng.uniform() < weak)
    v.weakActuator = { index: rng.int(c.actuators), strength: rng.uniform() };
  return v;
}

/** Each actuator's gear factor under `v`: 1 at full strength, a weak motor's strength, 0 if broken. */
export function actuatorStrengths(v: Variation, nu: number): Float64Array {
  const out = new Float64Array(nu).fill(1);
  if (v.weakActuator && v.weakActuator.index < nu) out[v.weakActuator.index] = v.weakActuator.strength;
  if (v.disabledActuator >= 0 && v.disabledActuator < nu) out[v.disabledActuator] = 0;
  return out;
}

/** Length of `variationFeatures`: every exponent, then one value per actuator. */
export function variationFeatureSize(info: Pick<DynamicsEnvInfo, 'counts'>): number {
  const c = info.counts;
  return c.bodies + c.dofs + c.geoms + c.actuators;
}

/**
 * The true variation as network input (for the oracle): exponents over `range`, then each motor's
 * lost strength 1 − s (1: broken, 0: intact), which without weak motors is the broken-motor flag
 * it always was, so oracle checkpoints trained before weak motors read the same inputs.
 */
export function variationFeatures(v: Variation, range: number, nu: number): Float32Array {
  const out = new Float32Array(v.body.length + v.dof.length + v.geom.length + nu);
  let at = 0;
  for (const g of [v.body, v.dof, v.geom]) for (const u of g) out[at++] = u / range;
  const strength = actuatorStrengths(v, nu);
  for (let j = 0; j < nu; j++) out[at + j] = 1 - strength[j];
  return out;
}
