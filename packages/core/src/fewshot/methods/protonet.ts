import type * as tf from '@tensorflow/tfjs-core';
import type { ParamShapes } from '../../params/param-shapes.js';
import type { Rng } from '../../random/rng.js';
import type { EpisodeTensors } from '../episode-tensors.js';
import { crossEntropy, linearLogits, prototypeHead, prototypes } from '../heads.js';
import type { EpisodeObjective, FewShotMethod, FewShotModelView } from '../method.js';
import { type AdaptedClassifier, linearHeadLayer } from '../../export/adapted-classifier.js';

/** Prototypical Networks (Snell et al. 2017): each class is the mean of its support embeddings. */
export class ProtoNet implements FewShotMethod {
  readonly name: string = 'protonet';
  readonly paramShapes: ParamShapes = [];

  init(_rng: Rng): Float32Array[] {
    return [];
  }

  queryLogits(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
    return prototypeLogits(model, ep);
  }

  episodeObjective(model: FewShotModelView, ep: EpisodeTensors): EpisodeObjective {
    return {
      loss: () => crossEntropy(prototypeLogits(model, ep), ep.queryLabels!),
      dispose: () => undefined,
    };
  }

  /** The backbone and the prototype classifier w = 2c, b = −‖c‖²: the logits above, exactly. */
  adaptedClassifier(model: FewShotModelView, ep: EpisodeTensors): AdaptedClassifier {
    const { s } = model.embed(model.backbone(), ep);
    const { w, b } = prototypeHead(prototypes(s, ep.ways, ep.shots, ep.classSizes));
    return { backbone: model.backbone(), layers: [linearHeadLayer(w, b)] };
  }
}

/** Query logits of the prototype classifier on the model's own backbone. */
function prototypeLogits(model: FewShotModelView, ep: EpisodeTensors): tf.Tensor2D {
  const { s, q } = model.embed(model.backbone(), ep);
  const { w, b } = prototypeHead(prototypes(s, ep.ways, ep.shots, ep.classSizes));
  return linearLogits(q, w, b);
}
