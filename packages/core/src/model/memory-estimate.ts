import { InvalidArgumentError } from '../errors/errors.js';
import { paramCount } from '../params/param-shapes.js';
import type { TrainConfig } from '../train/train-config.js';
import { allShapes, buildComponents } from './components.js';
import type { ModelConfig } from './model-config.js';

const FLOAT = 4;

/**
 * Floats one task of a regression hypernetwork takes during a training step: its generated
 * weights (and their gradients, moments of the inner loop), and per support and query point the
 * activations of the set encoder and the task network with their gradients. Fitted to the wasm
 * heap's growth over one step of the default model at 512–8192 tasks and 32–212 points per task
 * (about 5 floats per generated weight, 990 per support point, 465 per query point), rounded up.
 */
function floatsPerTask(c: ModelConfig, shots: number, queries: number): number {
  const taskNet = paramCount(buildComponents(c).taskNet.paramShapes);
  const hidden = c.taskNet.sizes.slice(1, -1).reduce((a, b) => a + b, 0) + 1;
  const encoder =
    c.conditioning === 'encoder'
      ? [...c.encoder.pointHidden, ...c.encoder.setHidden].reduce((a, b) => a + b, 0)
      : 0;
  const steps = 1 + c.inner.steps;
  return steps * (5 * taskNet + shots * 6 * hidden) + shots * 3 * encoder + queries * 6 * hidden;
}

/** Bytes of the model's own state while training: weights, gradients and Adam's two moments. */
function stateBytes(c: ModelConfig): number {
  return 4 * FLOAT * paramCount(allShapes(buildComponents(c)));
}

/** Peak memory of one meta-training step of a regression hypernetwork (an estimate that errs high). */
export function regressionStepBytes(c: ModelConfig, t: TrainConfig): number {
  return stateBytes(c) + FLOAT * t.metaBatch * floatsPerTask(c, t.shotsMax, t.queries);
}

/** Peak memory of evaluating a batch of `tasks` tasks (forward only: about a third of training's activations). */
export function regressionEvalBytes(c: ModelConfig, tasks: number, shots: number, queries: number): number {
  return stateBytes(c) + (FLOAT * tasks * floatsPerTask(c, shots, queries)) / 3;
}

/**
 * Refuses a configuration whose estimated peak memory exceeds what the backend can hold, before
 * anything is allocated, with what to lower: wasm's heap stops at 4 GiB and aborts the process.
 */
export function checkMemory(bytes: number, limitBytes: number, what: string, advice: string): void {
  if (bytes > limitBytes) {
    const gib = (b: number) => (b / 2 ** 30).toFixed(1);
    throw new InvalidArgumentError(
      `${what} would need about ${gib(bytes)} GiB, more than the ${gib(limitBytes)} GiB this backend can hold: ${advice}`,
    );
  }
}
