import * as tf from '@tensorflow/tfjs-core';
import { sampleEpisode } from '../data/episodes.js';
import type { ImageSet } from '../data/image-set.js';
import { meanCi95 } from '../eval/stats.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../random/rng.js';
import { disposeEpisode, episodeTensors, type EpisodeTensors } from './episode-tensors.js';
import type { FewShotModel } from './fewshot-model.js';

export interface FewShotEvalOptions {
  episodes: number;
  ways: number;
  shots: number;
  /** Query images per class. */
  queries: number;
  seed: number;
  /** Each episode's classes from one alphabet (harder) rather than across the set's alphabets. */
  withinAlphabet?: boolean;
}

export interface FewShotEvalResult {
  episodes: number;
  ways: number;
  shots: number;
  queries: number;
  accuracy: number;
  ci95: number;
  perEpisode: number[];
  /** Mean wall time to adapt to one episode and classify its queries. */
  msPerEpisode: number;
}

/** Fraction of queries whose highest logit is their label. */
export function episodeAccuracy(model: FewShotModel, ep: EpisodeTensors): number {
  const logits = model.queryLogits(ep);
  const acc = tf.tidy(
    () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), ep.queryLabels!), 'float32')).dataSync()[0],
  );
  logits.dispose();
  return acc;
}

/** Accuracy over episodes sampled (without rotations) from `set`, typically the held-out alphabets. */
export function evaluateFewShot(
  model: FewShotModel,
  set: ImageSet,
  o: FewShotEvalOptions,
): FewShotEvalResult {
  if (!Number.isInteger(o.episodes) || o.episodes < 1 || o.episodes > 1_000_000)
    throw new InvalidArgumentError(`episodes must be an integer from 1 to 1000000, got ${o.episodes}`);
  const rng = Rng.fromSeed(o.seed, 'fewshot-eval');
  const perEpisode: number[] = [];
  let ms = 0;
  for (let i = 0; i < o.episodes; i++) {
    const ep = episodeTensors(
      sampleEpisode(set, {
        ways: o.ways,
        shots: o.shots,
        queries: o.queries,
        rng,
        withinAlphabet: o.withinAlphabet,
      }),
    );
    const t0 = performance.now();
    perEpisode.push(episodeAccuracy(model, ep));
    ms += performance.now() - t0;
    disposeEpisode(ep);
  }
  const { mean, ci95 } = meanCi95(perEpisode);
  return {
    episodes: o.episodes,
    ways: o.ways,
    shots: o.shots,
    queries: o.queries,
    accuracy: mean,
    ci95,
    perEpisode,
    msPerEpisode: ms / o.episodes,
  };
}
