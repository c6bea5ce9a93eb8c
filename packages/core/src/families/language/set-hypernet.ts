import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { MlpHypernetwork } from '../../generators/mlp-hypernetwork.js';
import type { EpisodeTensors } from '../../fewshot/episode-tensors.js';
import {
  classMajorLabels,
  crossEntropy,
  headSteps,
  linearLogits,
  prototypeHead,
  prototypes,
} from '../../fewshot/heads.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from '../../fewshot/method.js';
import { type ParamShapes, prefixShapes } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';

export interface SetHypernetOptions {
  /** Embedding width. */
  width: number;
  attentionDim: number;
  generatorHidden: readonly number[];
  protoLoss: number;
  innerSteps: number;
  innerLr: number;
  /** Order of the character language models written from the support texts (0: none). */
  lmOrder: number;
  /**
   * Whether training keeps calibration episodes apart: on them only the mixing weights learn,
   * on the others everything but them (calibrationShare > 0).
   */
  calibrate: boolean;
}

/** The identity whose gradient is zero: a part of the logits that must not learn from this loss. */
const frozen = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([]);
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
}) as never) as <T extends tf.Tensor>(x: T) => T;

/** What an ablation leaves out of the hypernet's classifier, on the same trained weights. */
export type SetHypernetAblation = 'none' | 'ngram' | 'embedding';

/**
 * Initial weight of the full-order language model's mean log-likelihood per character in the
 * logits. Classes' likelihoods of a 30-character query differ by ≈ 0.2–1 nat per character, so
 * a weight of 10 starts it about as decisive as the embedding head; training sets the rest.
 */
const LM_INIT_WEIGHT = 10;

type Head = { w: tf.Tensor2D; b: tf.Tensor1D };

/**
 * A hypernetwork that generates the episode's classifier from the WHOLE support set. A generator
 * that sees one class at a time can only rediscover the prototype classifier (w = 2c, b = −‖c‖²);
 * here each class first attends over the other classes' prototypes (learned queries and keys, its
 * own prototype masked out), so its code holds its prototype, the mixture of the classes it is
 * most easily confused with, and their difference. The generator maps that code to a correction
 * of the prototype classifier: it can weight up the features that separate a language from its
 * neighbours in this episode, which a class mean alone cannot.
 *
 * The shared few-shot hypernet (fewshot/methods/hypernet.ts) conditions each class on its
 * prototype and the episode's plain mean; it stays available as the 'class' generator, for the
 * ablation. Like every method here, this one works for any backbone input (FewShotModelView).
 */
export class SetHypernet implements FewShotMethod {
  readonly name = 'hypernet';
  readonly paramShapes: ParamShapes;
  private readonly generator: MlpHypernetwork;

  /** `ablate` drops a part of the classifier at evaluation (the weights stay the trained ones). */
  constructor(
    private readonly o: SetHypernetOptions,
    private readonly ablate: SetHypernetAblation = 'none',
  ) {
    const F = o.width;
    this.generator = new MlpHypernetwork({
      targetShapes: [
        { name: 'w', shape: [F] },
        { name: 'b', shape: [1] },
      ],
      codeSize: 3 * F,
      hidden: o.generatorHidden,
      headGain: 0.1,
    });
    this.paramShapes = [
      { name: 'att/q', shape: [F, o.attentionDim] },
      { name: 'att/k', shape: [F, o.attentionDim] },
      ...prefixShapes('gen', this.generator.paramShapes),
      ...(o.lmOrder > 0
        ? [
            { name: 'ngram/w', shape: [o.lmOrder] },
            { name: 'mix/embedding', shape: [1] },
          ]
        : []),
    ];
  }

  /** The same method with a part of its classifier removed, for an ablation on the same weights. */
  without(part: Exclude<SetHypernetAblation, 'none'>): SetHypernet {
    return new SetHypernet(this.o, part);
  }

  init(rng: Rng): Float32Array[] {
    const s = 1 / Math.sqrt(this.o.width);
    const att = () => rng.fill(this.o.width * this.o.attentionDim, (r) => r.normal() * s);
    const lm = new Float32Array(this.o.lmOrder);
    if (this.o.lmOrder > 0) lm[this.o.lmOrder - 1] = LM_INIT_WEIGHT;
    const mix = Float32Array.of(1);
    return [att(), att(), ...this.generator.init(rng), ...(this.o.lmOrder > 0 ? [lm, mix] : [])];
  }

  /** Each class's attention-weighted mixture of the OTHER classes' prototypes [ways, F]. */
  private neighbourMix(model: FewShotModelView, protos: tf.Tensor2D): tf.Tensor2D {
    const [wq, wk] = model.store.group('att');
    const ways = protos.shape[0];
    const scores = tf.div(
      tf.matMul(tf.matMul(protos, wq as tf.Tensor2D), tf.matMul(protos, wk as tf.Tensor2D), false, true),
      Math.sqrt(this.o.attentionDim),
    );
    // A class never attends to itself: its own prototype is already in its code.
    const self = tf.mul(tf.eye(ways), -1e9);
    return tf.matMul(tf.softmax(tf.add(scores, self)), protos) as tf.Tensor2D;
  }

