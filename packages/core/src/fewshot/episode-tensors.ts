import * as tf from '@tensorflow/tfjs-core';
import type { Episode } from '../data/episodes.js';

/** An episode on the device: support is class-major (image c*shots+s has label c). */
export interface EpisodeTensors {
  ways: number;
  shots: number;
  support: tf.Tensor4D;
  query: tf.Tensor4D;
  /** [Nq] int32; absent for unlabeled queries. */
  queryLabels?: tf.Tensor1D;
}

/** What an episode needs to go on the device: images and, when scored, query labels. */
export type EpisodeInput = Pick<Episode, 'ways' | 'shots' | 'support' | 'supportShape' | 'query' | 'queryShape'> & { queryLabels?: Int32Array | null };

export function episodeTensors(e: EpisodeInput): EpisodeTensors {
  return {
    ways: e.ways,
    shots: e.shots,
    support: tf.tensor4d(e.support, e.supportShape),
    query: tf.tensor4d(e.query, e.queryShape),
    queryLabels: e.queryLabels ? tf.tensor1d(e.queryLabels, 'int32') : undefined,
  };
}

export function disposeEpisode(e: EpisodeTensors): void {
  tf.dispose([e.support, e.query, ...(e.queryLabels ? [e.queryLabels] : [])]);
}
