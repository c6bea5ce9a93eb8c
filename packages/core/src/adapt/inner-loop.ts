import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import type { ParamShapes } from '../params/param-shapes.js';

/** Gradient steps on the support set, applied to the generated θ or to the code z. */
export interface InnerLoopConfig {
  steps: number;
  target: 'params' | 'code';
  /** Initial step size; per-parameter step sizes start here when learned. */
  lr: number;
  /** 1: the steps' gradients are constants for the outer update; 2: differentiate through them. */
  order: 1 | 2;
  /** Meta-SGD style: learn one step size per parameter (or per code unit). */
  learnLr: boolean;
}

export function validateInnerLoop(c: InnerLoopConfig): void {
  if (!Number.isInteger(c.steps) || c.steps < 0 || c.steps > 1000)
    throw new InvalidArgumentError(`inner steps must be an integer from 0 to 1000, got ${c.steps}`);
  if (c.target !== 'params' && c.target !== 'code')
    throw new InvalidArgumentError(`inner target must be 'params' or 'code', got '${c.target}'`);
  if (!(c.lr > 0) || !Number.isFinite(c.lr))
    throw new InvalidArgumentError(`inner step size must be a positive number, got ${c.lr}`);
  if (c.order !== 1 && c.order !== 2)
    throw new InvalidArgumentError(`inner order must be 1 or 2, got ${c.order}`);
}

/** Shapes of the learned step sizes: one per adapted value. */
export function innerLrShapes(c: InnerLoopConfig, targetShapes: ParamShapes, codeSize: number): ParamShapes {
  if (!c.learnLr || c.steps === 0) return [];
  if (c.target === 'code') return [{ name: 'lr/code', shape: [codeSize] }];
  return targetShapes.map((s) => ({ name: `lr/${s.name}`, shape: s.shape }));
}

/** How many plain gradient steps, and their step size: all the loop itself needs. */
export type StepSchedule = Pick<InnerLoopConfig, 'steps' | 'lr'>;

/**
 * The one gradient-step loop of hypermeta: every method that adapts by gradient steps (inner
 * steps on generated weights or codes, MAML, a generated head's refinement, fine-tuning
 * baselines) runs it. `steps` plain steps on `start` for `supportLoss`; for a loss summed over
 * tasks with values batched [T, ...], each task's gradient is its own whatever T is. With `lrs`
 * (one per value) the steps are per-parameter (Meta-SGD). `onGrads` sees each step's gradients.
 * Differentiable when called under a tape.
 */
export function gradientSteps(
  start: readonly tf.Tensor[],
  supportLoss: (values: tf.Tensor[]) => tf.Scalar,
  config: StepSchedule,
  lrs?: readonly tf.Tensor[],
  onGrads?: (grads: tf.Tensor[]) => void,
): tf.Tensor[] {
  let values = [...start];
  for (let s = 0; s < config.steps; s++) {
    const grads = tf.grads((...vs: tf.Tensor[]) => supportLoss(vs))(values);
    onGrads?.(grads);
    values = values.map((v, i) => tf.sub(v, tf.mul(grads[i], lrs ? lrs[i] : config.lr)));
  }
  return values;
}

/**
 * First-order variant: the summed gradient of every step, computed with no tape around it.
 * The caller adds -lr * sum to values that carry the tape, so no backward pass runs through
 * the inner gradients (first-order MAML), yet learned step sizes still get their gradient.
 */
export function firstOrderGradientSum(
  start: readonly tf.Tensor[],
  supportLoss: (values: tf.Tensor[]) => tf.Scalar,
  config: StepSchedule,
  lrs?: readonly tf.Tensor[],
): tf.Tensor[] {
  return tf.tidy(() => {
    let sums = start.map((v) => tf.zerosLike(v));
    gradientSteps(start, supportLoss, config, lrs, (grads) => {
      sums = sums.map((acc, i) => tf.add(acc, grads[i]));
    });
    return sums;
  });
}
