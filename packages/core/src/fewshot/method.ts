import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { EpisodeTensors } from './episode-tensors.js';
import type { FewShotModel } from './fewshot-model.js';

/** A training objective prepared for one episode; `dispose` frees what was computed before the tape. */
export interface EpisodeObjective {
  loss: () => tf.Scalar;
  dispose: () => void;
}

/**
 * A few-shot method as an algorithm object wrapping the model it adapts (learn2learn's habit):
 * it owns the parameters it adds to the backbone and decides how a support set becomes a
 * classifier. The model holds the shared state (the backbone and the store).
 */
export interface FewShotMethod {
  readonly name: string;
  /** Parameters the method adds after the backbone's, under their group prefixes. */
  readonly paramShapes: ParamShapes;
  /** Their initial values, drawn from `rng` after the backbone's. */
  init(rng: Rng): Float32Array[];
  /** Query logits [Nq, ways] after adapting to the episode's support set (called inside a tidy). */
  queryLogits(model: FewShotModel, ep: EpisodeTensors): tf.Tensor2D;
  /** The training objective on one episode: mean query cross-entropy after adaptation. */
  episodeObjective(model: FewShotModel, ep: EpisodeTensors): EpisodeObjective;
}
