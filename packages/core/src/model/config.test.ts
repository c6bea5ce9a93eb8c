import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/errors.js';
import { defaultFewShotConfig } from '../fewshot/fewshot-config.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import { defaultModelConfig, MAX_MODEL_PARAMS, validateModelConfig } from './config.js';
import { HypernetModel } from './hypernet-model.js';
import { tf } from '../index.js';

describe('model size ceiling', () => {
  it('refuses a sinusoid model over MAX_MODEL_PARAMS from its shapes, before any tensor exists', () => {
    const before = tf.memory().numTensors;
    const huge = { ...defaultModelConfig('test'), taskNet: { sizes: [1, 30_000, 30_000, 1] } };
    expect(() => validateModelConfig(huge)).toThrow(InvalidArgumentError);
    expect(() => new HypernetModel(huge, 1)).toThrow(/would have \d+ parameters \(more than 50000000\)/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts the default sinusoid model (140 k parameters)', () => {
    expect(() => validateModelConfig(defaultModelConfig('test'))).not.toThrow();
  });

  it('refuses a few-shot model whose pre-training head is too large, and builds a normal one', () => {
    const before = tf.memory().numTensors;
    const cfg = {
      ...defaultFewShotConfig('test', 'finetune'),
      pretrainClasses: Math.ceil(MAX_MODEL_PARAMS / 64),
    };
    expect(() => new FewShotModel(cfg, 1)).toThrow(/would have \d+ parameters/);
    expect(tf.memory().numTensors).toBe(before);
    const ok = new FewShotModel({ ...cfg, pretrainClasses: 1464 }, 1);
    expect(ok.store.variables.length).toBeGreaterThan(0);
    ok.dispose();
  });
});
