// tfjs-core's main entry registers no gradients; the meta-training loop needs them all.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import './backend/cpu-backend.js';
import './families/index.js';

/** The tfjs-core engine hypermeta runs on (one copy, shared with the backends). */
export * as tf from '@tensorflow/tfjs-core';

/** Errors: every failure a user can cause is a HypermetaError with a code. */
export * from './errors/errors.js';

/**
 * Contracts: the parameter-shape list is the only coupling between task networks and the
 * generators that emit their weights; task families and learners meet the trainer here.
 */
export {
  type ParamSpec,
  type ParamShapes,
  paramCount,
  parseParamShapes,
  prefixShapes,
  sameParamShapes,
} from './params/param-shapes.js';
export { ParamStore } from './params/param-store.js';
export type { TaskNetwork } from './tasknets/task-network.js';
export { MlpTaskNetwork } from './tasknets/mlp-task-network.js';
export type { Generator } from './generators/generator.js';
export { MlpHypernetwork } from './generators/mlp-hypernetwork.js';
export { ChunkedHypernetwork } from './generators/chunked-hypernetwork.js';
export type { Conditioner, ConditioningKind } from './conditioning/conditioner.js';
export type { TaskBatch } from './tasks/task-batch.js';
export { disposeBatch } from './tasks/task-batch.js';
export type { MetaLearner, StepObjective } from './train/meta-learner.js';
export {
  isSplitLearner,
  localPartRunner,
  type PartGradient,
  type PartRunner,
  type SplitLearner,
  type SplitStep,
} from './train/split-step.js';

/** Engine: meta-training, the inner gradient-step loop, optimisation, randomness, statistics. */
export { MetaTrainer, type StepResult, type TrainerState } from './train/meta-trainer.js';
export { defaultTrainConfig, type TrainConfig, validateTrainConfig } from './train/train-config.js';
export { Adam } from './train/adam.js';
export { clipByGlobalNorm } from './train/clip.js';
export { cosineLr } from './train/lr-schedule.js';
export {
  firstOrderGradientSum,
  gradientSteps,
  type InnerLoopConfig,
  type StepSchedule,
} from './adapt/inner-loop.js';
export { Rng, type RngState } from './random/rng.js';
export { taskStreams } from './random/streams.js';
export { meanCi95, median } from './eval/stats.js';

/** Task families: the contract, the registry, and the families core ships. */
export type {
  ConformanceFixture,
  EvalSummary,
  ModelConfigBase,
  PeriodicEval,
  TaskFamily,
} from './families/task-family.js';
export {
  allFamilies,
  familyNames,
  familyOf,
  getFamily,
  registerFamily,
  unregisterFamily,
} from './families/registry.js';
export { sinusoidFamily } from './families/sinusoid/family.js';
export {
  SINUSOID,
  type SinusoidTask,
  SinusoidTasks,
  drawSinusoidTasks,
  sampleSinusoidTask,
  sinusoidBatch,
  sinusoidValue,
} from './families/sinusoid/sinusoid-tasks.js';
export { defaultOmniglotTrain, type ImageSplitData, omniglotFamily } from './families/omniglot/family.js';
export { defaultOmniglotConfig, type OmniglotConfig } from './families/omniglot/omniglot-config.js';
/** Few-shot language identification: its family, model, methods and the text encoder it runs. */
export * from './families/language/index.js';
/** Few-shot dynamics on a simulator the caller hands in: family, physics interface, model, methods. */
export * from './families/dynamics/index.js';
/** Model-predictive control (CEM) over a batched model and reward; dm_control's task rewards. */
export * from './control/index.js';
export * from './textnet/index.js';

/** Regression hypernetworks (any family of tasks y = f(x)): model, learner, evaluation. */
export {
  defaultModelConfig,
  type GeneratorConfig,
  MAX_MODEL_PARAMS,
  type ModelConfig,
  modelParamCount,
  validateModelConfig,
} from './model/config.js';
export { HypernetModel } from './model/hypernet-model.js';
export { checkMemory } from './model/memory-estimate.js';
export { RegressionLearner, type RegressionTaskSource } from './model/regression-learner.js';
export { perTaskMse } from './model/losses.js';
export {
  evaluateRegression,
  type RegressionEvalOptions,
  type RegressionEvalResult,
  type RegressionTaskDraw,
  singleTaskLatency,
} from './eval/evaluate-regression.js';

/** Few-shot classification: the conv4 model, its methods as algorithm objects, episodes and images. */
export {
  defaultFewShotConfig,
  FEW_SHOT_METHODS,
  type FewShotConfig,
  type FewShotMethodName,
  validateFewShotConfig,
} from './fewshot/fewshot-config.js';
export { FewShotModel } from './fewshot/fewshot-model.js';
export type { EpisodeObjective, FewShotMethod } from './fewshot/method.js';
export { FewShotLearner, type EpisodeSource, type PretrainBatch } from './fewshot/fewshot-learner.js';
export {
  episodeAccuracy,
  evaluateFewShot,
  type FewShotEvalOptions,
  type FewShotEvalResult,
} from './fewshot/evaluate-fewshot.js';
export {
  disposeEpisode,
  type EpisodeInput,
  episodeTensors,
  type EpisodeTensors,
} from './fewshot/episode-tensors.js';
export { classMajorLabels, crossEntropy, linearLogits, prototypeHead, prototypes } from './fewshot/heads.js';
export { conv4Embed, conv4ForwardFlops, conv4Shapes, initConv4 } from './fewshot/conv4.js';
export {
  type Episode,
  type EpisodeClass,
  type EpisodeOptions,
  classesByAlphabet,
  describeImageEpisode,
  materializeImageEpisode,
  sampleEpisode,
  variantCount,
} from './data/episodes.js';
export * from './data/episode-steps.js';
export * from './data/variable-episode-steps.js';
export * from './data/domain-episodes.js';
export {
  imageEpisodeSource,
  type ImageEpisodeOptions,
  pretrainClassCount,
} from './data/image-episode-source.js';
export * from './data/image-set.js';
export { type AffineJitter, defaultJitter, jitterInto } from './data/augment.js';
export { inkImage } from './data/ink-image.js';

/** Text: language-identification data (classes by article, snippets, episodes, neighbours, the trigram baseline). */
export * from './text/index.js';

/** Export: an adapted network as plain layers, written as a tfjs-layers model and as ONNX. */
export * from './export/index.js';

/** Checkpoints: one format for every family, verified before anything is allocated. */
export * from './checkpoint/checkpoint.js';
export type { SavedModel } from './model/saved-model.js';

/** Backends: choose one by name or by priority; backend packages register themselves on import. */
export { type BackendStatus, backendNames, probeBackends, useBackend } from './backend/registry.js';
