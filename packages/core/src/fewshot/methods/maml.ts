import * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../../params/param-shapes.js';
import { firstOrderGradientSum } from '../../adapt/inner-loop.js';
import type { EpisodeTensors } from '../episode-tensors.js';
import type { FewShotConfig } from '../fewshot-config.js';
import { classMajorLabels, crossEntropy, linearLogits, prototypeHead, prototypes } from '../heads.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from '../method.js';
import { type AdaptedClassifier, linearHeadLayer } from '../../export/adapted-classifier.js';

/**
 * First-order MAML (Finn et al. 2017) on the whole network: every backbone weight and a
 * prototype-initialised head (Triantafillou et al. 2020, "proto-MAML") take gradient steps on
 * the support set; the query loss at the adapted weights trains the initialisation.
 */
export class Maml implements FewShotMethod {
  readonly name = 'maml';
  readonly paramShapes: ParamShapes = [];

  constructor(private readonly config: FewShotConfig) {}

  init(): Float32Array[] {
    return [];
  }

  private startHead(model: FewShotModelView, backbone: readonly tf.Tensor[], ep: EpisodeTensors) {
    return prototypeHead(
      prototypes(model.embedImages(backbone, ep.support), ep.ways, ep.shots, ep.classSizes),
    );
  }

  /** The summed support gradients of every inner step, for the backbone's weights then the head's (w, b). */
  private stepSums(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor[] {
    const backbone = model.backbone();
    const labels = classMajorLabels(ep.ways, ep.shots, ep.classSizes);
    const n = backbone.length;
    const head = this.startHead(model, backbone, ep);
    const loss = (vs: tf.Tensor[]) =>
      crossEntropy(
        linearLogits(model.embedImages(vs.slice(0, n), ep.support), vs[n] as tf.Tensor2D, vs[n + 1]),
        labels,
      );
    return firstOrderGradientSum([...backbone, head.w, head.b], loss, {
      steps: this.config.innerSteps,
      lr: this.config.innerLr,
    });
  }

  /** The weights − lr·Σ(step gradients): the first-order update, differentiable in the weights. */
  private adapted(model: FewShotModelView, ep: EpisodeTensors, sums: readonly tf.Tensor[]) {
    const backbone = model.backbone();
    const n = backbone.length;
    const lr = this.config.innerLr;
    const head = this.startHead(model, backbone, ep);
    return {
      backbone: backbone.map((v, i) => tf.sub(v, tf.mul(sums[i], lr))),
      w: tf.sub(head.w, tf.mul(sums[n], lr)) as tf.Tensor2D,
      b: tf.sub(head.b, tf.mul(sums[n + 1], lr)),
    };
  }

  /** Query logits at the adapted weights. */
  private adaptedLogits(
    model: FewShotModelView,
    ep: EpisodeTensors,
    sums: readonly tf.Tensor[],
  ): tf.Tensor2D {
    const { backbone, w, b } = this.adapted(model, ep, sums);
    return linearLogits(model.embed(backbone, ep).q, w, b);
  }

  queryLogits(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
    return this.adaptedLogits(model, ep, this.stepSums(model, ep));
  }

  /** The adapted backbone and head: the logits above, exactly. */
  adaptedClassifier(model: FewShotModelView, ep: EpisodeTensors): AdaptedClassifier {
    const { backbone, w, b } = this.adapted(model, ep, this.stepSums(model, ep));
    return { backbone, layers: [linearHeadLayer(w, b)] };
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors): EpisodeObjective {
    // First order: the inner gradients are computed here, before the tape, and enter as constants.
    const sums = tf.tidy(() => this.stepSums(model, ep));
    return {
      loss: () => crossEntropy(this.adaptedLogits(model, ep, sums), ep.queryLabels!),
      dispose: () => tf.dispose(sums),
    };
  }
}
