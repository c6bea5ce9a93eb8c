import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../params/param-shapes.js';
import type { Rng } from '../random/rng.js';
import type { EpisodeTensors } from './episode-tensors.js';
import type { ParamStore } from '../params/param-store.js';
import type { AdaptedClassifier } from '../export/adapted-classifier.js';

/** A training objective prepared for one episode; `dispose` frees what was computed before the tape. */
export interface EpisodeObjective {
  loss: () => tf.Scalar;
  dispose: () => void;
}

/**
 * What a method sees of the model it wraps: the shared parameters and the backbone's passes.
 * Generic over the backbone's input batch `X` (images [N, 28, 28, 1], token ids for text): the
 * methods only hand the episode's tensors back to the backbone, so one method object serves any
 * input kind.
 */
export interface FewShotModelView<X extends tf.Tensor = tf.Tensor> {
  readonly store: ParamStore;
  /** The backbone's weights (the store's variables; no copy). */
  backbone(): tf.Tensor[];
  /** Embeddings [N, width] of a batch of examples (images or another input kind) under the given backbone weights. */
  embedImages(weights: readonly tf.Tensor[], images: X): tf.Tensor2D;
  /** Support and query embeddings in one pass (normalisation statistics, if any, from the support set). */
  embed(weights: readonly tf.Tensor[], ep: EpisodeTensors<X>): { s: tf.Tensor2D; q: tf.Tensor2D };
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
  queryLogits(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): tf.Tensor2D;
  /** The training objective on one episode: mean query cross-entropy after adaptation. */
  episodeObjective(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): EpisodeObjective;
  /**
   * Optional, for export (core/src/export/): the classifier adapted to the episode's support set
   * as weights and plain layers that reproduce queryLogits without hypermeta (called inside a tidy).
   */
  adaptedClassifier?(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): AdaptedClassifier;
}
