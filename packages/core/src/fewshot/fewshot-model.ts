import * as tf from '@tensorflow/tfjs-core';
import { MlpHypernetwork } from '../generators/mlp-hypernetwork.js';
import { ParamStore } from '../params/param-store.js';
import { type ParamShapes, paramCount, prefixShapes } from '../params/param-shapes.js';
import { checkParamCount } from '../model/config.js';
import { Rng } from '../random/rng.js';
import { conv4Embed, conv4Shapes, initConv4 } from './conv4.js';
import { BackboneModulator } from './backbone-modulator.js';
import type { Episode } from '../data/episodes.js';
import { flatten } from '../train/clip.js';
import { gradientsInOrder } from '../train/ordered-grads.js';
import type { PartGradient } from '../train/split-step.js';
import { disposeEpisode, episodeTensors, type EpisodeTensors } from './episode-tensors.js';
import { type FewShotConfig, validateFewShotConfig } from './fewshot-config.js';
import { classMajorLabels, crossEntropy, headSteps, linearLogits, prototypeHead, prototypes } from './heads.js';

/**
 * Conv4 backbone plus a method's way of turning the support set into a classifier:
 * hypernet (a generator emits each class's weights), protonet (class means), maml (first-order,
 * all weights adapted from a prototype-initialised head), finetune (pre-trained backbone, new head).
 */
export class FewShotModel {
  readonly store: ParamStore;
  readonly generator?: MlpHypernetwork;
  readonly modulator?: BackboneModulator;

  constructor(readonly config: FewShotConfig, seed: number) {
    validateFewShotConfig(config);
    const rng = Rng.fromSeed(seed, 'init');
    const F = config.filters;
    const backbone = prefixShapes('backbone', conv4Shapes(F));
    let extra: ParamShapes = [];
    if (config.method === 'hypernet') {
      // One code per class: its prototype and the episode's mean prototype (context).
      this.generator = new MlpHypernetwork({ targetShapes: [{ name: 'w', shape: [F] }, { name: 'b', shape: [1] }], codeSize: 2 * F, hidden: config.generatorHidden, headGain: 0.1 });
      extra = prefixShapes('gen', this.generator.paramShapes);
      if (config.modulation) {
        this.modulator = new BackboneModulator(F, config.generatorHidden);
        extra = [...extra, ...prefixShapes('film', this.modulator.paramShapes)];
      }
    } else if (config.method === 'finetune') {
      extra = [{ name: 'head/w', shape: [config.pretrainClasses, F] }, { name: 'head/b', shape: [config.pretrainClasses] }];
    }
    checkParamCount(paramCount([...backbone, ...extra]), 'use fewer filters, generator units or pre-training classes');
    const values = initConv4(backbone, rng);
    if (this.generator) values.push(...this.generator.init(rng));
    if (this.modulator) values.push(...this.modulator.init(rng));
    if (config.method === 'finetune') {
      values.push(rng.fill(config.pretrainClasses * F, (r) => r.normal() * Math.sqrt(1 / F)), new Float32Array(config.pretrainClasses));
    }
    this.store = new ParamStore([...backbone, ...extra], values);
  }

  /** The modulator's task code: the mean embedding of the support set by the plain backbone, [1, filters]. */
  private taskCode(ep: EpisodeTensors): tf.Tensor2D {
    return tf.mean(conv4Embed(this.store.group('backbone'), ep.support), 0, true) as tf.Tensor2D;
  }

  private embed(backbone: readonly tf.Tensor[], ep: EpisodeTensors, code?: tf.Tensor2D): { s: tf.Tensor2D; q: tf.Tensor2D } {
    const ns = ep.support.shape[0];
    const weights = this.modulator ? this.modulator.modulate(backbone, this.store.group('film'), code ?? this.taskCode(ep)) : backbone;
    const all = conv4Embed(weights, tf.concat([ep.support, ep.query], 0) as tf.Tensor4D, ns);
    return { s: tf.slice(all, 0, ns), q: tf.slice(all, ns) };
  }

  /**
   * The classifier (one weight row per class) the method derives from the support embeddings,
   * and the plain prototype classifier it starts from (`base`; the same one for protonet).
   */
  private head(s: tf.Tensor2D, ep: EpisodeTensors): { w: tf.Tensor2D; b: tf.Tensor1D; base: { w: tf.Tensor2D; b: tf.Tensor1D } } {
    const protos = prototypes(s, ep.ways, ep.shots);
    const base = prototypeHead(protos);
    if (!this.generator) return { ...base, base };
    const ctx = tf.tile(tf.mean(protos, 0, true), [ep.ways, 1]);
    const [dw, db] = this.generator.generate(this.store.group('gen'), tf.concat([protos, ctx], 1) as tf.Tensor2D);
    let w = tf.add(base.w, dw) as tf.Tensor2D;
    let b = tf.add(base.b, tf.reshape(db, [-1])) as tf.Tensor1D;
    if (this.config.innerSteps > 0) ({ w, b } = headSteps(s, classMajorLabels(ep.ways, ep.shots), w, b, this.config.innerSteps, this.config.innerLr));
    return { w, b, base };
  }

  /** Query logits [Nq, ways] after adapting to the episode's support set. */
  queryLogits(ep: EpisodeTensors): tf.Tensor2D {
    return tf.tidy(() => {
      const backbone = this.store.group('backbone');
      if (this.config.method === 'maml') return this.mamlLogits(ep, this.mamlSteps(backbone, ep));
      const { s, q } = this.embed(backbone, ep);
      if (this.config.method === 'finetune') return this.finetuneLogits(s, q, ep);
      const { w, b } = this.head(s, ep);
      return linearLogits(q, w, b);
    });
  }

