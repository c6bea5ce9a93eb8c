import * as tf from '@tensorflow/tfjs-core';
import type { EpisodeTensors } from '../../fewshot/episode-tensors.js';
import { episodePartGradient } from '../../fewshot/episode-gradient.js';
import type { FewShotConfig } from '../../fewshot/fewshot-config.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from '../../fewshot/method.js';
import { FineTune } from '../../fewshot/methods/finetune.js';
import { HypernetMethod } from '../../fewshot/methods/hypernet.js';
import { Maml } from '../../fewshot/methods/maml.js';
import { ProtoNet } from '../../fewshot/methods/protonet.js';
import { checkParamCount } from '../../model/config.js';
import { ParamStore } from '../../params/param-store.js';
import { type ParamShapes, paramCount, prefixShapes } from '../../params/param-shapes.js';
import { Rng } from '../../random/rng.js';
import type { TextEpisode } from '../../text/text-types.js';
import { embeddingWidth, initTextEncoder, textEmbed, textEncoderShapes } from '../../textnet/text-encoder.js';
import type { PartGradient } from '../../train/split-step.js';
import { charLmOptionsOf, type LanguageConfig, validateLanguageConfig } from './language-config.js';
import { SetHypernet } from './set-hypernet.js';
import { textEpisodeTensors } from './text-episode-tensors.js';

/**
 * The few-shot fields the shared method objects read (steps, rates, head sizes), from a language
 * config. `filters` is the embedding width (what conv4's filters are for images); imageSize is
 * part of the image config's type and read by none of the methods.
 */
function sharedMethodConfig(c: LanguageConfig): FewShotConfig {
  return {
    task: c.task,
    method: c.method,
    filters: embeddingWidth(c.encoder),
    imageSize: 28,
    generatorHidden: c.generatorHidden,
    modulation: false,
    protoLoss: c.protoLoss,
    innerSteps: c.innerSteps,
    innerLr: c.innerLr,
    pretrainClasses: c.pretrainClasses,
    headSteps: c.headSteps,
    headLr: c.headLr,
  };
}

/** The method object of a config: the shared few-shot methods, or the set-conditioned hypernet. */
export function createLanguageMethod(c: LanguageConfig): FewShotMethod {
  switch (c.method) {
    case 'hypernet':
      if (c.generator === 'class') return new HypernetMethod(sharedMethodConfig(c));
      return new SetHypernet({
        ...c,
        width: embeddingWidth(c.encoder),
        calibrate: c.calibrationShare > 0,
      });
    case 'protonet':
      return new ProtoNet();
    case 'maml':
      return new Maml(sharedMethodConfig(c));
    case 'finetune':
      return new FineTune(sharedMethodConfig(c));
  }
}

/** Every parameter shape of a config's model: the encoder's under 'backbone/', then the method's. */
export function languageShapes(c: LanguageConfig, method = createLanguageMethod(c)): ParamShapes {
  return [...prefixShapes('backbone', textEncoderShapes(c.encoder)), ...method.paramShapes];
}

/**
 * A text encoder (textnet/) and the few-shot method that turns a support set of texts into a
 * classifier. It is the methods' FewShotModelView over text ids [N, 2, W]: protonet, maml and
 * finetune are the same objects the image families use.
 */
export class LanguageModel implements FewShotModelView<tf.Tensor3D> {
  readonly store: ParamStore;
  readonly method: FewShotMethod;
  readonly config: LanguageConfig;

  constructor(config: LanguageConfig, seed: number) {
    this.config = validateLanguageConfig(config);
    const rng = Rng.fromSeed(seed, 'init');
    this.method = createLanguageMethod(this.config);
    const shapes = languageShapes(this.config, this.method);
    checkParamCount(paramCount(shapes), 'use fewer hash buckets or narrower embeddings');
    const encoder = shapes.slice(0, shapes.length - this.method.paramShapes.length);
    this.store = new ParamStore(shapes, [
      ...initTextEncoder(this.config.encoder, encoder, rng),
      ...this.method.init(rng),
    ]);
  }

  backbone(): tf.Tensor[] {
    return this.store.group('backbone');
  }

  /** Embeddings [N, width] of text ids [N, 2, W]. */
  embedImages(weights: readonly tf.Tensor[], ids: tf.Tensor3D): tf.Tensor2D {
    return textEmbed(this.config.encoder, weights, ids);
  }

  /** Support and query embeddings in one pass (the encoder treats every text on its own). */
  embed(weights: readonly tf.Tensor[], ep: EpisodeTensors<tf.Tensor3D>): { s: tf.Tensor2D; q: tf.Tensor2D } {
    const ns = ep.support.shape[0];
    const all = textEmbed(this.config.encoder, weights, tf.concat([ep.support, ep.query], 0));
    return { s: tf.slice(all, 0, ns), q: tf.slice(all, ns) };
  }

  /** The episode's tensors for this model's encoder. */
  episodeTensors(e: TextEpisode, scored = true): EpisodeTensors<tf.Tensor3D> {
    return textEpisodeTensors(e, this.config.encoder, scored, charLmOptionsOf(this.config));
  }

  /** Query logits [Nq, ways] after adapting to the support set; `method` replaces the model's own (ablations). */
  queryLogits(ep: EpisodeTensors<tf.Tensor3D>, method = this.method): tf.Tensor2D {
    return tf.tidy(() => method.queryLogits(this, ep));
  }

  episodeObjective(ep: EpisodeTensors<tf.Tensor3D>): EpisodeObjective {
    return this.method.episodeObjective(this, ep);
  }

  /** One episode's loss and flat gradient at the current weights (a part of a split meta-step). */
  episodeGradient(episode: TextEpisode): PartGradient {
    const ep = this.episodeTensors(episode);
    return episodePartGradient(this.episodeObjective(ep), ep, this.store.variables);
  }

  dispose(): void {
    this.store.dispose();
  }
}
