import { InvalidArgumentError } from '../../errors/errors.js';
import { checkInt, checkRange } from '../../validate/checks.js';
import type { DynamicsDataConfig, DynamicsOnPolicyConfig } from './dynamics-config.js';

/**
 * On-policy settings with `rounds` collections and cheap planning: collection runs inside
 * training, so a 15-step horizon, 100 candidates and 2 iterations (control's defaults are 30,
 * 200 and 4); noise 0.1 keeps the executed actions near the plan while still varying them.
 */
export function defaultOnPolicyConfig(rounds: number): DynamicsOnPolicyConfig {
  return { rounds, variations: 50, steps: 100, horizon: 15, candidates: 100, iterations: 2, noise: 0.1 };
}

/** Checks every on-policy field against the data settings; InvalidArgumentError names the first problem. */
export function validateOnPolicyConfig(o: DynamicsOnPolicyConfig, d: DynamicsDataConfig): void {
  if (typeof o !== 'object' || o === null)
    throw new InvalidArgumentError('data.onPolicy must be an object of on-policy settings');
  checkInt('data.onPolicy.rounds', o.rounds, 1, 1000);
  checkInt('data.onPolicy.variations', o.variations, 1, d.variations);
  checkInt('data.onPolicy.steps', o.steps, 2, 100_000);
  checkInt('data.onPolicy.horizon', o.horizon, 1, 10_000);
  checkInt('data.onPolicy.candidates', o.candidates, 2, 1_000_000);
  checkInt('data.onPolicy.iterations', o.iterations, 1, 1000);
  checkRange('data.onPolicy.noise', o.noise, 0, 10);
  if (d.variations * d.episodes * d.length + o.rounds * o.variations * o.steps > 20_000_000)
    throw new InvalidArgumentError(
      'the random and on-policy transitions together are over 20 million: fewer rounds, variations or steps',
    );
}

/**
 * The step at which round `round` (1…rounds) is collected: training's steps split into rounds + 1
 * equal phases, each round at the first step of phase `round`.
 */
export function onPolicyRoundStep(steps: number, rounds: number, round: number): number {
  return Math.floor((round * steps) / (rounds + 1));
}