  /** Fits a new linear head on the frozen backbone's L2-normalised support features. */
  private finetuneLogits(s: tf.Tensor2D, q: tf.Tensor2D, ep: EpisodeTensors): tf.Tensor2D {
    const norm = (x: tf.Tensor2D) => tf.div(x, tf.add(tf.norm(x, 2, 1, true), 1e-6)) as tf.Tensor2D;
    const [sn, qn] = [norm(s), norm(q)];
    const zeros = { w: tf.zeros([ep.ways, s.shape[1]]) as tf.Tensor2D, b: tf.zeros([ep.ways]) as tf.Tensor1D };
    const { w, b } = headSteps(tf.mul(sn, 10) as tf.Tensor2D, classMajorLabels(ep.ways, ep.shots), zeros.w, zeros.b, this.config.headSteps, this.config.headLr);
    return linearLogits(tf.mul(qn, 10) as tf.Tensor2D, w, b);
  }

  /** MAML inner loop from the current weights: returns the summed support gradients of each step. */
  private mamlSteps(backbone: readonly tf.Tensor[], ep: EpisodeTensors): tf.Tensor[] {
    const labels = classMajorLabels(ep.ways, ep.shots);
    const n = backbone.length;
    let values = [...backbone];
    let head = prototypeHead(prototypes(conv4Embed(backbone, ep.support), ep.ways, ep.shots));
    let sums = [...backbone, head.w, head.b].map((v) => tf.zerosLike(v));
    for (let k = 0; k < this.config.innerSteps; k++) {
      const loss = (...vs: tf.Tensor[]) => crossEntropy(linearLogits(conv4Embed(vs.slice(0, n), ep.support), vs[n] as tf.Tensor2D, vs[n + 1]), labels);
      const grads = tf.grads(loss)([...values, head.w, head.b]);
      sums = sums.map((acc, i) => tf.add(acc, grads[i]));
      values = values.map((v, i) => tf.sub(v, tf.mul(grads[i], this.config.innerLr)));
      head = { w: tf.sub(head.w, tf.mul(grads[n], this.config.innerLr)), b: tf.sub(head.b, tf.mul(grads[n + 1], this.config.innerLr)) };
    }
    return sums;
  }

  /** Query logits at weights − lr·Σ(step gradients): the first-order MAML update, differentiable in the weights. */
  private mamlLogits(ep: EpisodeTensors, sums: readonly tf.Tensor[]): tf.Tensor2D {
    const backbone = this.store.group('backbone');
    const n = backbone.length;
    const lr = this.config.innerLr;
    const head = prototypeHead(prototypes(conv4Embed(backbone, ep.support), ep.ways, ep.shots));
    const adapted = backbone.map((v, i) => tf.sub(v, tf.mul(sums[i], lr)));
    const { q } = this.embed(adapted, ep);
    return linearLogits(q, tf.sub(head.w, tf.mul(sums[n], lr)) as tf.Tensor2D, tf.sub(head.b, tf.mul(sums[n + 1], lr)));
  }

  /** The training objective on one episode (mean query cross-entropy after adaptation). */
  episodeObjective(ep: EpisodeTensors): { loss: () => tf.Scalar; dispose: () => void } {
    const labels = ep.queryLabels!;
    if (this.config.method === 'maml') {
      // First order: the inner gradients are computed here, before the tape, and enter as constants.
      const sums = tf.tidy(() => this.mamlSteps(this.store.group('backbone'), ep));
      return { loss: () => crossEntropy(this.mamlLogits(ep, sums), labels), dispose: () => tf.dispose(sums) };
    }
    // The task code enters training as a constant (computed before the tape): its pass over the
    // support set then needs no backward pass (a third of a 40-way 1-shot episode's images).
    const code = this.modulator ? tf.tidy(() => this.taskCode(ep)) : undefined;
    return {
      loss: () => {
        const { s, q } = this.embed(this.store.group('backbone'), ep, code);
        const { w, b, base } = this.head(s, ep);
        const main = crossEntropy(linearLogits(q, w, b), labels);
        const aux = this.config.protoLoss ?? 0;
        if (aux === 0) return main; // validation allows a weight only for hypernet
        return tf.add(main, tf.mul(crossEntropy(linearLogits(q, base.w, base.b), labels), aux)) as tf.Scalar;
      },
      dispose: () => code?.dispose(),
    };
  }

  /**
   * One episode's loss and gradient (flattened in the store's order) at the current weights:
   * a part of a split meta-step, computed in whichever thread holds this copy of the model.
   */
  episodeGradient(episode: Episode): PartGradient {
    const ep = episodeTensors(episode);
    const objective = this.episodeObjective(ep);
    try {
      const { value, grads } = gradientsInOrder(objective.loss, this.store.variables);
      const flat = tf.tidy(() => flatten(grads));
      const loss = value.dataSync()[0];
      const grad = flat.dataSync() as Float32Array;
      tf.dispose([value, flat, ...grads]);
      return { loss, grad };
    } finally {
      objective.dispose();
      disposeEpisode(ep);
    }
  }

  /** finetune's pre-training objective: plain classification of a batch over all training classes. */
  pretrainObjective(images: tf.Tensor4D, labels: tf.Tensor1D): () => tf.Scalar {
    return () => {
      const feats = conv4Embed(this.store.group('backbone'), images);
      const [w, b] = this.store.group('head');
      return crossEntropy(linearLogits(feats, w as tf.Tensor2D, b), labels);
    };
  }

  dispose(): void {
    this.store.dispose();
  }
}
