import * as tf from '@tensorflow/tfjs-core';
import { type Episode, sampleEpisode } from '../data/episodes.js';
import { imageAt, type ImageSet } from '../data/image-set.js';
import { trainingViewInto, variantCount, variantOf } from '../data/episodes.js';
import { defaultJitter } from '../data/augment.js';
import type { Rng } from '../random/rng.js';
import type { StepObjective } from '../train/meta-learner.js';
import type { PartGradient, SplitLearner, SplitStep } from '../train/split-step.js';
import type { TrainConfig } from '../train/train-config.js';
import { disposeEpisode, episodeTensors } from './episode-tensors.js';
import type { FewShotModel } from './fewshot-model.js';

/** How many classes finetune's pre-training head needs for this training set. */
export function pretrainClassCount(set: ImageSet, rotations: boolean, reflections = false): number {
  return set.classes.length * variantCount(rotations, reflections);
}

/**
 * Meta-training on image episodes drawn from the training alphabets: `metaBatch` episodes of
 * `trainWays` ways per step (finetune instead pre-trains on batches over all training classes).
 */
export class FewShotLearner implements SplitLearner<Episode> {
  constructor(readonly model: FewShotModel, readonly trainSet: ImageSet, readonly config: TrainConfig) {}

  get store() {
    return this.model.store;
  }

  stepObjective(rng: Rng): StepObjective {
    return this.model.config.method === 'finetune' ? this.pretrainStep(rng) : this.episodeStep(rng);
  }

  /** The step's metaBatch episodes, drawn exactly as stepObjective draws them. */
  private sampleStep(rng: Rng): SplitStep<Episode> {
    const c = this.config;
    const m = this.model.config;
    const shots = c.shotsMin + rng.int(c.shotsMax - c.shotsMin + 1);
    const parts = Array.from({ length: c.metaBatch }, () =>
      sampleEpisode(this.trainSet, { ways: m.trainWays, shots, queries: c.queries, rng, rotations: m.rotations, reflections: m.reflections, withinAlphabet: m.withinAlphabet, jitter: m.augment ? defaultJitter : undefined }));
    return { shots, parts };
  }

  /**
   * One episode per part. finetune's pre-training batch normalises over the whole batch, so it
   * cannot be split without changing what it computes: it stays one part.
   */
  get splittable(): boolean {
    return this.model.config.method !== 'finetune';
  }

  splitStep(rng: Rng): SplitStep<Episode> {
    if (!this.splittable) throw new Error('finetune pre-training steps cannot be split; use runStep');
    return this.sampleStep(rng);
  }

  partGradient(part: Episode): PartGradient {
    return this.model.episodeGradient(part);
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

  /** A batch of metaBatch × queries images, each labelled by its (class, rotation). */
  private pretrainStep(rng: Rng): StepObjective {
    const set = this.trainSet;
    const size = set.size;
    const n = this.config.metaBatch * this.config.queries;
    const { rotations, reflections } = this.model.config;
    const variants = variantCount(rotations, reflections);
    const pixels = new Float32Array(n * size * size);
    const labels = new Int32Array(n);
    const jitter = this.model.config.augment ? { ranges: defaultJitter, rng, scratch: new Float32Array(size * size) } : undefined;
    for (let i = 0; i < n; i++) {
      const c = rng.int(set.classes.length);
      const v = rng.int(variants);
      const { rotation, mirrored } = variantOf(v, rotations);
      const imgs = set.classes[c].images;
      const target = pixels.subarray(i * size * size, (i + 1) * size * size);
      trainingViewInto(imageAt(set, imgs[rng.int(imgs.length)]), target, size, rotation, mirrored, jitter);
      labels[i] = c * variants + v;
    }
    const images = tf.tensor4d(pixels, [n, size, size, 1]);
    const y = tf.tensor1d(labels, 'int32');
    return { shots: 0, loss: this.model.pretrainObjective(images, y), dispose: () => tf.dispose([images, y]) };
  }
}