  /** The generated classifier and the prototype classifier it corrects (`base`). */
  head(model: FewShotModelView, s: tf.Tensor2D, ep: EpisodeTensors<tf.Tensor>): Head & { base: Head } {
    const protos = prototypes(s, ep.ways, ep.shots, ep.classSizes);
    const base = prototypeHead(protos);
    const mix = this.neighbourMix(model, protos);
    const code = tf.concat([protos, mix, tf.sub(protos, mix)], 1) as tf.Tensor2D;
    const [dw, db] = this.generator.generate(model.store.group('gen'), code);
    let w = tf.add(base.w, dw) as tf.Tensor2D;
    let b = tf.add(base.b, tf.reshape(db, [-1])) as tf.Tensor1D;
    if (this.o.innerSteps > 0) {
      const labels = classMajorLabels(ep.ways, ep.shots, ep.classSizes);
      ({ w, b } = headSteps(s, labels, w, b, this.o.innerSteps, this.o.innerLr));
    }
    return { w, b, base };
  }

  /**
   * The language models' part of the logits [Nq, ways]: their per-order mean log-likelihoods
   * (`pairScores`, computed from the support texts outside the network) under learned weights.
   */
  private lmLogits(model: FewShotModelView, scores: tf.Tensor3D | undefined): tf.Tensor2D | undefined {
    if (this.o.lmOrder === 0) return undefined;
    if (!scores || scores.shape[2] !== this.o.lmOrder)
      throw new InvalidArgumentError(
        `this model reads order-${this.o.lmOrder} language-model scores; the episode has ` +
          (scores ? `order ${scores.shape[2]}` : 'none'),
      );
    const [w] = model.store.group('ngram');
    const [nq, ways, k] = scores.shape;
    return tf.reshape(tf.matMul(tf.reshape(scores, [nq * ways, k]), tf.reshape(w, [k, 1])), [nq, ways]);
  }

  /**
   * The classifier's logits: the generated head on the embeddings, times a learned weight, plus
   * the language models. `learn` says which side a training loss may change: on calibration
   * episodes only the mixing weights (language-model weights and the embedding's weight), on the
   * others everything else; 'all' when training keeps no calibration episodes, and at test time.
   */
  private logits(
    model: FewShotModelView,
    scores: tf.Tensor3D | undefined,
    q: tf.Tensor2D,
    head: Head,
    learn: 'all' | 'mix' | 'rest' = 'all',
  ) {
    const lm = this.ablate === 'ngram' ? undefined : this.lmLogits(model, scores);
    if (this.ablate === 'embedding') {
      if (!lm) throw new InvalidArgumentError('this model has no language models to score with on their own');
      return lm;
    }
    const emb = linearLogits(q, head.w, head.b);
    if (this.o.lmOrder === 0) return emb;
    return this.mixed(model, emb, lm, learn);
  }

  /**
   * α · tanh(the head's logits, centred per query) plus the language models' logits. The head
   * learns to correct the language models' close calls on the training languages; on a held-out
   * language its logits can be large and wrong (with an unbounded head, the web demo's model
   * sent 80 of its 165 Russian example queries to Latin-script languages against one-sentence
   * supports, while its language models alone got 99.5 % of all 1,980 right), so its part is
   * bounded by α and cannot overrule a clear verdict of the language models.
   */
  private mixed(
    model: FewShotModelView,
    emb: tf.Tensor2D,
    lm: tf.Tensor2D | undefined,
    learn: 'all' | 'mix' | 'rest',
  ): tf.Tensor2D {
    const alpha = model.store.group('mix')[0];
    const bounded = tf.tanh(tf.sub(emb, tf.mean(emb, 1, true))) as tf.Tensor2D;
    const [a, e] =
      learn === 'mix'
        ? [alpha, frozen(bounded)]
        : learn === 'rest'
          ? [frozen(alpha), bounded]
          : [alpha, bounded];
    const weighted = tf.mul(e, a) as tf.Tensor2D;
    if (!lm) return weighted;
    return tf.add(weighted, learn === 'rest' ? frozen(lm) : lm) as tf.Tensor2D;
  }

  queryLogits(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): tf.Tensor2D {
    const { s, q } = model.embed(model.backbone(), ep);
    return this.logits(model, ep.pairScores, q, this.head(model, s, ep));
  }

  /**
   * Logits [Nq, ways] of query embeddings under a head generated earlier (`head`), with the
   * queries' language-model scores [Nq, ways, lmOrder] where the model writes language models:
   * for callers that adapt once and classify queries as they come (the web demo).
   */
  classify(model: FewShotModelView, q: tf.Tensor2D, head: Head, pairScores?: tf.Tensor3D): tf.Tensor2D {
    return this.logits(model, pairScores, q, head);
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): EpisodeObjective {
    const labels = ep.queryLabels!;
    return {
      loss: () => {
        const { s, q } = model.embed(model.backbone(), ep);
        const { w, b, base } = this.head(model, s, ep);
        const learn = !this.o.calibrate ? 'all' : ep.calibration ? 'mix' : 'rest';
        const main = crossEntropy(this.logits(model, ep.pairScores, q, { w, b }, learn), labels);
        // the encoder learns nothing from a calibration episode, the prototype loss included
        if (this.o.protoLoss === 0 || learn === 'mix') return main;
        const aux = crossEntropy(linearLogits(q, base.w, base.b), labels);
        return tf.add(main, tf.mul(aux, this.o.protoLoss)) as tf.Scalar;
      },
      dispose: () => undefined,
    };
  }
}
