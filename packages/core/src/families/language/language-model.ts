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
import { charLmScores, type CharLmOptions, supportByClass } from '../../text/char-lm.js';
import { LanguageBank } from '../../text/language-bank.js';
import type { TextClass, TextEpisode } from '../../text/text-types.js';
import { InvalidArgumentError } from '../../errors/errors.js';
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
  private bank?: LanguageBank;

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

  /** Whether its language models mix in a bank of training languages (config.lmBank > 0). */
  get needsBank(): boolean {
    return this.config.lmOrder > 0 && this.config.lmBank > 0;
  }

  get hasBank(): boolean {
    return this.bank !== undefined;
  }

  /** Attaches the bank of the languages the config names (lmBankLanguages, in that order). */
  attachBank(bank: LanguageBank): void {
    const want = this.config.lmBankLanguages;
    if (bank.labels.length !== want.length || bank.labels.some((l, i) => l !== want[i]))
      throw new InvalidArgumentError(
        `the language bank holds ${bank.labels.length} languages, not the ${want.length} this model was trained with`,
      );
    if (bank.order < this.config.lmOrder)
      throw new InvalidArgumentError(
        `the language bank's order ${bank.order} is below the models' ${this.config.lmOrder}`,
      );
    this.bank = bank;
  }

  /**
   * Attaches the bank built from `classes` (the training corpus's languages) unless the model
   * has one or needs none. A config that names no bank languages yet (a model about to train)
   * takes every class of `classes`.
   */
  ensureBank(classes: readonly TextClass[]): void {
    if (!this.needsBank || this.bank) return;
    if (this.config.lmBankLanguages.length === 0) this.config.lmBankLanguages = classes.map((c) => c.label);
    this.attachBank(LanguageBank.ofClasses(this.bankClasses(classes), this.config.lmOrder));
  }

  /** Of `classes`, the ones the config's bank names, in its order; a missing one is an error. */
  bankClasses(classes: readonly TextClass[]): TextClass[] {
    const byLabel = new Map(classes.map((c) => [c.label, c]));
    return this.config.lmBankLanguages.map((l) => {
      const c = byLabel.get(l);
      if (!c) throw new InvalidArgumentError(`the language bank's language ${l} is not in this corpus`);
      return c;
    });
  }

  /**
   * The options of the episode's language models. `training` leaves the episode's own languages
   * out of the bank: a class borrowing its own whole text would teach the mix to trust the bank
   * far more than a new language can.
   */
  lmOptions(e: TextEpisode, training = false): CharLmOptions {
    const o = charLmOptionsOf(this.config);
    if (!this.needsBank) return o;
    if (!this.bank)
      throw new InvalidArgumentError(
        'this model mixes its training languages into its language models: attach its language bank first',
      );
    const exclude = training ? new Set(e.classes) : undefined;
    const c = this.config;
    const prior = {
      bank: this.bank,
      weight: c.lmBank,
      neighbours: c.lmBankNeighbours,
      keep: c.lmBankKeep,
      fitOrder: Math.min(c.lmBankFitOrder, c.lmOrder),
    };
    return { ...o, prior: exclude ? { ...prior, exclude } : prior };
  }

  /** The episode with its language models' scores computed (for worker threads, which have no bank). */
  withLmScores(e: TextEpisode, training = false): TextEpisode {
    const o = this.lmOptions(e, training);
    if (o.order === 0) return e;
    return { ...e, lmScores: charLmScores(supportByClass(e), e.queryTexts, o) };
  }

  /** The episode's tensors for this model's encoder (`training`: see lmOptions). */
  episodeTensors(e: TextEpisode, scored = true, training = false): EpisodeTensors<tf.Tensor3D> {
    const lm = e.lmScores ? charLmOptionsOf(this.config) : this.lmOptions(e, training);
    return textEpisodeTensors(e, this.config.encoder, scored, lm);
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
    const ep = this.episodeTensors(episode, true, true);
    return episodePartGradient(this.episodeObjective(ep), ep, this.store.variables);
  }

  dispose(): void {
    this.store.dispose();
  }
}
