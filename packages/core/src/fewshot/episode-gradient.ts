import * as tf from '@tensorflow/tfjs-core';
import { flatten } from '../params/flat-params.js';
import { gradientsInOrder } from '../train/ordered-grads.js';
import type { PartGradient } from '../train/split-step.js';
import { disposeEpisode, type EpisodeTensors } from './episode-tensors.js';
import type { EpisodeObjective } from './method.js';

/**
 * One episode's loss and gradient flattened in the variables' order (a part of a split meta-step),
 * for every few-shot model whatever its input; frees the objective and the episode's tensors.
 */
export function episodePartGradient<X extends tf.Tensor>(
  objective: EpisodeObjective,
  ep: EpisodeTensors<X>,
  variables: readonly tf.Variable[],
): PartGradient {
  try {
    const { value, grads } = gradientsInOrder(objective.loss, variables);
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
