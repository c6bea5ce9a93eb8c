import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '../errors/errors.js';
import { checkEpisode, type EpisodeTensors } from '../fewshot/episode-tensors.js';
import type { FewShotModel } from '../fewshot/fewshot-model.js';
import { conv4Layers } from './conv4-layers.js';
import type { LayerSpec, NetworkSpec } from './network-spec.js';

/** How hypermeta prepares an image (data/ink-image.ts); the exported network expects the same. */
export const IMAGE_INPUT_NOTE =
  'images [N, 28, 28, 1] float32, row-major, one grey value per pixel in [0, 1] with ink = 1 and ' +
  'background = 0: luminance 0.299 R + 0.587 G + 0.114 B, transparency composited onto white, ' +
  'inverted when the border is light, then area-averaged to 28 × 28';

/**
 * The network a few-shot model's method has adapted to the episode's support set, as plain layers:
 * run on the episode's queries it gives the method's query logits (FewShotModel.queryLogits).
 * `labels` name the classes in order. Throws InvalidArgumentError for a method without the
 * `adaptedClassifier` hook.
 */
export function fewShotNetwork(model: FewShotModel, ep: EpisodeTensors, labels?: string[]): NetworkSpec {
  checkEpisode(ep, model.config.imageSize);
  const method = model.method;
  if (!method.adaptedClassifier)
    throw new InvalidArgumentError(`the ${method.name} method cannot export its adapted network`);
  if (labels && labels.length !== ep.ways)
    throw new InvalidArgumentError(`${labels.length} labels for ${ep.ways} classes`);
  let head: LayerSpec[] = [];
  // Clones: the backbone may be the store's own variables, which must outlive this.
  const backbone = tf.tidy(() => {
    const adapted = method.adaptedClassifier!(model, ep);
    head = adapted.layers;
    return (adapted.backbone ?? []).map((t) => tf.clone(t));
  });
  try {
    const size = model.config.imageSize;
    return {
      inputShape: [size, size, 1],
      layers: backbone.length ? [...conv4Layers(backbone, ep.support), ...head] : head,
      ...(labels ? { labels: [...labels] } : {}),
      inputNote: IMAGE_INPUT_NOTE,
      outputNote: `class scores [N, ${ep.ways}]: the query logits of hypermeta's ${method.name} after adapting to the support set, classes in labels.json order (softmax gives probabilities)`,
    };
  } finally {
    tf.dispose(backbone);
  }
}
