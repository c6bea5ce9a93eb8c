import type { EpisodeSource, PretrainBatch } from '../fewshot/fewshot-learner.js';
import type { Rng } from '../random/rng.js';
import { type AffineJitter, defaultJitter } from './augment.js';
import { sampleEpisode, trainingViewInto, variantCount, variantOf } from './episodes.js';
import { imageAt, type ImageSet } from './image-set.js';

/** How training episodes are drawn from an image set. */
export interface ImageEpisodeOptions {
  ways: number;
  /** Rotations by 90°/180°/270° count as new classes. */
  rotations: boolean;
  /** Mirror images (and their rotations) count as new classes. */
  reflections: boolean;
  /** Each episode's classes from one alphabet. */
  withinAlphabet?: boolean;
  /** Distort every training image with a small random affine map. */
  augment: boolean;
  /** With `augment`: the largest random stroke-width change (AffineJitter.stroke); 0: none. */
  strokeJitter?: number;
}

/** The distortion ranges training uses, or undefined when training images are left as they are. */
function jitterOf(o: ImageEpisodeOptions): AffineJitter | undefined {
  if (!o.augment) return undefined;
  return o.strokeJitter ? { ...defaultJitter, stroke: o.strokeJitter } : defaultJitter;
}

/** Classes a pre-training head needs for this set: every character in each of its variants. */
export function pretrainClassCount(set: ImageSet, rotations: boolean, reflections = false): number {
  return set.classes.length * variantCount(rotations, reflections);
}

/** Training episodes and pre-training batches drawn from an image set (any image family). */
export function imageEpisodeSource(set: ImageSet, o: ImageEpisodeOptions): EpisodeSource {
  const jitter = jitterOf(o);
  return {
    episode: (shots, queries, rng) =>
      sampleEpisode(set, {
        ways: o.ways,
        shots,
        queries,
        rng,
        rotations: o.rotations,
        reflections: o.reflections,
        withinAlphabet: o.withinAlphabet,
        jitter,
      }),
    pretrainBatch: (n, rng) => pretrainBatch(set, o, n, rng),
  };
}

/** `n` training views, each labelled by its (class, variant). */
function pretrainBatch(set: ImageSet, o: ImageEpisodeOptions, n: number, rng: Rng): PretrainBatch {
  const size = set.size;
  const variants = variantCount(o.rotations, o.reflections);
  const images = new Float32Array(n * size * size);
  const labels = new Int32Array(n);
  const ranges = jitterOf(o);
  const jitter = ranges ? { ranges, rng, scratch: new Float32Array(size * size) } : undefined;
  for (let i = 0; i < n; i++) {
    const c = rng.int(set.classes.length);
    const v = rng.int(variants);
    const { rotation, mirrored } = variantOf(v, o.rotations);
    const imgs = set.classes[c].images;
    const target = images.subarray(i * size * size, (i + 1) * size * size);
    trainingViewInto(imageAt(set, imgs[rng.int(imgs.length)]), target, size, rotation, mirrored, jitter);
    labels[i] = c * variants + v;
  }
  return { images, shape: [n, size, size, 1], labels };
}
