import { usableArticles } from '../../text/class-articles.js';
import type { TextCorpus, TextEpisode } from '../../text/text-types.js';
import { paramCount } from '../../params/param-shapes.js';
import { defaultTrainConfig, type TrainConfig } from '../../train/train-config.js';
import type { EvalSummary, TaskFamily } from '../task-family.js';
import { evaluateLanguage, type LanguageEvalOptions } from './evaluate-language.js';
import { syntheticCorpus } from './fixtures.js';
import {
  defaultLanguageConfig,
  LANGUAGE,
  LANGUAGE_METHODS,
  type LanguageConfig,
  type LanguageMethod,
  validateLanguageConfig,
} from './language-config.js';
import { LanguageLearner } from './language-learner.js';
import { LanguageModel, languageShapes } from './language-model.js';

/**
 * The default training runs: 1-shot 20-way episodes of 30-character queries against a whole
 * paragraph of support per language (the reference protocol), two per step (one
 * per core with worker threads), half of them among neighbouring languages; finetune pre-trains
 * on batches of metaBatch × queries snippets over every training language, in one thread.
 */
export function defaultLanguageTrain(method: string): TrainConfig {
  const base = {
    ...defaultTrainConfig(),
    steps: 1200,
    metaBatch: 2,
    shotsMin: 1,
    shotsMax: 1,
    queries: 2,
    lr: 5e-3,
    warmup: 50,
  };
  if (method === 'finetune') return { ...base, steps: 800, metaBatch: 8, queries: 16 };
  if (method === 'maml') return { ...base, steps: 800 };
  return base;
}

/** Languages an episode can use (text in two or more articles: support and queries come from different ones). */
export function eligibleLanguages(corpus: TextCorpus, heldOut = true): number {
  return (heldOut ? corpus.heldOut : corpus.train).filter((c) => usableArticles(c).length >= 2).length;
}

function summary(model: LanguageModel, corpus: TextCorpus, o: LanguageEvalOptions): EvalSummary {
  model.ensureBank(corpus.train);
  const { perEpisode: _, accuracy, ci95, ...rest } = evaluateLanguage(model, corpus.heldOut, o);
  return {
    metric: 'accuracy',
    value: accuracy,
    ci95,
    higherIsBetter: true,
    figures: {
      episodes: o.episodes,
      ways: o.ways,
      shots: o.shots,
      queries: o.queries,
      snippet: o.snippet,
      supportSnippet: o.supportSnippet,
      confusable: o.confusable,
      ...rest,
    },
  };
}

/** Few-shot language identification over the UDHR's languages, scored on held-out languages. */
export const languageFamily: TaskFamily<LanguageConfig, LanguageModel, TextCorpus, LanguageEvalOptions> = {
  name: LANGUAGE,
  description: 'few-shot identification of languages training never saw, from short text snippets',
  methods: LANGUAGE_METHODS,
  defaultModelConfig: (method) => defaultLanguageConfig(method as LanguageMethod),
  validateModelConfig: validateLanguageConfig,
  defaultTrainConfig: defaultLanguageTrain,
  paramCount: (c) => paramCount(languageShapes(validateLanguageConfig(c))),
  build: (c, seed) => new LanguageModel(c, seed),
  learner: (model, corpus, train) => new LanguageLearner(model, corpus, train),
  splitsSteps: (c) => c.method !== 'finetune',
  partGradient: (model, part) => model.episodeGradient(part as TextEpisode),
  defaultEvalOptions: () => ({
    episodes: 600,
    ways: 20,
    shots: 1,
    queries: 5,
    snippet: 30,
    supportSnippet: 0,
    confusable: false,
    seed: 1,
  }),
  evaluate: (model, corpus, o) => summary(model, corpus, o),
  periodicEval: () => ({
    key: 'evalAccuracy20Way1Shot',
    title: 'held-out accuracy, 20-way 1-shot, 30-character queries',
    run: (model, corpus, seed) =>
      summary(model, corpus, {
        episodes: 50,
        ways: Math.min(20, eligibleLanguages(corpus)),
        shots: 1,
        queries: 5,
        snippet: 30,
        supportSnippet: 0,
        confusable: false,
        seed,
      }),
  }),
  conformance: () => {
    const tiny = (method: LanguageMethod): LanguageConfig => {
      const c = defaultLanguageConfig(method);
      return {
        ...c,
        encoder: {
          ...c.encoder,
          buckets: 64,
          gramDim: 6,
          byteDim: 3,
          convWidth: 3,
          convFilters: 4,
          hidden: [8],
          width: 5,
          sketch: 16,
        },
        generatorHidden: [6],
        attentionDim: 4,
        trainWays: 3,
        snippet: 12,
      };
    };
    return {
      configs: [
        // the default hypernet: language models (order 3 here) and calibration languages
        { ...tiny('hypernet'), innerSteps: 1, lmOrder: 3 },
        { ...tiny('hypernet'), generator: 'class', lmOrder: 0, calibrationShare: 0 },
        tiny('protonet'),
        { ...tiny('maml'), innerSteps: 1 },
        { ...tiny('finetune'), pretrainClasses: 4, headSteps: 3 },
      ],
      // 15 training languages: every fifth (3) calibrates, enough for 3-way episodes
      data: () => syntheticCorpus(1, 15, 3),
      train: { steps: 2, metaBatch: 2, shotsMin: 1, shotsMax: 1, queries: 1 },
      evalOptions: {
        episodes: 2,
        ways: 3,
        shots: 1,
        queries: 2,
        snippet: 12,
        supportSnippet: 20,
        confusable: true,
        seed: 1,
        baseline: true,
        ablation: true,
      },
    };
  },
};
