// Model-predictive control over a batched model and a reward function (no family, no engine).
export {
  type BatchedDynamics,
  type BatchedReward,
  CemPlanner,
  type CemOptions,
  cemOptionsFor,
  defaultCemOptions,
} from './planner.js';
export {
  cartpoleSwingupReward,
  type CartpoleLayout,
  pendulumHeightReward,
  pendulumSwingupReward,
  type PoleLayout,
  rewardOf,
  runReward,
  tolerance,
  type ToleranceOptions,
  type ToleranceSigmoid,
} from './rewards.js';
export { recoverySeconds, type RecoveryOptions } from './recovery.js';
export {
  type EpisodeRecovery,
  forwardMovingAverage,
  meanRewardTrace,
  summarizeRecovery,
  type RecoverySummary,
} from './recovery-summary.js';
