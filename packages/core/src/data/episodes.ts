import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';
import { jitterDraws, jitterInto, type AffineJitter } from './augment.js';
import {
  type ClassSummary,
  type ClassWords,
  classesByGroup,
  describeEpisode,
  type EpisodeDescription,
  reservedStream,
} from './episode-steps.js';
import { imageAt, type ImageSet } from './image-set.js';

export interface EpisodeOptions {
  ways: number;
  shots: number;
  /** Query images per class. */
  queries: number;
  rng: Rng;
  /** Draw all classes of an episode from one alphabet (harder: similar characters). */
  withinAlphabet?: boolean;
  /** Treat each character rotated by 90/180/270 degrees as a class of its own. */
  rotations?: boolean;
  /** Treat each character's mirror image (and its rotations) as a class of its own. */
  reflections?: boolean;
  /** Distort every image with a random affine map (training-time augmentation). */
  jitter?: AffineJitter;
}

/** Which source class (and rotation) an episode label stands for. */
export interface EpisodeClass {
  classIndex: number;
  /** Quarter turns counter-clockwise: 0..3. */
  rotation: number;
  /** Mirrored left to right before the rotation. */
  mirrored: boolean;
  name: string;
}

/**
 * An N-way K-shot task. Support is class-major: image c*shots+s belongs to label c,
 * likewise query with `queries`. Image tensors are [count, size, size, 1] flattened.
 */
export interface Episode {
  ways: number;
  shots: number;
  queries: number;
  size: number;
  support: Float32Array;
  supportShape: [number, number, number, number];
  supportLabels: Int32Array;
  query: Float32Array;
  queryShape: [number, number, number, number];
  queryLabels: Int32Array;
  /** Label -> source class; label order is random per episode. */
  classes: EpisodeClass[];
}

/** Classes each character stands for: its rotations and, optionally, their mirror images. */
export function variantCount(rotations: boolean, reflections: boolean): number {
  return (rotations ? 4 : 1) * (reflections ? 2 : 1);
}

/** Variant v (0 ≤ v < variantCount) of a character: v quarter turns, mirrored from the 5th (4 turns) on. */
export function variantOf(v: number, rotations: boolean): { rotation: number; mirrored: boolean } {
  const turns = rotations ? 4 : 1;
  return { rotation: v % turns, mirrored: v >= turns };
}

/** Class indices (all, or those given) grouped by alphabet, in the order they come. */
export function classesByAlphabet(
  set: ImageSet,
  indices: readonly number[] = set.classes.map((_, i) => i),
): Map<string, number[]> {
  return classesByGroup(imageClasses(set), indices);
}

/** An image set's classes as the sampling steps see them: image counts, grouped by alphabet. */
export function imageClasses(set: ImageSet): ClassSummary[] {
  return set.classes.map((c) => ({ count: c.images.length, group: c.alphabet }));
}

/** How sampling errors name character images and their variants. */
export function imageWords(rotations: boolean, reflections: boolean): ClassWords {
  return {
    items: 'images',
    group: 'alphabet',
    groups: 'alphabets',
    variantsInGroup: `${rotations ? ' counting rotations' : ''}${reflections ? ' and mirror images' : ''}`,
    variantsOverall: `${rotations ? ' (counting rotations)' : ''}${reflections ? ' (counting mirror images)' : ''}`,
  };
}

/**
 * Which classes (in which orientation) and which of their images an episode holds, without
 * pixels. Variant v of a class is variantOf(v, rotations). With `jitter`, each class reserves the
 * draws its images' distortions take, so the stream is used as when pixels were made in turn.
 */
export function describeImageEpisode(set: ImageSet, opts: EpisodeOptions): EpisodeDescription {
  const rotations = opts.rotations ?? false;
  const reflections = opts.reflections ?? false;
  return describeEpisode(imageClasses(set), {
    ways: opts.ways,
    shots: opts.shots,
    queries: opts.queries,
    rng: opts.rng,
    variants: variantCount(rotations, reflections),
    withinGroup: opts.withinAlphabet,
    // jitterInto's draws per image, reserved in the stream right after each class's picks.
    drawsPerItem: opts.jitter ? jitterDraws(opts.jitter) : 0,
    words: imageWords(rotations, reflections),
  });
}

