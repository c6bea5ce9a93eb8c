import type { InnerLoopConfig } from '../adapt/inner-loop.js';
import type { ConditioningKind } from '../conditioning/conditioner.js';

export interface GeneratorConfig {
  kind: 'mlp' | 'chunked';
  hidden: number[];
  chunkSize: number;
  chunkEmbeddingSize: number;
}

/**
 * A regression hypernetwork (conditioner → generator → MLP task network): everything needed to
 * rebuild its architecture, saved in every checkpoint. `task` names the family it is trained on.
 */
export interface ModelConfig {
  task: string;
  method: 'hypernet';
  taskNet: { sizes: number[] };
  conditioning: ConditioningKind;
  codeSize: number;
  encoder: { pointHidden: number[]; setHidden: number[] };
  /** Size of the fixed training-task pool that embedding conditioning learns codes for. */
  embeddingTasks: number;
  generator: GeneratorConfig;
  inner: InnerLoopConfig;
}
