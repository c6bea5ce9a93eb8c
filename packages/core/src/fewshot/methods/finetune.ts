import * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';
import type { EpisodeTensors } from '../episode-tensors.js';
import type { FewShotConfig } from '../fewshot-config.js';
import { classMajorLabels, crossEntropy, headSteps, linearLogits } from '../heads.js';
import type { FewShotModelView } from '../method.js';
import { type AdaptedClassifier, linearHeadLayer } from '../../export/adapted-classifier.js';
import { ProtoNet } from './protonet.js';

/** Features are L2-normalised (ε keeps a zero vector finite), then scaled by 10 before the head. */
const NORM_EPSILON = 1e-6;
const FEATURE_SCALE = 10;

/**
 * The fine-tuning baseline (Chen et al. 2019, "baseline"): the backbone is pre-trained as a plain
 * classifier over all training classes; at test time a new linear head is fitted on its frozen,
 * L2-normalised support features. Its episode objective (not used by its own training) is protonet's.
 */
export class FineTune extends ProtoNet {
  override readonly name = 'finetune';
  override readonly paramShapes: ParamShapes;

  constructor(private readonly config: FewShotConfig) {
    super();
    this.paramShapes = [
      { name: 'head/w', shape: [config.pretrainClasses, config.filters] },
      { name: 'head/b', shape: [config.pretrainClasses] },
    ];
  }

  override init(rng: Rng): Float32Array[] {
    const { pretrainClasses: n, filters: F } = this.config;
    return [rng.fill(n * F, (r) => r.normal() * Math.sqrt(1 / F)), new Float32Array(n)];
  }

  override queryLogits(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
    const { qn, w, b } = this.fitHead(model, ep);
    return linearLogits(tf.mul(qn, FEATURE_SCALE) as tf.Tensor2D, w, b);
  }

  /** The backbone, the L2 normalisation of its features and the head fitted on the support set. */
  override adaptedClassifier(model: FewShotModelView, ep: EpisodeTensors): AdaptedClassifier {
    const { w, b } = this.fitHead(model, ep);
    return {
      backbone: model.backbone(),
      layers: [{ kind: 'l2Normalize', scale: FEATURE_SCALE, epsilon: NORM_EPSILON }, linearHeadLayer(w, b)],
    };
  }

  /** The head fitted on the normalised support features, and the normalised query features. */
  private fitHead(model: FewShotModelView, ep: EpisodeTensors) {
    const { s, q } = model.embed(model.backbone(), ep);
    const norm = (x: tf.Tensor2D) => tf.div(x, tf.add(tf.norm(x, 2, 1, true), NORM_EPSILON)) as tf.Tensor2D;
    const [sn, qn] = [norm(s), norm(q)];
    const zeros = {
      w: tf.zeros([ep.ways, s.shape[1]]) as tf.Tensor2D,
      b: tf.zeros([ep.ways]) as tf.Tensor1D,
    };
    const labels = classMajorLabels(ep.ways, ep.shots, ep.classSizes);
    const { w, b } = headSteps(
      tf.mul(sn, FEATURE_SCALE) as tf.Tensor2D,
      labels,
      zeros.w,
      zeros.b,
      this.config.headSteps,
      this.config.headLr,
    );
    return { qn, w, b };
  }

  /** Pre-training objective: plain classification of a batch over all training classes. */
  pretrainObjective(model: FewShotModelView, images: tf.Tensor4D, labels: tf.Tensor1D): () => tf.Scalar {
    return () => {
      const feats = model.embedImages(model.backbone(), images);
      const [w, b] = model.store.group('head');
      return crossEntropy(linearLogits(feats, w as tf.Tensor2D, b), labels);
    };
  }
}