/**
 * The pixels of a described episode: each image oriented as its class's variant asks and, with
 * `jitter`, distorted with the draws its class reserved (so `describeImageEpisode` must have had
 * the same `jitter` and `rotations`).
 */
export function materializeImageEpisode(
  set: ImageSet,
  d: EpisodeDescription,
  o: { rotations?: boolean; jitter?: AffineJitter } = {},
): Episode {
  const { ways, shots, queries } = d;
  const perClass = shots + queries;
  if (d.classes.length !== ways || d.classes.some((c) => c.items.length !== perClass)) {
    throw new InvalidArgumentError(
      `an episode description of ${ways} ways needs ${ways} classes of ${perClass} images each`,
    );
  }
  const rotations = o.rotations ?? false;
  const { size } = set;
  const px = size * size;
  const support = new Float32Array(ways * shots * px);
  const query = new Float32Array(ways * queries * px);
  const supportLabels = new Int32Array(ways * shots);
  const queryLabels = new Int32Array(ways * queries);
  const classes: EpisodeClass[] = [];
  const scratch = o.jitter ? new Float32Array(px) : undefined;
  d.classes.forEach((draw, label) => {
    const cls = set.classes[draw.classIndex];
    const { rotation, mirrored } = variantOf(draw.variant, rotations);
    const jitter = o.jitter ? { ranges: o.jitter, rng: reservedStream(draw), scratch: scratch! } : undefined;
    draw.items.forEach((item, k) => {
      const isSupport = k < shots;
      const slot = isSupport ? label * shots + k : label * queries + (k - shots);
      const target = (isSupport ? support : query).subarray(slot * px, (slot + 1) * px);
      trainingViewInto(imageAt(set, cls.images[item]), target, size, rotation, mirrored, jitter);
      (isSupport ? supportLabels : queryLabels)[slot] = label;
    });
    const turn = `${mirrored ? ' mirrored' : ''}${rotation ? ` rot${rotation * 90}` : ''}`;
    classes.push({
      classIndex: draw.classIndex,
      rotation,
      mirrored,
      name: `${cls.alphabet}/${cls.character}${turn}`,
    });
  });
  return {
    ways,
    shots,
    queries,
    size,
    support,
    supportShape: [ways * shots, size, size, 1],
    supportLabels,
    query,
    queryShape: [ways * queries, size, size, 1],
    queryLabels,
    classes,
  };
}

/** Samples one episode; the same RNG state and set always give the same episode. */
export function sampleEpisode(set: ImageSet, opts: EpisodeOptions): Episode {
  return materializeImageEpisode(set, describeImageEpisode(set, opts), opts);
}

/** Writes `src`, mirrored left to right if asked, then rotated by k quarter turns, into `dst`. */
export function orientInto(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  k: number,
  mirrored: boolean,
): void {
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0 && !mirrored) {
    dst.set(src);
    return;
  }
  const m = size - 1;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const v = src[r * size + (mirrored ? m - c : c)];
      if (turns === 0) dst[r * size + c] = v;
      else if (turns === 1) dst[(m - c) * size + r] = v;
      else if (turns === 2) dst[(m - r) * size + (m - c)] = v;
      else dst[c * size + (m - r)] = v;
    }
  }
}

/**
 * Writes `src` rotated by k quarter turns counter-clockwise into `dst` (square images).
 * One CCW turn moves the pixel at (row r, col c) to (row size-1-c, col r).
 */
export function rotateInto(src: Float32Array, dst: Float32Array, size: number, k: number): void {
  orientInto(src, dst, size, k, false);
}

/** Random distortion of training views: its ranges, its stream, and a buffer for the oriented image. */
export interface JitterState {
  ranges: AffineJitter;
  rng: Rng;
  scratch: Float32Array;
}

/** A training view of `src` into `dst`: oriented as its class asks, then distorted if `jitter` is given. */
export function trainingViewInto(
  src: Float32Array,
  dst: Float32Array,
  size: number,
  k: number,
  mirrored: boolean,
  jitter?: JitterState,
): void {
  if (!jitter) {
    orientInto(src, dst, size, k, mirrored);
    return;
  }
  orientInto(src, jitter.scratch, size, k, mirrored);
  jitterInto(jitter.scratch, dst, size, jitter.rng, jitter.ranges);
}
