import { InvalidArgumentError } from '../errors/errors.js';

export type FewShotMethod = 'hypernet' | 'protonet' | 'maml' | 'finetune';

/** Architecture and method of an image few-shot model (saved in its checkpoints). */
export interface FewShotConfig {
  task: 'omniglot';
  method: FewShotMethod;
  /** Conv4 width (64 is the literature's standard). */
  filters: number;
  imageSize: 28;
  /** Alphabets held out for evaluation: the last N by sorted name. */
  heldOutAlphabets: number;
  /** Training episodes: ways, and whether rotations by 90°/180°/270° count as new classes. */
  trainWays: number;
  rotations: boolean;
  /** Mirror images of training characters (and their rotations) count as new classes too. */
  reflections: boolean;
  /** Draw each training episode's classes from one alphabet (similar characters) instead of across all. Absent in older checkpoints: false. */
  withinAlphabet?: boolean;
  /** Distort training images with a small random affine map (rotation, scale, shear, shift). */
  augment: boolean;
  /** hypernet: hidden sizes of the generator of classifier weights. */
  generatorHidden: number[];
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
  /** Where the training images came from (a default for eval; not part of the architecture). */
  dataDir?: string;
}

export function defaultFewShotConfig(method: FewShotMethod = 'hypernet'): FewShotConfig {
  return {
    task: 'omniglot',
    method,
    filters: 64,
    imageSize: 28,
    heldOutAlphabets: 2,
    // Wide episodes train hypernet and protonet better at the same cost (40 × 3 images = 20 × 6);
    // maml keeps the 20-way episodes it was tuned on.
    trainWays: method === 'hypernet' || method === 'protonet' ? 40 : 20,
    rotations: true,
    reflections: true,
    withinAlphabet: false,
    augment: true,
    generatorHidden: [128],
    // Off by default: at equal time (40-way × 1-query episodes, 1500 steps) the modulated hypernet
    // was no better than the plain one (92.6 / 79.4 % against 92.8 / 79.6 %), and it costs a
    // forward pass over the support set per episode.
    modulation: false,
    // Full default runs (seed 1): weight 0 95.1 / 84.7 %, 1 95.2 / 85.1 %, 3 95.7 / 86.0 %
    // (protonet 95.6 / 86.0 %): the backbone learns mostly protonet's features, the generated
    // head corrects the class means on top.
    protoLoss: method === 'hypernet' ? 3 : 0,
    innerSteps: method === 'maml' ? 3 : 0,
    innerLr: method === 'maml' ? 0.4 : 0.1,
    pretrainClasses: 1,
    headSteps: 100,
    headLr: 0.1,
  };
}

function int(name: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
}

function nonNegative(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0, got ${JSON.stringify(v)}`);
}

function positive(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got ${JSON.stringify(v)}`);
}

export function validateFewShotConfig(c: FewShotConfig): FewShotConfig {
  if (c.task !== 'omniglot') throw new InvalidArgumentError(`unknown task '${c.task}'`);
  if (!['hypernet', 'protonet', 'maml', 'finetune'].includes(c.method)) throw new InvalidArgumentError(`unknown method '${c.method}' (expected hypernet, protonet, maml or finetune)`);
  int('filters', c.filters, 1, 1024);
  if (c.imageSize !== 28) throw new InvalidArgumentError(`imageSize must be 28, got ${JSON.stringify(c.imageSize)}`);
  int('heldOutAlphabets', c.heldOutAlphabets, 1, 1000);
  int('trainWays', c.trainWays, 2, 10_000);
  if (typeof c.rotations !== 'boolean') throw new InvalidArgumentError('rotations must be true or false');
  if (typeof c.reflections !== 'boolean') throw new InvalidArgumentError('reflections must be true or false');
  if (c.withinAlphabet !== undefined && typeof c.withinAlphabet !== 'boolean') throw new InvalidArgumentError('withinAlphabet must be true or false');
  if (typeof c.augment !== 'boolean') throw new InvalidArgumentError('augment must be true or false');
  if (!Array.isArray(c.generatorHidden) || !c.generatorHidden.every((h) => Number.isInteger(h) && h > 0 && h <= 65_536)) throw new InvalidArgumentError('generatorHidden must be a list of positive integers');
  if (c.modulation !== undefined && typeof c.modulation !== 'boolean') throw new InvalidArgumentError('modulation must be true or false');
  if (c.modulation && c.method !== 'hypernet') throw new InvalidArgumentError(`backbone modulation is a hypernet option, not ${c.method}'s`);
  if (c.protoLoss !== undefined) nonNegative('protoLoss', c.protoLoss);
  if (c.protoLoss && c.method !== 'hypernet') throw new InvalidArgumentError(`the auxiliary prototype loss is a hypernet option, not ${c.method}'s`);
  int('innerSteps', c.innerSteps, 0, 1000);
  positive('innerLr', c.innerLr);
  int('pretrainClasses', c.pretrainClasses, 1, 1_000_000);
  int('headSteps', c.headSteps, 1, 100_000);
  positive('headLr', c.headLr);
  if (c.dataDir !== undefined && typeof c.dataDir !== 'string') throw new InvalidArgumentError('dataDir must be a string');
  if (c.method === 'maml' && c.innerSteps < 1) throw new InvalidArgumentError('maml needs inner steps ≥ 1');
  return c;
}
