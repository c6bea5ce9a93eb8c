import * as tf from '@tensorflow/tfjs-core';
import type { Episode } from '../data/episodes.js';
import { InvalidArgumentError } from '../errors/errors.js';

/**
 * An episode on the device: support is class-major (example c*shots+s has label c). `X` is the
 * backbone's input batch: images [N, 28, 28, 1] by default, token ids for text families.
 */
export interface EpisodeTensors<X extends tf.Tensor = tf.Tensor4D> {
  ways: number;
  shots: number;
  support: X;
  query: X;
  /** [Nq] int32; absent for unlabeled queries. */
  queryLabels?: tf.Tensor1D;
  /** Support examples per class when they differ (class c has classSizes[c]); `shots` is then their smallest. */
  classSizes?: readonly number[];
  /**
   * [Nq, ways, K] scores of each query against each class computed outside the network, for a
   * method that reads them (a text episode's character language-model log-likelihoods).
   */
  pairScores?: tf.Tensor3D;
  /**
   * Drawn from classes kept apart to calibrate how a method mixes its parts: a method that knows
   * the flag trains only its mixing weights on it (see families/language/set-hypernet.ts).
   */
  calibration?: boolean;
}

/** What an episode needs to go on the device: images and, when scored, query labels. */
export type EpisodeInput = Pick<
  Episode,
  'ways' | 'shots' | 'support' | 'supportShape' | 'query' | 'queryShape'
> & {
  queryLabels?: Int32Array | null;
  classSizes?: readonly number[];
};

export function episodeTensors(e: EpisodeInput): EpisodeTensors {
  return {
    ways: e.ways,
    shots: e.shots,
    support: tf.tensor4d(e.support, e.supportShape),
    query: tf.tensor4d(e.query, e.queryShape),
    queryLabels: e.queryLabels ? tf.tensor1d(e.queryLabels, 'int32') : undefined,
    ...(e.classSizes ? { classSizes: e.classSizes } : {}),
  };
}

export function disposeEpisode(e: EpisodeTensors<tf.Tensor>): void {
  tf.dispose([
    e.support,
    e.query,
    ...(e.queryLabels ? [e.queryLabels] : []),
    ...(e.pairScores ? [e.pairScores] : []),
  ]);
}

/**
 * Checks an episode before a model adapts to it, so a mistake reads as a hypermeta error in our
 * words: image tensors [N, size, size, 1] of the model's size, ways × shots support images (class
 * major), at least two classes, labels for every query, finite support pixels.
 */
export function checkEpisode(ep: EpisodeTensors, size: number): void {
  for (const [name, t] of [
    ['support', ep.support],
    ['query', ep.query],
  ] as const) {
    if (!t || t.rank !== 4 || t.shape[1] !== size || t.shape[2] !== size || t.shape[3] !== 1) {
      throw new InvalidArgumentError(
        `${name} images must be a [count, ${size}, ${size}, 1] tensor, got ${t ? `[${t.shape.join(', ')}]` : 'none'}`,
      );
    }
  }
  if (!Number.isInteger(ep.ways) || ep.ways < 2)
    throw new InvalidArgumentError(`an episode needs at least 2 classes, got ${ep.ways}`);
  if (!Number.isInteger(ep.shots) || ep.shots < 1)
    throw new InvalidArgumentError('the support set is empty: every class needs at least one example');
  if (ep.classSizes) {
    const sizes = ep.classSizes;
    if (sizes.length !== ep.ways || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new InvalidArgumentError(
        `classSizes must give ${ep.ways} counts ≥ 1, got ${JSON.stringify(sizes)}`,
      );
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    if (ep.support.shape[0] !== total)
      throw new InvalidArgumentError(
        `the support set has ${ep.support.shape[0]} images, the class sizes add up to ${total}`,
      );
  } else if (ep.support.shape[0] !== ep.ways * ep.shots) {
    throw new InvalidArgumentError(
      `the support set has ${ep.support.shape[0]} images, ${ep.ways} classes × ${ep.shots} shots need ${ep.ways * ep.shots}`,
    );
  }
  if (ep.query.shape[0] === 0) throw new InvalidArgumentError('the query set is empty');
  if (ep.queryLabels && ep.queryLabels.shape[0] !== ep.query.shape[0]) {
    throw new InvalidArgumentError(
      `${ep.queryLabels.shape[0]} query labels for ${ep.query.shape[0]} query images`,
    );
  }
  if (!ep.support.dataSync().every(Number.isFinite))
    throw new InvalidArgumentError('the support images hold NaN or infinite values');
}
