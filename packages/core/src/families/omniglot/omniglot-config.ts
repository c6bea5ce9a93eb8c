import {
  type FewShotConfig,
  type FewShotMethodName,
  defaultFewShotConfig,
  validateFewShotConfig,
} from '../../fewshot/fewshot-config.js';
import { InvalidArgumentError } from '../../errors/errors.js';
import { checkBoolean, checkInt, checkRange } from '../../validate/checks.js';

export const OMNIGLOT = 'omniglot';

/** An Omniglot model: the few-shot classifier plus how its training episodes were drawn. */
export interface OmniglotConfig extends FewShotConfig {
  /** Alphabets held out for evaluation: the last N by sorted name. */
  heldOutAlphabets: number;
  /** Training episodes: ways, and whether rotations by 90°/180°/270° count as new classes. */
  trainWays: number;
  rotations: boolean;
  /** Mirror images of training characters (and their rotations) count as new classes too. */
  reflections: boolean;
  /** Draw each training episode's classes from one alphabet. Absent in older checkpoints: false. */
  withinAlphabet?: boolean;
  /** Distort training images with a small random affine map (rotation, scale, shear, shift). */
  augment: boolean;
  /**
   * With `augment`, the largest random stroke-width change (0–1 of a 3 × 3 dilation or erosion).
   * Absent in older checkpoints: 0, strokes as drawn.
   */
  strokeJitter?: number;
  /** Where the training images came from (a default for eval; not part of the architecture). */
  dataDir?: string;
}

export function defaultOmniglotConfig(method: FewShotMethodName = 'hypernet'): OmniglotConfig {
  return {
    ...defaultFewShotConfig(OMNIGLOT, method),
    heldOutAlphabets: 2,
    // Wide episodes train hypernet and protonet better at the same cost (40 × 3 images = 20 × 6);
    // maml keeps the 20-way episodes it was tuned on.
    trainWays: method === 'hypernet' || method === 'protonet' ? 40 : 20,
    rotations: true,
    reflections: true,
    withinAlphabet: false,
    augment: true,
  };
}

/** Fills what older checkpoints lack (they were trained without augmentation or reflections), then checks every field. */
export function validateOmniglotConfig(config: OmniglotConfig): OmniglotConfig {
  if (config.task !== OMNIGLOT)
    throw new InvalidArgumentError(`not an ${OMNIGLOT} config (task ${JSON.stringify(config.task)})`);
  const c = { ...config, augment: config.augment ?? false, reflections: config.reflections ?? false };
  validateFewShotConfig(c);
  checkInt('heldOutAlphabets', c.heldOutAlphabets, 1, 1000);
  checkInt('trainWays', c.trainWays, 2, 10_000);
  checkBoolean('rotations', c.rotations);
  checkBoolean('reflections', c.reflections);
  checkBoolean('withinAlphabet', c.withinAlphabet, true);
  checkBoolean('augment', c.augment);
  if (c.strokeJitter !== undefined) checkRange('strokeJitter', c.strokeJitter, 0, 1);
  if (c.dataDir !== undefined && typeof c.dataDir !== 'string')
    throw new InvalidArgumentError('dataDir must be a string');
  return c;
}
