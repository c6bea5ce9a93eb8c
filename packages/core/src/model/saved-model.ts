import type { ParamStore } from '../params/param-store.js';

/** What a checkpoint stores of a model of any family: its config (with its task) and its parameters. */
export interface SavedModel {
  readonly config: { task: string; method: string };
  readonly store: ParamStore;
  dispose(): void;
}
