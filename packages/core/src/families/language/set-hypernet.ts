import * as tf from '@tensorflow/tfjs-core';
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
}

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

  constructor(private readonly o: SetHypernetOptions) {
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
    ];
  }

  init(rng: Rng): Float32Array[] {
    const s = 1 / Math.sqrt(this.o.width);
    const att = () => rng.fill(this.o.width * this.o.attentionDim, (r) => r.normal() * s);
    return [att(), att(), ...this.generator.init(rng)];
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

  queryLogits(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): tf.Tensor2D {
    const { s, q } = model.embed(model.backbone(), ep);
    const { w, b } = this.head(model, s, ep);
    return linearLogits(q, w, b);
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): EpisodeObjective {
    const labels = ep.queryLabels!;
    return {
      loss: () => {
        const { s, q } = model.embed(model.backbone(), ep);
        const { w, b, base } = this.head(model, s, ep);
        const main = crossEntropy(linearLogits(q, w, b), labels);
        if (this.o.protoLoss === 0) return main;
        const aux = crossEntropy(linearLogits(q, base.w, base.b), labels);
        return tf.add(main, tf.mul(aux, this.o.protoLoss)) as tf.Scalar;
      },
      dispose: () => undefined,
    };
  }
}
