import { InvalidArgumentError } from '../errors/errors.js';
import { checkInt, checkPositive } from '../validate/checks.js';

export interface TrainConfig {
  steps: number;
  metaBatch: number;
  /** Shots are drawn per meta-step from [shotsMin, shotsMax], so one model serves every K in it. */
  shotsMin: number;
  shotsMax: number;
  queries: number;
  lr: number;
  lrFinal: number;
  warmup: number;
  clipNorm: number;
  seed: number;
}

export function defaultTrainConfig(): TrainConfig {
  return {
    steps: 12000,
    metaBatch: 32,
    shotsMin: 3,
    shotsMax: 12,
    queries: 20,
    lr: 3e-3,
    lrFinal: 1e-5,
    warmup: 100,
    clipNorm: 10,
    seed: 1,
  };
}

const int = checkInt;
const positive = checkPositive;

export function validateTrainConfig(c: TrainConfig): TrainConfig {
  int('steps', c.steps, 1, 100_000_000);
  int('meta-batch', c.metaBatch, 1, 65_536);
  int('shots (min)', c.shotsMin, 1, 10_000);
  int('shots (max)', c.shotsMax, c.shotsMin, 10_000);
  int('queries', c.queries, 1, 100_000);
  if (c.metaBatch * (c.shotsMax + c.queries) > 50_000_000)
    throw new InvalidArgumentError(
      'meta-batch × (shots + queries) is too large for memory (over 50 million points)',
    );
  positive('lr', c.lr);
  if (!Number.isFinite(c.lrFinal) || c.lrFinal < 0)
    throw new InvalidArgumentError(`final lr must be ≥ 0, got ${c.lrFinal}`);
  int('warmup', c.warmup, 0, 100_000_000);
  if (!Number.isFinite(c.clipNorm) || c.clipNorm < 0)
    throw new InvalidArgumentError(`clip norm must be ≥ 0 (0 turns clipping off), got ${c.clipNorm}`);
  int('seed', c.seed, -2147483648, 2147483647);
  return c;
}
