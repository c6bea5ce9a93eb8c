export type { GeneratorConfig, ModelConfig } from './model-config.js';
import { validateInnerLoop } from '../adapt/inner-loop.js';
import type { ConditioningKind } from '../conditioning/conditioner.js';
import type { ModelConfig } from './model-config.js';
import { allShapes, buildComponents } from './components.js';
import { paramCount } from '../params/param-shapes.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { checkInt, checkOneOf, checkPositiveInts } from '../validate/checks.js';

/** The default hypernetwork for scalar regression tasks (1 input, 1 output) of family `task`. */
export function defaultModelConfig(task: string, conditioning: ConditioningKind = 'encoder'): ModelConfig {
  const gradientBased = conditioning !== 'encoder';
  return {
    task,
    method: 'hypernet',
    taskNet: { sizes: [1, 40, 40, 1] },
    conditioning,
    codeSize: 64,
    // 64-wide φ and generator layer: as accurate as 128 within the confidence interval, at half
    // the adaptation FLOPs (docs/EXPERIMENTS.md has the comparison).
    encoder: { pointHidden: [64, 64], setHidden: [128] },
    embeddingTasks: 1000,
    generator: { kind: 'mlp', hidden: [gradientBased ? 128 : 64], chunkSize: 256, chunkEmbeddingSize: 16 },
    // Noise and embedding codes carry no task information: they need steps on the support set.
    inner: gradientBased
      ? { steps: 5, target: 'params', lr: 0.01, order: 1, learnLr: true }
      : { steps: 0, target: 'params', lr: 0.01, order: 1, learnLr: false },
  };
}

/** Float32 parameters (each ×3 with Adam's moments) above which a model could exhaust memory. */
export const MAX_MODEL_PARAMS = 50_000_000;

/** Refuses a model too large to allocate, from its parameter count alone (before any tensor exists). */
export function checkParamCount(n: number, advice: string): void {
  if (n > MAX_MODEL_PARAMS)
    throw new InvalidArgumentError(
      `the model would have ${n} parameters (more than ${MAX_MODEL_PARAMS}): ${advice}`,
    );
}

/** The architecture's parameter count, from shapes alone. */
export function modelParamCount(c: ModelConfig): number {
  return paramCount(allShapes(buildComponents(c)));
}

/**
 * Throws InvalidArgumentError naming the first bad field, or for a model over MAX_MODEL_PARAMS.
 * The task name is the family's to check.
 */
export function validateModelConfig(c: ModelConfig): ModelConfig {
  checkOneOf('method', c.method, ['hypernet']);
  checkPositiveInts('taskNet.sizes', c.taskNet?.sizes, 2);
  checkOneOf('conditioning', c.conditioning, ['encoder', 'noise', 'embedding']);
  checkInt('codeSize', c.codeSize, 1, 4096);
  checkPositiveInts('encoder.pointHidden', c.encoder?.pointHidden, 1);
  checkPositiveInts('encoder.setHidden', c.encoder?.setHidden, 0);
  checkInt('embeddingTasks', c.embeddingTasks, 1, 10_000_000);
  checkOneOf('generator', c.generator?.kind, ['mlp', 'chunked']);
  checkPositiveInts('generator.hidden', c.generator.hidden, 1);
  checkInt('generator.chunkSize', c.generator.chunkSize, 1, 1_000_000);
  checkInt('generator.chunkEmbeddingSize', c.generator.chunkEmbeddingSize, 1, 4096);
  validateInnerLoop(c.inner);
  if (c.conditioning === 'noise' && c.inner.steps === 0) {
    throw new InvalidArgumentError(
      'noise conditioning needs inner steps (--inner-steps ≥ 1): a random code alone knows nothing of the task',
    );
  }
  checkParamCount(modelParamCount(c), 'use a smaller task network, code, embedding pool or generator');
  return c;
}
