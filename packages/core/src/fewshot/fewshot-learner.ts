import * as tf from '@tensorflow/tfjs-core';
import type { Episode } from '../data/episodes.js';
import type { Rng } from '../random/rng.js';
import type { StepObjective } from '../train/meta-learner.js';
import type { PartGradient, SplitLearner, SplitStep } from '../train/split-step.js';
import type { TrainConfig } from '../train/train-config.js';
import { disposeEpisode, episodeTensors } from './episode-tensors.js';
import type { FewShotModel } from './fewshot-model.js';
import { FineTune } from './methods/finetune.js';

/** A labelled batch over all training classes, for pre-training (the finetune baseline). */
export interface PretrainBatch {
  images: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
}

/** Where a classification family's training episodes come from. */
export interface EpisodeSource {
  /** One training episode with `shots` support and `queries` query examples per class. */
  episode(shots: number, queries: number, rng: Rng): Episode;
  /** `n` labelled examples over all training classes (labels below the model's pretrainClasses). */
  pretrainBatch(n: number, rng: Rng): PretrainBatch;
}

/**
 * Meta-training on episodes from a source: `metaBatch` episodes per step, K drawn per step from
 * the configured range (finetune instead pre-trains on batches of metaBatch × queries examples).
 */
export class FewShotLearner implements SplitLearner<Episode> {
  constructor(
    readonly model: FewShotModel,
    readonly source: EpisodeSource,
    readonly config: TrainConfig,
  ) {}

  get store() {
    return this.model.store;
  }

  stepObjective(rng: Rng): StepObjective {
    return this.model.method instanceof FineTune
      ? this.pretrainStep(this.model.method, rng)
      : this.episodeStep(rng);
  }

  /**
   * One episode per part. finetune's pre-training batch normalises over the whole batch, so it
   * cannot be split without changing what it computes: it stays one part.
   */
  get splittable(): boolean {
    return !(this.model.method instanceof FineTune);
  }

  splitStep(rng: Rng): SplitStep<Episode> {
    if (!this.splittable) throw new Error('finetune pre-training steps cannot be split; use runStep');
    return this.sampleStep(rng);
  }

  partGradient(part: Episode): PartGradient {
    return this.model.episodeGradient(part);
  }

  /** The step's metaBatch episodes, drawn exactly as stepObjective draws them. */
  private sampleStep(rng: Rng): SplitStep<Episode> {
    const c = this.config;
    const shots = c.shotsMin + rng.int(c.shotsMax - c.shotsMin + 1);
    return {
      shots,
      parts: Array.from({ length: c.metaBatch }, () => this.source.episode(shots, c.queries, rng)),
    };
  }

  private episodeStep(rng: Rng): StepObjective {
    const { shots, parts } = this.sampleStep(rng);
    const eps = parts.map((p) => episodeTensors(p));
    const objectives = eps.map((e) => this.model.episodeObjective(e));
    return {
      shots,
      loss: () => tf.mean(tf.stack(objectives.map((o) => o.loss()))) as tf.Scalar,
      dispose: () => {
        objectives.forEach((o) => o.dispose());
        eps.forEach(disposeEpisode);
      },
    };
  }

  private pretrainStep(method: FineTune, rng: Rng): StepObjective {
    const batch = this.source.pretrainBatch(this.config.metaBatch * this.config.queries, rng);
    const images = tf.tensor4d(batch.images, batch.shape);
    const y = tf.tensor1d(batch.labels, 'int32');
    return {
      shots: 0,
      loss: method.pretrainObjective(this.model, images, y),
      dispose: () => tf.dispose([images, y]),
    };
  }
}
