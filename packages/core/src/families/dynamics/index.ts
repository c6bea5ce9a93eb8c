// Few-shot dynamics: the family, its physics interface (a simulator the caller hands in), data,
// model, methods and evaluation.
export { dynamicsFamily } from './family.js';
export {
  type DynamicsEnvInfo,
  type DynamicsSimulator,
  type RolloutResult,
  type SimEpisode,
  type SteppableSimulator,
  type SimStepResult,
  isSteppable,
  type Variation,
  stateSize as dynamicsStateSize,
  VARIATION_BASE,
} from './physics.js';
export {
  defaultDynamicsConfig,
  DYNAMICS_HORIZONS,
  DYNAMICS_METHODS,
  type DynamicsConfig,
  type DynamicsDataConfig,
  type DynamicsEnvSpec,
  type DynamicsMethodName,
  type DynamicsNorm,
  type DynamicsOnPolicyConfig,
  emptyEnv,
  inputSize as dynamicsInputSize,
  MAX_STATE as MAX_DYNAMICS_STATE,
} from './dynamics-config.js';
export { DynamicsData, envSpec, checkSameEnv } from './dynamics-data.js';
export { DynamicsModel, disposeContext, type ContextArrays } from './dynamics-model.js';
export { DynamicsLearner } from './dynamics-learner.js';
export {
  evaluateDynamicsSet,
  type DynamicsEvalOptions,
  type DynamicsSetResult,
} from './evaluate-dynamics.js';
export {
  collectVariations,
  type CollectOptions,
  type VariationRecord,
  type VariationSet,
} from './collect.js';
export { randomActions } from './actions.js';
export { writeFeatures, identityNorm } from './features.js';
export { contextArrays, writeTransition, type ContextWindow } from './sampling.js';
export {
  actuatorStrengths,
  sampleVariation,
  type VariationKind,
  type VariationSettings,
  variationFeatures,
  variationFeatureSize,
  variationStreams,
} from './variations.js';
export { ToyPendulum } from './toy-pendulum.js';
export { dynamicsParamCount, validateDynamicsConfig } from './validate.js';
export { createDynamicsMethod, type DynamicsContext, type DynamicsMethod } from './methods/index.js';
export {
  adaptToRecent,
  LearnedDynamics,
  type RecentTransitions,
  SimulatorDynamics,
} from './control-models.js';
export {
  changedVariation,
  CONTROL_TASKS,
  defaultControlTask,
  describeDynamicsChange,
  type DynamicsChange,
  type DynamicsControlTask,
  dynamicsControlTask,
  motorChangeFits,
} from './control-tasks.js';
export {
  type EpisodeResult,
  type EpisodeSetup,
  type PlanningModel,
  runControlEpisode,
} from './control-episode.js';
export {
  appendOnPolicyRound,
  collectOnPolicyRound,
  type OnPolicyEpisode,
  type OnPolicyIo,
  type OnPolicyRound,
} from './on-policy.js';
export { defaultOnPolicyConfig, onPolicyRoundStep, validateOnPolicyConfig } from './on-policy-config.js';
