import * as tf from '@tensorflow/tfjs-core';
import { checkParamCount } from '../model/config.js';
import { ParamStore } from '../params/param-store.js';
import { paramCount, prefixShapes } from '../params/param-shapes.js';
import { Rng } from '../random/rng.js';
import type { PartGradient } from '../train/split-step.js';
import { conv4Embed, conv4Shapes, initConv4 } from './conv4.js';
import { checkEpisode, type EpisodeInput, episodeTensors, type EpisodeTensors } from './episode-tensors.js';
import { episodePartGradient } from './episode-gradient.js';
import { type FewShotConfig, validateFewShotConfig } from './fewshot-config.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from './method.js';
import { createFewShotMethod } from './methods/index.js';

/**
 * A conv4 backbone and the method object that turns a support set into a classifier
 * (hypernet, protonet, maml, finetune: see methods/). The model owns the parameters; the method
 * decides what they are used for.
 */
export class FewShotModel implements FewShotModelView<tf.Tensor4D> {
  readonly store: ParamStore;
  readonly method: FewShotMethod;

  constructor(
    readonly config: FewShotConfig,
    seed: number,
  ) {
    validateFewShotConfig(config);
    const rng = Rng.fromSeed(seed, 'init');
    this.method = createFewShotMethod(config);
    const backbone = prefixShapes('backbone', conv4Shapes(config.filters));
    const shapes = [...backbone, ...this.method.paramShapes];
    checkParamCount(paramCount(shapes), 'use fewer filters, generator units or pre-training classes');
    this.store = new ParamStore(shapes, [...initConv4(backbone, rng), ...this.method.init(rng)]);
  }

  /** The backbone's weights (the store's variables; no copy). */
  backbone(): tf.Tensor[] {
    return this.store.group('backbone');
  }

  /** Embeddings [N, filters] of images [N, 28, 28, 1] under the given backbone weights. */
  embedImages(weights: readonly tf.Tensor[], images: tf.Tensor4D): tf.Tensor2D {
    return conv4Embed(weights, images);
  }

  /**
   * Support and query embeddings in one pass; batch-norm statistics come from the support
   * images alone, so a query never influences another's features.
   */
  embed(weights: readonly tf.Tensor[], ep: EpisodeTensors): { s: tf.Tensor2D; q: tf.Tensor2D } {
    const ns = ep.support.shape[0];
    const all = conv4Embed(weights, tf.concat([ep.support, ep.query], 0) as tf.Tensor4D, ns);
    return { s: tf.slice(all, 0, ns), q: tf.slice(all, ns) };
  }

  /** Query logits [Nq, ways] after adapting to the episode's support set. */
  queryLogits(ep: EpisodeTensors): tf.Tensor2D {
    checkEpisode(ep, this.config.imageSize);
    return tf.tidy(() => this.method.queryLogits(this, ep));
  }

  /** The training objective on one episode (mean query cross-entropy after adaptation). */
  episodeObjective(ep: EpisodeTensors): EpisodeObjective {
    return this.method.episodeObjective(this, ep);
  }

  /**
   * One episode's loss and gradient (flattened in the store's order) at the current weights:
   * a part of a split meta-step, computed in whichever thread holds this copy of the model.
   */
  episodeGradient(episode: EpisodeInput): PartGradient {
    const ep = episodeTensors(episode);
    return episodePartGradient(this.episodeObjective(ep), ep, this.store.variables);
  }

  dispose(): void {
    this.store.dispose();
  }
}
