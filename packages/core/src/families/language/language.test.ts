import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import { Rng } from '../../random/rng.js';
import { MetaTrainer } from '../../train/meta-trainer.js';
import { getFamily } from '../registry.js';
import '../index.js';
import { languageFamily } from './family.js';
import { syntheticCorpus } from './fixtures.js';
import { defaultLanguageConfig, type LanguageConfig, validateLanguageConfig } from './language-config.js';
import { LanguageModel } from './language-model.js';

const corpus = syntheticCorpus(4, 8, 6);
const small = (method: LanguageConfig['method']): LanguageConfig => {
  const c = defaultLanguageConfig(method);
  return {
    ...c,
    encoder: {
      ...c.encoder,
      buckets: 512,
      gramDim: 16,
      byteDim: 4,
      convFilters: 8,
      hidden: [32],
      width: 16,
      sketch: 32,
    },
    generatorHidden: [16],
    attentionDim: 8,
    trainWays: 4,
    snippet: 20,
    // the synthetic languages are told apart perfectly by character language models alone, so
    // these tests of what the encoder learns leave them out (language-lm.test.ts covers them)
    lmOrder: 0,
    calibrationShare: 0,
  };
};
const evalOptions = {
  episodes: 20,
  ways: 4,
  shots: 1,
  queries: 3,
  snippet: 20,
  supportSnippet: 0,
  confusable: false,
  seed: 5,
};

describe('language family', () => {
  it('is registered', () => {
    expect(getFamily('language')).toBe(languageFamily);
  });

  it('refuses bad configs with the field named', () => {
    expect(() => validateLanguageConfig({ ...small('protonet'), snippet: -1 })).toThrow(/snippet/);
    expect(() => validateLanguageConfig({ ...small('protonet'), protoLoss: 1 })).toThrow(
      InvalidArgumentError,
    );
    const c = small('hypernet');
    expect(() => validateLanguageConfig({ ...c, encoder: { ...c.encoder, orders: [2, 2] } })).toThrow(
      /orders/,
    );
  });

  it('gives the same weights for the same seed', () => {
    const [a, b] = [new LanguageModel(small('hypernet'), 7), new LanguageModel(small('hypernet'), 7)];
    expect(a.store.readFlat()).toEqual(b.store.readFlat());
    a.dispose();
    b.dispose();
  });

  it('learns: held-out accuracy rises over a short training, and scores baseline and ablation on the same episodes', () => {
    const model = languageFamily.build(small('hypernet'), 1);
    const train = { ...languageFamily.defaultTrainConfig('hypernet'), steps: 40, warmup: 5, lr: 5e-3 };
    const before = languageFamily.evaluate(model, corpus, evalOptions).value;
    const trainer = new MetaTrainer(languageFamily.learner(model, corpus, train), train);
    for (let i = 0; i < train.steps; i++) trainer.runStep();
    const r = languageFamily.evaluate(model, corpus, { ...evalOptions, baseline: true, ablation: true });
    trainer.dispose();
    model.dispose();
    expect(r.value).toBeGreaterThan(before);
    expect(r.value).toBeGreaterThan(0.6);
    const f = r.figures as { baseline: { accuracy: number }; prototypeHead: { accuracy: number } };
    expect(f.baseline.accuracy).toBeGreaterThan(0.25);
    expect(f.prototypeHead.accuracy).toBeGreaterThan(0);
  });

  it('refuses more ways than held-out languages', () => {
    const model = languageFamily.build(small('protonet'), 1);
    expect(() => languageFamily.evaluate(model, corpus, { ...evalOptions, ways: 7 })).toThrow(
      InvalidArgumentError,
    );
    model.dispose();
  });

  it('refuses an episode with a class without support, and leaks no tensor', () => {
    const model = new LanguageModel(small('protonet'), 1);
    const before = tf.memory().numTensors;
    const episode = {
      classes: ['a', 'b'],
      supportTexts: ['aaa'],
      supportLabels: [0],
      queryTexts: ['ab'],
      queryLabels: [1],
    };
    expect(() => model.episodeTensors(episode)).toThrow(/class b has no support/);
    const ep = model.episodeTensors({ ...episode, supportTexts: ['bbb', 'aaa'], supportLabels: [1, 0] });
    expect(ep.support.shape[0]).toBe(2);
    const logits = model.queryLogits(ep);
    expect(logits.shape).toEqual([1, 2]);
    tf.dispose([logits, ep.support, ep.query, ep.queryLabels!]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('trains every method a step from one seed to the same loss', () => {
    for (const method of ['protonet', 'maml', 'finetune'] as const) {
      const losses = [0, 1].map(() => {
        const c = { ...small(method), pretrainClasses: corpus.train.length };
        const model = languageFamily.build(c, 2);
        const l = languageFamily.learner(model, corpus, {
          ...languageFamily.defaultTrainConfig(method),
          queries: 2,
        });
        const o = l.stepObjective(Rng.fromSeed(1), Rng.fromSeed(2));
        const v = o.loss().dataSync()[0];
        o.dispose();
        model.dispose();
        return v;
      });
      expect(Number.isFinite(losses[0])).toBe(true);
      expect(losses[0]).toBe(losses[1]);
    }
  });
});
