import type { SavedModel } from '../model/saved-model.js';
import type { MetaLearner } from '../train/meta-learner.js';
import type { PartGradient } from '../train/split-step.js';
import type { TrainConfig } from '../train/train-config.js';

/** What every saved model config holds: the family that builds it and the method it trains. */
export interface ModelConfigBase {
  task: string;
  method: string;
}

/**
 * An evaluation's outcome in one shape for every family: the primary metric with its 95 %
 * confidence half-width, and the family's other figures (shots, ways, timings, …).
 */
export interface EvalSummary {
  /** Name of the primary metric, e.g. 'mse' or 'accuracy'. */
  metric: string;
  value: number;
  ci95: number;
  /** Whether a larger value is better (accuracy) or worse (an error). */
  higherIsBetter: boolean;
  figures: Record<string, unknown>;
}

/** The quick held-out evaluation a training run writes to metrics.jsonl at each checkpoint. */
export interface PeriodicEval<M, D> {
  /** Field name in metrics.jsonl, e.g. 'evalMse5Shot'. */
  key: string;
  /** Human title for plots, e.g. 'held-out MSE, 5-shot'. */
  title: string;
  run(model: M, data: D, seed: number): EvalSummary;
}

/**
 * A task family: everything generic code (training loop, checkpoints, conformance suite, CLI)
 * needs to know of it. `D` is the family's data (nothing for synthetic families, image sets for
 * Omniglot), loaded by whoever does the I/O; `E` its evaluation options.
 * Members are methods so that a family typed by its own config is a TaskFamily of the base types.
 */
export interface TaskFamily<
  C extends ModelConfigBase = ModelConfigBase,
  M extends SavedModel = SavedModel,
  D = unknown,
  E = unknown,
> {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** Methods it trains; the first is the default. */
  readonly methods: readonly string[];
  defaultModelConfig(method: string): C;
  /**
   * Checks a config from flags, a file or a checkpoint (filling fields older checkpoints lack) and
   * returns it; throws InvalidArgumentError naming the first bad field or an oversized model.
   */
  validateModelConfig(config: C): C;
  defaultTrainConfig(method: string): TrainConfig;
  /** Parameter count from shapes alone (no tensor is made), for size checks before loading. */
  paramCount(config: C): number;
  /** Builds the model with initial weights from `seed`; validates the config first. */
  build(config: C, seed: number): M;
  /** The meta-training method on this family's tasks, drawn from `data`. */
  learner(model: M, data: D, train: TrainConfig): MetaLearner;
  /**
   * For families whose learner splits its steps (SplitLearner): one part's gradient computed
   * from the model alone, so a worker thread holding a copy of the model (and no data) can run it.
   */
  partGradient?(model: M, part: unknown): PartGradient;
  /** Estimated peak bytes of one training step (weights, optimizer state, activations), erring high. */
  stepBytes?(config: C, train: TrainConfig): number;
  /** Estimated peak bytes of an evaluation with these options. */
  evalBytes?(config: C, options: E): number;
  /** Whether this config's learner splits its steps into parts (so worker threads can share a step). */
  splitsSteps?(config: C): boolean;
  defaultEvalOptions(config: C): E;
  evaluate(model: M, data: D, options: E): EvalSummary;
  periodicEval(): PeriodicEval<M, D>;
  /** A tiny model and synthetic data the backend conformance suite trains and evaluates on every backend. */
  conformance(): ConformanceFixture<C, D, E>;
}

export interface ConformanceFixture<C, D, E> {
  /** Small configs (one per method worth checking); each is built with seed 3. */
  configs: C[];
  data(): D;
  train: Partial<TrainConfig>;
  evalOptions: E;
}
