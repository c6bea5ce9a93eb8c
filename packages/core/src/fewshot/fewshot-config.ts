import { InvalidArgumentError } from '../errors/errors.js';
import {
  checkBoolean,
  checkInt,
  checkNonNegative,
  checkOneOf,
  checkPositive,
  checkPositiveInts,
} from '../validate/checks.js';
import { DEFAULT_TASK_FILTERS } from './generated/generated-method.js';

export const FEW_SHOT_METHODS = ['hypernet', 'protonet', 'maml', 'finetune', 'generated'] as const;
export type FewShotMethodName = (typeof FEW_SHOT_METHODS)[number];

/**
 * Architecture and method of a few-shot image classifier (conv4 backbone plus a method's way of
 * turning the support set into a classifier); saved in its checkpoints. Families add their own
 * data and episode fields.
 */
export interface FewShotConfig {
  task: string;
  method: FewShotMethodName;
  /** Conv4 width (64 is the literature's standard). */
  filters: number;
  imageSize: 28;
  /** hypernet: hidden sizes of the generator of classifier weights (generated: also the layer generator's width). */
  generatorHidden: number[];
  /**
   * generated: width of the task network the generator writes in full (its conv layers, their
   * batch norms and the classifier); `filters` is then the generator's feature extractor.
   * Absent for the other methods (docs/GENERATED.md).
   */
  taskFilters?: number;
  /** hypernet: also generate a per-channel scale and shift of the backbone from the support set (FiLM). Absent in older checkpoints: false. */
  modulation?: boolean;
  /**
   * hypernet: weight of an auxiliary loss on the plain prototype classifier of the same
   * embeddings, added to the generated classifier's during training, so the backbone also
   * learns features that are good for class means. Absent in older checkpoints: 0.
   */
  protoLoss?: number;
  /** hypernet and maml: gradient steps on the support set (hypernet: on the generated head). */
  innerSteps: number;
  innerLr: number;
  /** finetune: how many classes the pre-training head has (set from the data), and the head fit at test time. */
  pretrainClasses: number;
  headSteps: number;
  headLr: number;
}

/** The method fields' defaults (docs/EXPERIMENTS.md has the runs behind them). */
export function defaultFewShotConfig(task: string, method: FewShotMethodName = 'hypernet'): FewShotConfig {
  return {
    task,
    method,
    filters: 64,
    imageSize: 28,
    generatorHidden: [128],
    // Off by default: at equal training time the modulated hypernet was no better than the plain
    // one, and it costs a forward pass over the support set per episode.
    modulation: false,
    // The backbone learns mostly protonet's features; the generated head corrects the class
    // means on top. Weight 3 beat 0 and 1 on the held-out alphabets.
    protoLoss: method === 'hypernet' ? 3 : 0,
    innerSteps: method === 'maml' ? 3 : 0,
    innerLr: method === 'maml' ? 0.4 : 0.1,
    pretrainClasses: 1,
    headSteps: 100,
    headLr: 0.1,
    // generated: a 32-wide feature extractor for the generator, an 8-wide task network
    // (docs/GENERATED.md). Only this method's configs carry taskFilters.
    ...(method === 'generated'
      ? { filters: 32, generatorHidden: [64], taskFilters: DEFAULT_TASK_FILTERS }
      : {}),
  };
}

/** Checks the method fields; a family checks its own fields and the task name. */
export function validateFewShotConfig<C extends FewShotConfig>(c: C): C {
  checkOneOf('method', c.method, FEW_SHOT_METHODS);
  checkInt('filters', c.filters, 1, 1024);
  if (c.imageSize !== 28)
    throw new InvalidArgumentError(`imageSize must be 28, got ${JSON.stringify(c.imageSize)}`);
  checkPositiveInts('generatorHidden', c.generatorHidden, 0, 65_536);
  checkBoolean('modulation', c.modulation, true);
  if (c.modulation && c.method !== 'hypernet')
    throw new InvalidArgumentError(`backbone modulation is a hypernet option, not ${c.method}'s`);
  if (c.protoLoss !== undefined) checkNonNegative('protoLoss', c.protoLoss);
  if (c.method === 'generated') checkInt('taskFilters', c.taskFilters, 1, 1024);
  else if (c.taskFilters !== undefined)
    throw new InvalidArgumentError(`the task network's width is a generated option, not ${c.method}'s`);
  if (c.protoLoss && c.method !== 'hypernet')
    throw new InvalidArgumentError(`the auxiliary prototype loss is a hypernet option, not ${c.method}'s`);
  checkInt('innerSteps', c.innerSteps, 0, 1000);
  checkPositive('innerLr', c.innerLr);
  checkInt('pretrainClasses', c.pretrainClasses, 1, 1_000_000);
  checkInt('headSteps', c.headSteps, 1, 100_000);
  checkPositive('headLr', c.headLr);
  if (c.method === 'maml' && c.innerSteps < 1) throw new InvalidArgumentError('maml needs inner steps ≥ 1');
  return c;
}
