import {
  evalBatchSize,
  evaluateRegression,
  type RegressionEvalOptions,
} from '../../eval/evaluate-regression.js';
import { regressionEvalBytes, regressionStepBytes } from '../../model/memory-estimate.js';
import {
  defaultModelConfig,
  type ModelConfig,
  modelParamCount,
  validateModelConfig,
} from '../../model/config.js';
import { HypernetModel } from '../../model/hypernet-model.js';
import { RegressionLearner } from '../../model/regression-learner.js';
import { taskStreams } from '../../random/streams.js';
import { defaultTrainConfig } from '../../train/train-config.js';
import { InvalidArgumentError } from '../../errors/errors.js';
import { smallConfig } from '../../conformance/fixtures.js';
import type { EvalSummary, TaskFamily } from '../task-family.js';
import { drawSinusoidTasks, SinusoidTasks } from './sinusoid-tasks.js';

const NAME = 'sinusoid';

function summary(model: HypernetModel, o: RegressionEvalOptions): EvalSummary {
  const r = evaluateRegression(model, drawSinusoidTasks, o);
  const { conditioning, generator, inner } = model.config;
  return {
    metric: 'mse',
    value: r.mse,
    ci95: r.ci95,
    higherIsBetter: false,
    figures: {
      tasks: r.tasks,
      shots: r.shots,
      queries: o.queries ?? 100,
      conditioning,
      generator: generator.kind,
      innerSteps: inner.steps,
      adaptMsPerTask: r.adaptMsPerTask,
      adaptMsSingleTask: r.adaptMsSingleTask,
    },
  };
}

function ownConfig(c: ModelConfig): ModelConfig {
  if (c.task !== NAME)
    throw new InvalidArgumentError(`not a ${NAME} config (task ${JSON.stringify(c.task)})`);
  return c;
}

/**
 * Sinusoid regression (Finn et al. 2017): y = A·sin(x − φ), A ∈ [0.1, 5], φ ∈ [0, π], x ∈ [−5, 5].
 * Tasks are synthetic, so the family needs no data.
 */
export const sinusoidFamily: TaskFamily<ModelConfig, HypernetModel, undefined, RegressionEvalOptions> = {
  name: NAME,
  description: 'regression on sinusoids y = A·sin(x − φ) from a few (x, y) points',
  methods: ['hypernet'],
  defaultModelConfig: () => defaultModelConfig(NAME),
  validateModelConfig: (c) => validateModelConfig(ownConfig(c)),
  defaultTrainConfig: () => defaultTrainConfig(),
  paramCount: (c) => modelParamCount(sinusoidFamily.validateModelConfig(c)),
  // The model's constructor validates the architecture; the family checks only its name.
  build: (c, seed) => new HypernetModel(ownConfig(c), seed),
  learner(model, _data, train) {
    // Embedding conditioning learns one code per task of a fixed pool; the others see fresh tasks.
    const pooled = model.config.conditioning === 'embedding';
    return new RegressionLearner(
      model,
      new SinusoidTasks(pooled ? model.config.embeddingTasks : undefined, taskStreams(train.seed).pool),
      train,
    );
  },
  stepBytes: regressionStepBytes,
  evalBytes: (c, o) => {
    const queries = o.queries ?? 100;
    return regressionEvalBytes(c, evalBatchSize(o.tasks, queries, o.batchSize), o.shots, queries);
  },
  defaultEvalOptions: () => ({ tasks: 1000, shots: 5, queries: 100, seed: 1 }),
  evaluate: (model, _data, o) => summary(model, o),
  periodicEval: () => ({
    key: 'evalMse5Shot',
    title: 'held-out MSE, 5-shot',
    run: (model, _data, seed) => summary(model, { tasks: 100, shots: 5, seed, latency: false }),
  }),
  conformance: () => {
    // The engine cases' small regression hypernetwork, as a sinusoid model.
    const small = smallConfig({ task: NAME });
    const noise = defaultModelConfig(NAME, 'noise');
    return {
      configs: [
        small,
        { ...small, conditioning: 'embedding', generator: { ...small.generator, kind: 'chunked' } },
        { ...small, conditioning: 'noise', inner: { ...noise.inner, steps: 2 } },
      ],
      data: () => undefined,
      train: { steps: 3, metaBatch: 4 },
      evalOptions: { tasks: 8, shots: 3, seed: 1, batchSize: 4, latency: false },
    };
  },
};
