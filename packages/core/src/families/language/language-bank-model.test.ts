import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors/errors.js';
import { disposeEpisode } from '../../fewshot/episode-tensors.js';
import '../index.js';
import { Rng } from '../../random/rng.js';
import { CharLms, supportByClass } from '../../text/char-lm.js';
import { LanguageBank } from '../../text/language-bank.js';
import { smallHypernetConfig, syntheticCorpus } from './fixtures.js';
import { defaultLanguageConfig, type LanguageConfig, validateLanguageConfig } from './language-config.js';
import { LanguageLearner } from './language-learner.js';
import { LanguageModel } from './language-model.js';
import { drawLanguageEpisode } from './draw-episode.js';
import { charLmBaselineAccuracy, scoreTextEpisodes } from './evaluate-language.js';
import { defaultTrainConfig } from '../../train/train-config.js';

const small = (): LanguageConfig => ({ ...smallHypernetConfig(), lmOrder: 3, calibrationShare: 0 });
const corpus = syntheticCorpus(3, 8, 5);
const trainConfig = { ...defaultTrainConfig(), metaBatch: 2, queries: 2 };

describe('language model with a bank of training languages', () => {
  it('is on by default for the hypernet, off for old checkpoints and without language models', () => {
    expect(defaultLanguageConfig('hypernet').lmBank).toBeGreaterThan(0);
    expect(defaultLanguageConfig('protonet').lmBank).toBe(0);
    const { lmBank: _, lmBankNeighbours: __, lmBankLanguages: ___, lmBankKeep: ____, ...old } = small();
    expect(validateLanguageConfig(old as LanguageConfig)).toMatchObject({ lmBank: 0, lmBankLanguages: [] });
    expect(new LanguageModel({ ...small(), lmOrder: 0, calibrationShare: 0 }, 1).needsBank).toBe(false);
    expect(() => validateLanguageConfig({ ...small(), lmBank: 1 })).toThrow(/lmBank/);
    expect(() => validateLanguageConfig({ ...small(), lmBankNeighbours: 0 })).toThrow(/lmBankNeighbours/);
    expect(() => validateLanguageConfig({ ...small(), lmBankKeep: 1.5 })).toThrow(/lmBankKeep/);
  });

  it('fits the shares with order-3 models by default, and an older checkpoint with its own order', () => {
    expect(defaultLanguageConfig('hypernet').lmBankFitOrder).toBe(3);
    const { lmBankFitOrder: _, ...old } = { ...small(), lmOrder: 5 };
    expect(validateLanguageConfig(old as LanguageConfig).lmBankFitOrder).toBe(5);
    expect(() => validateLanguageConfig({ ...small(), lmBankFitOrder: 0 })).toThrow(/lmBankFitOrder/);
    // a cap: models of a lower order fit with their own
    const model = new LanguageModel({ ...small(), lmOrder: 2, lmBankFitOrder: 3 }, 1);
    model.ensureBank(corpus.train);
    expect(model.lmOptions(firstEpisode()).prior?.fitOrder).toBe(2);
    model.dispose();
  });

  it('refuses to score without its bank, and a bank of other languages, with a typed error', () => {
    const model = new LanguageModel({ ...small(), lmBankLanguages: corpus.train.map((c) => c.label) }, 1);
    const ep = { ...firstEpisode(), calibration: undefined };
    expect(() => model.episodeTensors(ep)).toThrow(InvalidArgumentError);
    const other = LanguageBank.ofClasses(corpus.train.slice(1), 3);
    expect(() => model.attachBank(other)).toThrow(InvalidArgumentError);
    expect(() => model.bankClasses(corpus.heldOut)).toThrow(/not in this corpus/);
    model.dispose();
  });

  it('takes every training language when training starts, and leaves the episode’s own out', () => {
    const model = new LanguageModel(small(), 1);
    const learner = new LanguageLearner(model, corpus, trainConfig);
    expect(model.config.lmBankLanguages).toEqual(corpus.train.map((c) => c.label));
    const { parts } = learner.splitStep(Rng.fromSeed(5, 'steps'));
    for (const part of parts) {
      // the scores carried by the part are those of models whose bank leaves its classes out
      const o = model.lmOptions(part, true);
      expect(o.prior?.exclude).toEqual(new Set(part.classes));
      const lms = new CharLms(supportByClass(part), o);
      for (const near of lms.bankNeighbours()) for (const l of near) expect(part.classes).not.toContain(l);
      expect(part.lmScores?.length).toBe(part.queryTexts.length * part.classes.length * 3);
    }
    // at evaluation nothing is left out: a user's class may well be a training language
    expect(model.lmOptions(parts[0]).prior?.exclude).toBeUndefined();
    model.dispose();
  });

  it('gives a worker the same gradient from the scores the part carries as the main thread computes', () => {
    const model = new LanguageModel(small(), 1);
    const learner = new LanguageLearner(model, corpus, trainConfig);
    const [part] = learner.splitStep(Rng.fromSeed(6, 'steps')).parts;
    const before = tf.memory().numTensors;
    const carried = model.episodeGradient(part);
    const { lmScores: _, ...bare } = part;
    const recomputed = model.episodeGradient(bare);
    expect(Array.from(recomputed.grad)).toEqual(Array.from(carried.grad));
    expect(tf.memory().numTensors).toBe(before);
    const ep = model.episodeTensors(part);
    expect(ep.pairScores?.shape).toEqual([part.queryTexts.length, part.classes.length, 3]);
    disposeEpisode(ep);
    model.dispose();
  });

  it('scores the bank baseline from its own language models where they are the baseline, as computed apart', () => {
    const model = new LanguageModel(small(), 1);
    model.ensureBank(corpus.train);
    const o = {
      episodes: 6,
      ways: 3,
      shots: 1,
      queries: 3,
      snippet: 12,
      supportSnippet: 0,
      confusable: false,
    };
    const episodes = [...Array(o.episodes)].map((_, i) =>
      drawLanguageEpisode(corpus.heldOut, o, Rng.fromSeed(i, 'bank-baseline')),
    );
    const before = tf.memory().numTensors;
    const r = scoreTextEpisodes(model, episodes, { baseline: true, ablation: true });
    expect(tf.memory().numTensors).toBe(before);
    const apart = episodes.map((e) => charLmBaselineAccuracy(e, 3, model.lmOptions(e).prior));
    expect(r.charLmBankBaseline?.accuracy).toBeCloseTo(apart.reduce((a, b) => a + b) / apart.length, 12);
    // the model's own accuracy is what it scores without the baselines
    expect(scoreTextEpisodes(model, episodes, {}).perEpisode).toEqual(r.perEpisode);
    model.dispose();
  });
});

function firstEpisode() {
  const [a, b] = corpus.heldOut;
  return {
    classes: [a.label, b.label],
    supportTexts: [a.articles[0][0], b.articles[0][0]],
    supportLabels: [0, 1],
    queryTexts: [a.articles[1][0], b.articles[1][1]],
    queryLabels: [0, 1],
  };
}
