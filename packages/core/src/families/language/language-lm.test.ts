import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import { disposeEpisode } from '../../fewshot/episode-tensors.js';
import '../index.js';
import { languageFamily } from './family.js';
import { smallHypernetConfig, syntheticCorpus } from './fixtures.js';
import { defaultLanguageConfig, type LanguageConfig, validateLanguageConfig } from './language-config.js';
import { calibrationSplit, LanguageLearner } from './language-learner.js';
import { LanguageModel } from './language-model.js';
import { SetHypernet } from './set-hypernet.js';
import { charLmScores } from '../../text/char-lm.js';

const small = (lmOrder: number): LanguageConfig => ({
  ...smallHypernetConfig(),
  lmOrder,
  calibrationShare: lmOrder > 0 ? 0.2 : 0,
  // the bank of training languages has its own tests (language-bank-model.test.ts)
  lmBank: 0,
});
const episode = {
  classes: ['x', 'y', 'z'],
  supportTexts: ['the cat sat on the mat', 'kuu kana pii moana', 'szcz wrzy brzmi'],
  supportLabels: [0, 1, 2],
  queryTexts: ['the hat', 'moana kana', 'brzmi szcz', 'on the cat'],
  queryLabels: [0, 1, 2, 0],
};

describe('language hypernet with character language models', () => {
  it('is on by default for the hypernet only, and reads a checkpoint config without the field as off', () => {
    expect(defaultLanguageConfig('hypernet').lmOrder).toBe(5);
    expect(defaultLanguageConfig('protonet').lmOrder).toBe(0);
    const { lmOrder: _, calibrationShare: __, ...old } = small(3);
    expect(validateLanguageConfig(old as LanguageConfig)).toMatchObject({ lmOrder: 0, calibrationShare: 0 });
    expect(() => validateLanguageConfig({ ...defaultLanguageConfig('protonet'), lmOrder: 3 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => validateLanguageConfig({ ...small(3), generator: 'class' })).toThrow(/set hypernet/);
    expect(() => validateLanguageConfig(small(17))).toThrow(/lmOrder/);
    expect(() => validateLanguageConfig({ ...small(0), calibrationShare: 0.2 })).toThrow(/lmOrder > 0/);
    expect(() => validateLanguageConfig({ ...small(3), calibrationShare: 1 })).toThrow(/calibrationShare/);
  });

  it("writes the language models with the config's estimator; a checkpoint without one reads as the first", () => {
    expect(defaultLanguageConfig('hypernet')).toMatchObject({ lmFloor: 'pooled', lmBeta: 1 });
    const { lmFloor: _, lmBeta: __, ...old } = small(3);
    expect(validateLanguageConfig(old as LanguageConfig)).toMatchObject({ lmFloor: 'uniform', lmBeta: 0.5 });
    expect(() => validateLanguageConfig({ ...small(3), lmFloor: 'flat' as never })).toThrow(/lmFloor/);
    expect(() => validateLanguageConfig({ ...small(3), lmBeta: 0 })).toThrow(/lmBeta/);
    const scores = (c: LanguageConfig) => {
      const ep = new LanguageModel(c, 1).episodeTensors(episode);
      try {
        return ep.pairScores!.dataSync();
      } finally {
        disposeEpisode(ep);
      }
    };
    const groups = [[episode.supportTexts[0]], [episode.supportTexts[1]], [episode.supportTexts[2]]];
    for (const [floor, beta] of [
      ['pooled', 1],
      ['uniform', 0.5],
    ] as const) {
      const want = charLmScores(groups, episode.queryTexts, { order: 3, floor, beta });
      expect(Array.from(scores({ ...small(3), lmFloor: floor, lmBeta: beta }))).toEqual(Array.from(want));
    }
    // The two estimators differ on these texts, so the check above tells them apart.
    expect(scores({ ...small(3), lmFloor: 'uniform', lmBeta: 0.5 })).not.toEqual(scores(small(3)));
  });

  it('keeps every fifth training language for calibration, and none without it', () => {
    const train = syntheticCorpus(1, 10, 4).train;
    const { learn, calibrate } = calibrationSplit(train, 0.2);
    expect(calibrate.map((c) => c.label)).toEqual([train[4].label, train[9].label]);
    expect(learn.length).toBe(8);
    expect(calibrationSplit(train, 0).learn).toEqual(train);
    const model = new LanguageModel(small(3), 1);
    const train5 = { ...languageFamily.defaultTrainConfig('hypernet') };
    expect(() => new LanguageLearner(model, { train: train.slice(0, 5), heldOut: [] }, train5)).toThrow(
      /calibrate pool has 1/,
    );
    expect(() => new LanguageLearner(model, { train: train.slice(0, 4), heldOut: [] }, train5)).toThrow(
      /calibrate pool has 0/,
    );
    model.dispose();
  });

  it('trains only the mix on a calibration episode, and everything but the mix on the others', () => {
    const model = new LanguageModel(small(3), 1);
    const vars = model.store.variables;
    const names = model.store.shapes.map((s) => s.name);
    const moved = (calibration: boolean) => {
      const ep = model.episodeTensors({ ...episode, calibration });
      const o = model.episodeObjective(ep);
      const { value, grads } = tf.variableGrads(o.loss, vars as tf.Variable[]);
      const out = new Set(
        vars.filter((v) => grads[v.name].dataSync().some((g) => g !== 0)).map((v) => names[vars.indexOf(v)]),
      );
      tf.dispose([value, ...Object.values(grads)]);
      o.dispose();
      disposeEpisode(ep);
      return out;
    };
    const mix = ['ngram/w', 'mix/embedding'];
    const cal = moved(true);
    expect([...cal].sort()).toEqual([...mix].sort());
    const rest = moved(false);
    for (const n of mix) expect(rest.has(n)).toBe(false);
    expect([...rest].some((n) => n.startsWith('backbone/'))).toBe(true);
    expect([...rest].some((n) => n.startsWith('gen/'))).toBe(true);
    model.dispose();
  });

  it('puts each query-class score on the episode and learns their weights', () => {
    const model = new LanguageModel(small(3), 1);
    const before = tf.memory().numTensors;
    // a calibration episode: the language models' weights learn from those
    const ep = model.episodeTensors({ ...episode, calibration: true });
    expect(ep.pairScores!.shape).toEqual([4, 3, 3]);
    const o = model.episodeObjective(ep);
    const weights = model.store.group('ngram');
    expect(weights.map((w) => w.shape)).toEqual([[3]]);
    const { value, grads } = tf.variableGrads(o.loss, weights as tf.Variable[]);
    value.dispose();
    const g = grads[weights[0].name].dataSync();
    expect(g.some((v) => v !== 0)).toBe(true);
    tf.dispose(Object.values(grads));
    o.dispose();
    disposeEpisode(ep);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('classifies by its language models alone in the ablation, and leaks no tensor', () => {
    const model = new LanguageModel(small(3), 1);
    const method = model.method as SetHypernet;
    const before = tf.memory().numTensors;
    const ep = model.episodeTensors(episode);
    const lmOnly = model.queryLogits(ep, method.without('embedding'));
    expect(tf.tidy(() => Array.from(tf.argMax(lmOnly, 1).dataSync()))).toEqual(episode.queryLabels);
    const full = model.queryLogits(ep);
    const embedding = model.queryLogits(ep, method.without('ngram'));
    // the full classifier is the sum of its two parts
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(full, tf.add(lmOnly, embedding)))).dataSync()[0]);
    expect(gap).toBeLessThan(1e-5);
    tf.dispose([lmOnly, full, embedding]);
    disposeEpisode(ep);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses an episode without the scores it reads', () => {
    const model = new LanguageModel(small(2), 1);
    const plain = new LanguageModel(small(0), 1);
    const ep = plain.episodeTensors(episode);
    expect(() => model.queryLogits(ep)).toThrow(/order-2 language-model scores/);
    expect(() => plain.queryLogits(ep, (plain.method as SetHypernet).without('embedding'))).toThrow(
      InvalidArgumentError,
    );
    disposeEpisode(ep);
    model.dispose();
    plain.dispose();
  });

  it('scores the ablations and the character-LM baseline on the same episodes', () => {
    const corpus = syntheticCorpus(4, 8, 6);
    const model = languageFamily.build(small(3), 1);
    const r = languageFamily.evaluate(model, corpus, {
      episodes: 6,
      ways: 3,
      shots: 1,
      queries: 2,
      snippet: 20,
      supportSnippet: 0,
      confusable: false,
      seed: 3,
      baseline: true,
      ablation: true,
    });
    model.dispose();
    const f = r.figures as Record<string, { accuracy: number } | undefined>;
    for (const k of ['baseline', 'charLmBaseline', 'prototypeHead', 'withoutLm', 'lmOnly'])
      expect(f[k]?.accuracy, k).toBeGreaterThanOrEqual(0);
  });
});
