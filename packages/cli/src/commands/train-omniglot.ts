import { classesByAlphabet, defaultFewShotConfig, defaultTrainConfig, evaluateFewShot, type FewShotConfig, FewShotLearner, type FewShotMethod, FewShotModel, InvalidArgumentError, MetaTrainer, pretrainClassCount, type TrainConfig, variantCount, type TrainerState, validateTrainConfig } from '@hypermeta/core';
import { loadOmniglotSplit } from '../data/omniglot-split.js';
import type { TrainingJob } from './train-loop.js';

export interface OmniglotFlags {
  method: string;
  dataDir?: string;
  cacheDir?: string;
  ways?: number;
  shots?: [number, number];
  queries?: number;
  rotations?: boolean;
  augment?: boolean;
  reflections?: boolean;
  withinAlphabet?: boolean;
  modulation?: boolean;
  protoLoss?: number;
  filters?: number;
  heldOut?: number;
  innerSteps?: number;
  innerLr?: number;
  steps?: number;
  metaBatch?: number;
  lr?: number;
  seed?: number;
}

/**
 * The default Omniglot training run: two 1-shot episodes per step; hypernet and protonet 5000
 * steps of 40 ways × 1 query, maml 1750 of 20 ways × 5 queries.
 */
export function defaultOmniglotTrain(method: FewShotMethod): TrainConfig {
  // Two episodes per step, one per core (worker threads): 5000 steps of 2 × 80 images fit the
  // 30-minute budget with 64 filters on 2 cores; the numbers are the same on one core, only slower.
  // One query per class: more, smaller steps over the same images trained better (1500 × 80
  // images against 1000 × 120).
  const base = { ...defaultTrainConfig(), steps: 5000, metaBatch: 2, shotsMin: 1, shotsMax: 1, queries: 1, lr: 2e-3, warmup: 50 };
  // finetune pre-trains on batches of metaBatch × queries images over all training classes,
  // in one thread (batch norm spans the batch, so its steps do not split).
  if (method === 'finetune') return { ...base, steps: 2500, metaBatch: 8, queries: 16 };
  // maml's inner steps make each step about twice as costly, so it takes half the steps.
  if (method === 'maml') return { ...base, steps: 1750, queries: 5 };
  return base;
}

function job(runDir: string, model: FewShotModel, train: TrainConfig, dataDir: string, cacheDir: string | undefined, resume?: TrainerState): Promise<TrainingJob> {
  return loadOmniglotSplit(dataDir, model.config.heldOutAlphabets, cacheDir).then((split) => {
    const trainer = new MetaTrainer(new FewShotLearner(model, split.train, train), train, resume);
    return {
      runDir,
      model,
      trainer,
      description: `${model.config.method} on Omniglot (${split.train.classes.length} training characters; held out: ${split.testAlphabets.join(', ')})`,
      periodicEval: () => {
        const r = evaluateFewShot(model, split.test, { episodes: 50, ways: 5, shots: 1, queries: 5, seed: train.seed });
        return { evalAccuracy5Way1Shot: r.accuracy, evalCi95: r.ci95 };
      },
    };
  });
}

export async function newOmniglotJob(runDir: string, f: OmniglotFlags): Promise<TrainingJob> {
  if (!f.dataDir) throw new InvalidArgumentError('--task omniglot needs --data-dir DIR (a folder with the Omniglot zips or extracted folders)');
  const method = f.method as FewShotMethod;
  const model: FewShotConfig = { ...defaultFewShotConfig(method), dataDir: f.dataDir } as FewShotConfig;
  if (f.ways !== undefined) model.trainWays = f.ways;
  if (f.rotations !== undefined) model.rotations = f.rotations;
  if (f.augment !== undefined) model.augment = f.augment;
  if (f.reflections !== undefined) model.reflections = f.reflections;
  if (f.withinAlphabet !== undefined) model.withinAlphabet = f.withinAlphabet;
  if (f.modulation !== undefined) model.modulation = f.modulation;
  if (f.protoLoss !== undefined) model.protoLoss = f.protoLoss;
  if (f.filters !== undefined) model.filters = f.filters;
  if (f.heldOut !== undefined) model.heldOutAlphabets = f.heldOut;
  if (f.innerSteps !== undefined) model.innerSteps = f.innerSteps;
  if (f.innerLr !== undefined) model.innerLr = f.innerLr;
  const train = defaultOmniglotTrain(method);
  if (f.shots) [train.shotsMin, train.shotsMax] = f.shots;
  if (f.queries !== undefined) train.queries = f.queries;
  if (f.steps !== undefined) train.steps = f.steps;
  if (f.metaBatch !== undefined) train.metaBatch = f.metaBatch;
  if (f.lr !== undefined) train.lr = f.lr;
  if (f.seed !== undefined) train.seed = f.seed;
  validateTrainConfig(train);
  const split = await loadOmniglotSplit(f.dataDir, model.heldOutAlphabets, f.cacheDir);
  model.pretrainClasses = pretrainClassCount(split.train, model.rotations, model.reflections);
  const fewest = Math.min(...split.train.classes.map((c) => c.images.length));
  if (method !== 'finetune' && train.shotsMax + train.queries > fewest) {
    throw new InvalidArgumentError(`shots (${train.shotsMax}) + queries (${train.queries}) exceed the ${fewest} images the smallest training class has`);
  }
  const variants = variantCount(model.rotations, model.reflections);
  if (model.trainWays > split.train.classes.length * variants) {
    throw new InvalidArgumentError(`--ways ${model.trainWays} exceeds the ${split.train.classes.length} training characters`);
  }
  if (model.withinAlphabet) {
    const largest = Math.max(...[...classesByAlphabet(split.train).values()].map((c) => c.length));
    if (model.trainWays > largest * variants) throw new InvalidArgumentError(`--ways ${model.trainWays} exceeds the ${largest * variants} classes of the largest training alphabet (--within-alphabet)`);
  }
  return job(runDir, new FewShotModel(model, train.seed), train, f.dataDir, f.cacheDir);
}

export function resumedOmniglotJob(runDir: string, model: FewShotModel, train: TrainConfig, state: TrainerState, dataDir: string | undefined, cacheDir?: string): Promise<TrainingJob> {
  const dir = dataDir ?? model.config.dataDir;
  if (!dir) throw new InvalidArgumentError('resuming an Omniglot run needs --data-dir DIR');
  return job(runDir, model, train, dir, cacheDir, state);
}
