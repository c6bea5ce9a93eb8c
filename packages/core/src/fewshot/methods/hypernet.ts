import * as tf from '@tensorflow/tfjs-core';
import { MlpHypernetwork } from '../../generators/mlp-hypernetwork.js';
import { type ParamShapes, prefixShapes } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';
import { BackboneModulator } from '../backbone-modulator.js';
import type { EpisodeTensors } from '../episode-tensors.js';
import type { FewShotConfig } from '../fewshot-config.js';
import {
  classMajorLabels,
  crossEntropy,
  headSteps,
  linearLogits,
  prototypeHead,
  prototypes,
} from '../heads.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from '../method.js';
import { type AdaptedClassifier, linearHeadLayer } from '../../export/adapted-classifier.js';

type Head = { w: tf.Tensor2D; b: tf.Tensor1D };

/**
 * A generator emits each class's classifier weights from its prototype and the episode's mean
 * prototype (context), as a correction to the prototype classifier; optionally it also modulates
 * the backbone per channel from the support set (FiLM), and gradient steps refine the head.
 */
export class HypernetMethod implements FewShotMethod {
  readonly name = 'hypernet';
  readonly paramShapes: ParamShapes;
  private readonly generator: MlpHypernetwork;
  private readonly modulator?: BackboneModulator;

  constructor(private readonly config: FewShotConfig) {
    const F = config.filters;
    // One code per class: its prototype and the episode's mean prototype (context).
    this.generator = new MlpHypernetwork({
      targetShapes: [
        { name: 'w', shape: [F] },
        { name: 'b', shape: [1] },
      ],
      codeSize: 2 * F,
      hidden: config.generatorHidden,
      headGain: 0.1,
    });
    let shapes = prefixShapes('gen', this.generator.paramShapes);
    if (config.modulation) {
      this.modulator = new BackboneModulator(F, config.generatorHidden);
      shapes = [...shapes, ...prefixShapes('film', this.modulator.paramShapes)];
    }
    this.paramShapes = shapes;
  }

  init(rng: Rng): Float32Array[] {
    return [...this.generator.init(rng), ...(this.modulator ? this.modulator.init(rng) : [])];
  }

  /** The modulator's task code: the mean embedding of the support set by the plain backbone, [1, filters]. */
  private taskCode(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
    return tf.mean(model.embedImages(model.backbone(), ep.support), 0, true) as tf.Tensor2D;
  }

  /** The backbone's weights for this episode: modulated by the support set when there is a modulator. */
  private weights(model: FewShotModelView, ep: EpisodeTensors, code?: tf.Tensor2D): tf.Tensor[] {
    const backbone = model.backbone();
    return this.modulator
      ? this.modulator.modulate(backbone, model.store.group('film'), code ?? this.taskCode(model, ep))
      : backbone;
  }

  private embed(
    model: FewShotModelView,
    ep: EpisodeTensors,
    code?: tf.Tensor2D,
  ): { s: tf.Tensor2D; q: tf.Tensor2D } {
    return model.embed(this.weights(model, ep, code), ep);
  }

  /** The generated classifier and the plain prototype classifier it corrects (`base`). */
  private head(model: FewShotModelView, s: tf.Tensor2D, ep: EpisodeTensors): Head & { base: Head } {
    const protos = prototypes(s, ep.ways, ep.shots, ep.classSizes);
    const base = prototypeHead(protos);
    const ctx = tf.tile(tf.mean(protos, 0, true), [ep.ways, 1]);
    const [dw, db] = this.generator.generate(
      model.store.group('gen'),
      tf.concat([protos, ctx], 1) as tf.Tensor2D,
    );
    let w = tf.add(base.w, dw) as tf.Tensor2D;
    let b = tf.add(base.b, tf.reshape(db, [-1])) as tf.Tensor1D;
    const { innerSteps, innerLr } = this.config;
    if (innerSteps > 0)
      ({ w, b } = headSteps(
        s,
        classMajorLabels(ep.ways, ep.shots, ep.classSizes),
        w,
        b,
        innerSteps,
        innerLr,
      ));
    return { w, b, base };
  }

  queryLogits(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
    const { s, q } = this.embed(model, ep);
    const { w, b } = this.head(model, s, ep);
    return linearLogits(q, w, b);
  }

  /** The (modulated) backbone and the generated, refined head: the logits above, exactly. */
  adaptedClassifier(model: FewShotModelView, ep: EpisodeTensors): AdaptedClassifier {
    const weights = this.weights(model, ep);
    const { w, b } = this.head(model, model.embed(weights, ep).s, ep);
    return { backbone: weights, layers: [linearHeadLayer(w, b)] };
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors): EpisodeObjective {
    const labels = ep.queryLabels!;
    // The task code enters training as a constant (computed before the tape): its pass over the
    // support set then needs no backward pass (a third of a 40-way 1-shot episode's images).
    const code = this.modulator ? tf.tidy(() => this.taskCode(model, ep)) : undefined;
    return {
      loss: () => {
        const { s, q } = this.embed(model, ep, code);
        const { w, b, base } = this.head(model, s, ep);
        const main = crossEntropy(linearLogits(q, w, b), labels);
        const aux = this.config.protoLoss ?? 0;
        if (aux === 0) return main;
        return tf.add(main, tf.mul(crossEntropy(linearLogits(q, base.w, base.b), labels), aux)) as tf.Scalar;
      },
      dispose: () => code?.dispose(),
    };
  }
}
