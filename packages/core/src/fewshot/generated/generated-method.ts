import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../../errors/errors.js';
import { MlpHypernetwork } from '../../generators/mlp-hypernetwork.js';
import { type ParamShapes, prefixShapes } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';
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
import { initConv4 } from '../conv4.js';
import { LayerwiseGenerator } from './layer-generator.js';
import { type ClassifierWeights, type ConvLayerWeights, TaskConvNet } from './task-conv-net.js';

/** Default width of the generated task network (`taskFilters`). */
export const DEFAULT_TASK_FILTERS = 8;

/** Everything the generator wrote for one episode, and the queries' logits under it. */
export interface GeneratedEpisode {
  layers: ConvLayerWeights[];
  head: ClassifierWeights;
  logits: tf.Tensor2D;
}

/**
 * The whole task network generated from the support set: the model's conv4 backbone (`filters`
 * wide) is only the generator's feature extractor; a layer-wise generator writes every conv
 * kernel and batch-norm scale and shift of a separate `taskFilters`-wide conv4, reading the
 * support images' activations of the layers it already wrote, and a class-wise generator writes
 * the classifier from the task network's own support features. Queries pass through nothing but
 * the generated network. Optional gradient steps refine the generated classifier.
 */
export class GeneratedMethod implements FewShotMethod {
  readonly name = 'generated';
  readonly paramShapes: ParamShapes;
  readonly taskNet: TaskConvNet;
  private readonly layers: LayerwiseGenerator;
  private readonly classifier: MlpHypernetwork;

  constructor(private readonly config: FewShotConfig) {
    const C = config.taskFilters ?? DEFAULT_TASK_FILTERS;
    const F = config.filters;
    this.taskNet = new TaskConvNet(C);
    this.layers = new LayerwiseGenerator({
      targetShapes: this.taskNet.paramShapes,
      contextSize: F,
      inputSize: this.taskNet.inChannels(0),
      hidden: config.generatorHidden[0] ?? 64,
      // Each channel's base starts as a standard conv4 init; the support set's part starts small
      // (the head-only hypernet's gain), so training begins from a plain random network.
      baseInit: (rng) => initConv4(this.taskNet.paramShapes, rng),
      headGain: 0.1,
    });
    // Per class: its task-network prototype, the episode's mean one, and its extractor prototype;
    // the output corrects the prototype classifier of the task network's features.
    this.classifier = new MlpHypernetwork({
      targetShapes: this.taskNet.classShapes,
      codeSize: 2 * C + F,
      hidden: config.generatorHidden,
      headGain: 0.1,
    });
    this.paramShapes = [
      ...prefixShapes('layers', this.layers.paramShapes),
      ...prefixShapes('classifier', this.classifier.paramShapes),
    ];
  }

  init(rng: Rng): Float32Array[] {
    return [...this.layers.init(rng), ...this.classifier.init(rng)];
  }

  /**
   * Generates the task network for the episode and classifies its queries with it. Support and
   * queries go through each generated layer together (batch norm takes the support's statistics),
   * which gives the generator the support activations it reads for the next layer in the same pass.
   */
  generate(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): GeneratedEpisode {
    const [support, query] = imagesOf(ep);
    const ns = support.shape[0];
    const classes = (x: tf.Tensor2D) => prototypes(x, ep.ways, ep.shots, ep.classSizes);
    const context = classes(model.embedImages(model.backbone(), support));
    const genWeights = model.store.group('layers');
    const layers: ConvLayerWeights[] = [];
    let h = tf.concat([support, query], 0) as tf.Tensor4D;
    for (let l = 0; l < this.layers.layerCount; l++) {
      const pooled = tf.mean(tf.slice(h, 0, ns), [1, 2]) as tf.Tensor2D;
      const [w, gamma, beta] = this.layers.generateLayer(genWeights, l, context, classes(pooled));
      const layer = { w: w as tf.Tensor4D, gamma: gamma as tf.Tensor1D, beta: beta as tf.Tensor1D };
      layers.push(layer);
      h = this.taskNet.block(h, layer, ns);
    }
    const feats = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    const s = tf.slice(feats, 0, ns);
    const q = tf.slice(feats, ns);
    const head = this.head(model, s, context, ep);
    return { layers, head, logits: linearLogits(q, head.w, head.b) };
  }

  private head(
    model: FewShotModelView,
    s: tf.Tensor2D,
    context: tf.Tensor2D,
    ep: EpisodeTensors<tf.Tensor>,
  ): ClassifierWeights {
    const protos = prototypes(s, ep.ways, ep.shots, ep.classSizes);
    const base = prototypeHead(protos);
    const mean = tf.tile(tf.mean(protos, 0, true), [ep.ways, 1]);
    const [dw, db] = this.classifier.generate(
      model.store.group('classifier'),
      tf.concat([protos, mean, context], 1) as tf.Tensor2D,
    );
    let w = tf.add(base.w, dw) as tf.Tensor2D;
    let b = tf.add(base.b, tf.reshape(db, [-1])) as tf.Tensor1D;
    const { innerSteps, innerLr } = this.config;
    if (innerSteps > 0) {
      const labels = classMajorLabels(ep.ways, ep.shots, ep.classSizes);
      ({ w, b } = headSteps(s, labels, w, b, innerSteps, innerLr));
    }
    return { w, b };
  }

  queryLogits(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): tf.Tensor2D {
    return this.generate(model, ep).logits;
  }

  /**
   * For export: the generated conv layers take the backbone's place (the exporter fixes their batch
   * norms to the support set's statistics, as `block` does) and the generated classifier follows.
   */
  adaptedClassifier(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): AdaptedClassifier {
    const { layers, head } = this.generate(model, ep);
    return {
      backbone: layers.flatMap((l) => [l.w, l.gamma, l.beta]),
      layers: [linearHeadLayer(head.w, head.b)],
    };
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors<tf.Tensor>): EpisodeObjective {
    return {
      loss: () => crossEntropy(this.generate(model, ep).logits, ep.queryLabels!),
      dispose: () => undefined,
    };
  }
}

/** The episode's support and query images; the task network is a conv net over [N, H, W, 1] images. */
function imagesOf(ep: EpisodeTensors<tf.Tensor>): [tf.Tensor4D, tf.Tensor4D] {
  if (ep.support.rank !== 4 || ep.query.rank !== 4)
    throw new InvalidArgumentError('the generated task network classifies images [count, height, width, 1]');
  return [ep.support as tf.Tensor4D, ep.query as tf.Tensor4D];
}
