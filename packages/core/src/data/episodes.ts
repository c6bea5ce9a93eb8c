import { InvalidArgumentError } from '../errors/errors.js';
import type { Rng } from '../random/rng.js';
import { jitterInto, type AffineJitter } from './augment.js';
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

interface Candidate {
  classIndex: number;
  rotation: number;
  mirrored: boolean;
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
export function classesByAlphabet(set: ImageSet, indices: readonly number[] = set.classes.map((_, i) => i)): Map<string, number[]> {
  const byAlphabet = new Map<string, number[]>();
  for (const i of indices) {
    const a = set.classes[i].alphabet;
    byAlphabet.set(a, [...(byAlphabet.get(a) ?? []), i]);
  }
  return byAlphabet;
}

/** Samples one episode; the same RNG state and set always give the same episode. */
export function sampleEpisode(set: ImageSet, opts: EpisodeOptions): Episode {
  const { ways, shots, queries, rng } = opts;
  const rotations = opts.rotations ?? false;
  const mirrors = opts.reflections ?? false;
  checkCount('ways', ways, 2);
  checkCount('shots', shots, 1);
  checkCount('queries', queries, 1);
  const perClass = shots + queries;
  const eligible = set.classes.map((_, i) => i).filter((i) => set.classes[i].images.length >= perClass);
  if (eligible.length === 0) {
    const most = Math.max(0, ...set.classes.map((c) => c.images.length));
    throw new InvalidArgumentError(
      `shots + queries = ${perClass} exceeds the images per class (at most ${most}); lower --shots or --queries`,
    );
  }
  const variants = variantCount(rotations, mirrors);
  const expand = (idx: number[]): Candidate[] =>
    idx.flatMap((classIndex) => Array.from({ length: variants }, (_, v) => ({ classIndex, ...variantOf(v, rotations) })));

  let pool: Candidate[];
  if (opts.withinAlphabet) {
    const byAlphabet = classesByAlphabet(set, eligible);
    const names = [...byAlphabet.keys()].sort();
    const fits = names.filter((a) => byAlphabet.get(a)!.length * variants >= ways);
    if (fits.length === 0) {
      const most = Math.max(...names.map((a) => byAlphabet.get(a)!.length)) * variants;
      throw new InvalidArgumentError(
        `ways = ${ways} exceeds the classes available within any one alphabet (at most ${most}` +
          `${rotations ? ' counting rotations' : ''}${mirrors ? ' and mirror images' : ''}); lower --ways or sample across alphabets`,
      );
    }
    pool = expand(byAlphabet.get(fits[rng.int(fits.length)])!);
  } else {
    pool = expand(eligible);
    if (ways > pool.length) {
      throw new InvalidArgumentError(
        `ways = ${ways} exceeds the ${pool.length} classes available` +
          `${rotations ? ' (counting rotations)' : ''}${mirrors ? ' (counting mirror images)' : ''} with at least ${perClass} images each`,
      );
    }
  }
  const chosen = distinctIndices(rng, pool.length, ways).map((i) => pool[i]);

  const { size } = set;
  const px = size * size;
  const support = new Float32Array(ways * shots * px);
  const query = new Float32Array(ways * queries * px);
  const supportLabels = new Int32Array(ways * shots);
  const queryLabels = new Int32Array(ways * queries);
  const classes: EpisodeClass[] = [];
  const jitter = opts.jitter ? { ranges: opts.jitter, rng, scratch: new Float32Array(px) } : undefined;
  chosen.forEach((cand, label) => {
    const cls = set.classes[cand.classIndex];
    const picks = distinctIndices(rng, cls.images.length, perClass).map((k) => cls.images[k]);
    picks.forEach((img, k) => {
      const isSupport = k < shots;
      const slot = isSupport ? label * shots + k : label * queries + (k - shots);
      const target = (isSupport ? support : query).subarray(slot * px, (slot + 1) * px);
      trainingViewInto(imageAt(set, img), target, size, cand.rotation, cand.mirrored, jitter);
      (isSupport ? supportLabels : queryLabels)[slot] = label;
    });
    const turn = `${cand.mirrored ? ' mirrored' : ''}${cand.rotation ? ` rot${cand.rotation * 90}` : ''}`;
    classes.push({ ...cand, name: `${cls.alphabet}/${cls.character}${turn}` });
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

/** Writes `src`, mirrored left to right if asked, then rotated by k quarter turns, into `dst`. */
export function orientInto(src: Float32Array, dst: Float32Array, size: number, k: number, mirrored: boolean): void {
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
export function trainingViewInto(src: Float32Array, dst: Float32Array, size: number, k: number, mirrored: boolean, jitter?: JitterState): void {
  if (!jitter) {
    orientInto(src, dst, size, k, mirrored);
    return;
  }
  orientInto(src, jitter.scratch, size, k, mirrored);
  jitterInto(jitter.scratch, dst, size, jitter.rng, jitter.ranges);
}

/** k distinct integers from [0, n) in random order; avoids shuffling large pools. */
function distinctIndices(rng: Rng, n: number, k: number): number[] {
  if (k * 2 > n) return rng.sample(Array.from({ length: n }, (_, i) => i), k);
  const seen = new Set<number>();
  const out: number[] = [];
  while (out.length < k) {
    const i = rng.int(n);
    if (!seen.has(i)) {
      seen.add(i);
      out.push(i);
    }
  }
  return out;
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be a whole number >= ${min}, got ${value}`);
  }
}
