import { CheckpointError } from '../errors/errors.js';
import type { ParamStore } from '../params/param-store.js';
import { HypernetModel } from './hypernet-model.js';
import type { ModelConfig } from './config.js';
import { FewShotModel } from '../fewshot/fewshot-model.js';
import type { FewShotConfig } from '../fewshot/fewshot-config.js';

/** What a checkpoint stores of a model: its config (with its task) and its parameters. */
export interface SavedModel {
  readonly config: { task: string; method: string };
  readonly store: ParamStore;
  dispose(): void;
}

type Factory = (config: never, seed: number) => SavedModel;
const factories = new Map<string, Factory>([
  ['sinusoid', (c: ModelConfig, seed: number) => new HypernetModel(c, seed)],
  // checkpoints written before `augment` and `reflections` existed were trained without them
  ['omniglot', (c: FewShotConfig, seed: number) => new FewShotModel({ ...c, augment: c.augment ?? false, reflections: c.reflections ?? false }, seed)],
]);

/** Task families add their model builder here, so checkpoints of any family can be loaded. */
export function registerModelFactory(task: string, factory: Factory): void {
  factories.set(task, factory);
}

/** Rebuilds a model's architecture from a saved config (validated by the model's constructor). */
export function buildModel(config: { task?: unknown }, seed: number): SavedModel {
  const f = factories.get(String(config?.task));
  if (!f) throw new CheckpointError(`unknown task '${String(config?.task)}' (known: ${[...factories.keys()].join(', ')})`);
  return f(config as never, seed);
}
