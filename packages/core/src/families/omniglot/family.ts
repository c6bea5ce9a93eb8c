import { pretrainClassCount, imageEpisodeSource } from '../../data/image-episode-source.js';
import { type ImageDomain, multiDomainEpisodeSource } from '../../data/domain-episodes.js';
import type { ImageSet } from '../../data/image-set.js';
import type { Episode } from '../../data/episodes.js';
import { conv4Shapes } from '../../fewshot/conv4.js';
import { conv4PassBytes, generatedPassBytes } from '../../fewshot/memory-estimate.js';
import { evaluateFewShot, type FewShotEvalOptions } from '../../fewshot/evaluate-fewshot.js';
import { syntheticCharacters } from '../../fewshot/fixtures.js';
import { FewShotLearner } from '../../fewshot/fewshot-learner.js';
import { FewShotModel } from '../../fewshot/fewshot-model.js';
import { createFewShotMethod } from '../../fewshot/methods/index.js';
import { FEW_SHOT_METHODS, type FewShotMethodName } from '../../fewshot/fewshot-config.js';
import { paramCount } from '../../params/param-shapes.js';
import { defaultTrainConfig, type TrainConfig } from '../../train/train-config.js';
import type { EvalSummary, TaskFamily } from '../task-family.js';
import {
  defaultOmniglotConfig,
  OMNIGLOT,
  type OmniglotConfig,
  validateOmniglotConfig,
} from './omniglot-config.js';

/** Training images (background alphabets but the held-out ones) and the held-out alphabets' images. */
export interface ImageSplitData {
  train: ImageSet;
  test: ImageSet;
  /** Training on several domains: each episode from one, drawn uniformly; `train` holds them all in order. */
  trainDomains?: ImageDomain[];
}

/**
 * The default training runs: 1-shot episodes, two per step (one per core with worker threads).
 * hypernet and protonet: 5000 steps of 40 ways × 1 query (more, smaller steps over the same
 * images trained better than fewer, larger ones); maml: its inner steps make a step about twice
 * as costly, so 1750 steps of 20 ways × 5 queries; finetune pre-trains on batches of
 * metaBatch × queries images over all training classes, in one thread.
 */
export function defaultOmniglotTrain(method: string): TrainConfig {
  const base = {
    ...defaultTrainConfig(),
    steps: 5000,
    metaBatch: 2,
    shotsMin: 1,
    shotsMax: 1,
    queries: 1,
    lr: 2e-3,
    warmup: 50,
  };
  if (method === 'finetune') return { ...base, steps: 2500, metaBatch: 8, queries: 16 };
  if (method === 'maml') return { ...base, steps: 1750, queries: 5 };
  return base;
}

function summary(model: FewShotModel, set: ImageSet, o: FewShotEvalOptions): EvalSummary {
  const r = evaluateFewShot(model, set, o);
  const { perEpisode: _, accuracy, ci95, ...figures } = r;
  return {
    metric: 'accuracy',
    value: accuracy,
    ci95,
    higherIsBetter: true,
    figures: { ...figures, withinAlphabet: o.withinAlphabet === true },
  };
}

/** Omniglot few-shot character classification (Lake et al. 2015), on held-out alphabets. */
export const omniglotFamily: TaskFamily<OmniglotConfig, FewShotModel, ImageSplitData, FewShotEvalOptions> = {
  name: OMNIGLOT,
  description: 'few-shot classification of handwritten characters of held-out alphabets',
  methods: FEW_SHOT_METHODS,
  defaultModelConfig: (method) => defaultOmniglotConfig(method as FewShotMethodName),
  validateModelConfig: validateOmniglotConfig,
  defaultTrainConfig: defaultOmniglotTrain,
  paramCount(c) {
    validateOmniglotConfig(c);
    return paramCount(conv4Shapes(c.filters)) + paramCount(createFewShotMethod(c).paramShapes);
  },
  build: (c, seed) => new FewShotModel(validateOmniglotConfig(c), seed),
  learner: (model, data, train) => {
    const c = model.config as OmniglotConfig;
    const o = {
      ways: c.trainWays,
      rotations: c.rotations,
      reflections: c.reflections,
      withinAlphabet: c.withinAlphabet,
      augment: c.augment,
      strokeJitter: c.strokeJitter,
    };
    const source = data.trainDomains
      ? multiDomainEpisodeSource(data.trainDomains, o)
      : imageEpisodeSource(data.train, o);
    return new FewShotLearner(model, source, train);
  },
  stepBytes(c, t) {
    const extra = paramCount(createFewShotMethod(c).paramShapes);
    // Split steps run one episode at a time per thread; finetune's pre-training batch is one pass.
    const images = c.method === 'finetune' ? t.metaBatch * t.queries : c.trainWays * (t.shotsMax + t.queries);
    if (c.method === 'generated')
      return generatedPassBytes(c.filters, c.taskFilters!, extra, c.trainWays * t.shotsMax, images, true);
    return conv4PassBytes(c.filters, extra, images, true);
  },
  evalBytes: (c, o) => {
    const extra = paramCount(createFewShotMethod(c).paramShapes);
    const images = o.ways * (o.shots + o.queries);
    if (c.method === 'generated')
      return generatedPassBytes(c.filters, c.taskFilters!, extra, o.ways * o.shots, images, false);
    return conv4PassBytes(c.filters, extra, images, c.method === 'maml');
  },
  // finetune pre-trains on whole batches, whose batch norm spans the batch: its steps do not split.
  splitsSteps: (c) => c.method !== 'finetune',
  partGradient: (model, part) => model.episodeGradient(part as Episode),
  defaultEvalOptions: () => ({ episodes: 600, ways: 5, shots: 1, queries: 5, seed: 1 }),
  evaluate: (model, data, o) => summary(model, data.test, o),
  periodicEval: () => ({
    key: 'evalAccuracy5Way1Shot',
    title: 'held-out accuracy, 5-way 1-shot',
    run: (model, data, seed) =>
      summary(model, data.test, { episodes: 50, ways: 5, shots: 1, queries: 5, seed }),
  }),
  conformance: () => {
    const data = () => ({ train: syntheticCharacters(1, 5, 4), test: syntheticCharacters(2, 5, 6) });
    const tiny = (method: FewShotMethodName): OmniglotConfig => ({
      ...defaultOmniglotConfig(method),
      filters: 4,
      trainWays: 3,
      generatorHidden: [8],
    });
    return {
      configs: [
        { ...tiny('hypernet'), modulation: true, innerSteps: 1 },
        tiny('protonet'),
        { ...tiny('maml'), innerSteps: 1 },
        { ...tiny('finetune'), pretrainClasses: pretrainClassCount(data().train, true, true), headSteps: 3 },
        // 12 ways: batch norm over a 3-image support set, through four generated layers, lifts
        // float32 rounding past the tolerance against cpu (1.5e-4 at 3 and 5 ways).
        { ...tiny('generated'), trainWays: 12, taskFilters: 3, innerSteps: 1 },
      ],
      data,
      train: { steps: 3, metaBatch: 2, shotsMin: 1, shotsMax: 1, queries: 1 },
      evalOptions: { episodes: 2, ways: 3, shots: 1, queries: 2, seed: 1 },
    };
  },
};
