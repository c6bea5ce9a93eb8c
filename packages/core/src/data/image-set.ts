import { DataError, InvalidArgumentError } from '../errors/errors.js';

/** One character class: the images of one character of one alphabet. */
export interface ImageClass {
  alphabet: string;
  character: string;
  /** Indices into the set's images, ascending. */
  images: number[];
}

/**
 * Square grayscale images grouped into classes, held in one flat buffer.
 * Pixel values lie in [0, 1] with ink (foreground) = 1 and background = 0.
 */
export interface ImageSet {
  /** Side length in pixels (28 for the usual Omniglot setting). */
  size: number;
  /** n * size * size values, image-major then row-major. */
  pixels: Float32Array;
  /** Image index -> class index. */
  classOf: Int32Array;
  classes: ImageClass[];
}

/** One decoded image with the names that place it in the data set. */
export interface ImageItem {
  alphabet: string;
  character: string;
  /** Identifies the image within its class (the file name); duplicates are dropped. */
  key: string;
  pixels: Float32Array;
}

/** A class as stored compactly: its images are contiguous in class order. */
export interface ClassCount {
  alphabet: string;
  character: string;
  count: number;
}

// Code-point order, not locale order, so every machine sorts names the same way.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function imageCount(set: ImageSet): number {
  return set.classOf.length;
}

/** A view (no copy) of image i's pixels. */
export function imageAt(set: ImageSet, i: number): Float32Array {
  const n = set.size * set.size;
  return set.pixels.subarray(i * n, (i + 1) * n);
}

/** Sorted distinct alphabet names. */
export function alphabetsOf(set: ImageSet): string[] {
  return [...new Set(set.classes.map((c) => c.alphabet))].sort(byName);
}

/**
 * Builds a set from decoded images. Same alphabet + character = one class, and the same
 * key within it = one image (first wins), so an alphabet shipped in two archives merges.
 * Classes are sorted by alphabet then character and images by key, so the result does not
 * depend on the order the sources were read in.
 */
export function buildImageSet(size: number, items: Iterable<ImageItem>): ImageSet {
  checkSize(size);
  const groups = new Map<
    string,
    { alphabet: string; character: string; images: Map<string, Float32Array> }
  >();
  for (const it of items) {
    if (it.pixels.length !== size * size) {
      throw new DataError(
        `image ${it.alphabet}/${it.character}/${it.key} has ${it.pixels.length} pixels, expected ${size * size}`,
      );
    }
    const id = `${it.alphabet}\u0000${it.character}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { alphabet: it.alphabet, character: it.character, images: new Map() }));
    if (!g.images.has(it.key)) g.images.set(it.key, it.pixels);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => byName(a.alphabet, b.alphabet) || byName(a.character, b.character),
  );
  const counts = sorted.map((g) => ({ alphabet: g.alphabet, character: g.character, count: g.images.size }));
  const total = counts.reduce((s, c) => s + c.count, 0);
  const pixels = new Float32Array(total * size * size);
  let at = 0;
  for (const g of sorted) {
    for (const key of [...g.images.keys()].sort(byName)) {
      pixels.set(g.images.get(key)!, at * size * size);
      at++;
    }
  }
  return fromClassCounts(size, pixels, counts);
}

/** Rebuilds a set whose images are stored contiguously in class order (e.g. from a cache). */
export function fromClassCounts(size: number, pixels: Float32Array, counts: readonly ClassCount[]): ImageSet {
  checkSize(size);
  const total = counts.reduce((s, c) => s + c.count, 0);
  if (pixels.length !== total * size * size) {
    throw new DataError(
      `pixel buffer holds ${pixels.length} values, expected ${total} images of ${size}x${size}`,
    );
  }
  const classOf = new Int32Array(total);
  const classes: ImageClass[] = [];
  let at = 0;
  counts.forEach((c, ci) => {
    const images: number[] = [];
    for (let k = 0; k < c.count; k++, at++) {
      images.push(at);
      classOf[at] = ci;
    }
    classes.push({ alphabet: c.alphabet, character: c.character, images });
  });
  return { size, pixels, classOf, classes };
}

/** Inverse of fromClassCounts for sets whose classes are contiguous; throws otherwise. */
export function classCounts(set: ImageSet): ClassCount[] {
  let at = 0;
  return set.classes.map((c) => {
    c.images.forEach((img, k) => {
      if (img !== at + k) throw new InvalidArgumentError('image set classes are not stored contiguously');
    });
    at += c.images.length;
    return { alphabet: c.alphabet, character: c.character, count: c.images.length };
  });
}

/** A new set holding only the given classes (in the given order), with its own pixel buffer. */
export function subsetByClasses(set: ImageSet, classIndices: readonly number[]): ImageSet {
  const n = set.size * set.size;
  const counts: ClassCount[] = [];
  const total = classIndices.reduce((s, ci) => s + set.classes[ci].images.length, 0);
  const pixels = new Float32Array(total * n);
  let at = 0;
  for (const ci of classIndices) {
    const c = set.classes[ci];
    for (const img of c.images) pixels.set(imageAt(set, img), at++ * n);
    counts.push({ alphabet: c.alphabet, character: c.character, count: c.images.length });
  }
  return fromClassCounts(set.size, pixels, counts);
}

export interface AlphabetSplit {
  train: ImageSet;
  test: ImageSet;
  trainAlphabets: string[];
  testAlphabets: string[];
}

/**
 * Splits by whole alphabets so that no character is in both parts.
 * `heldOut` names the test alphabets, or gives how many to hold out: the last ones by
 * sorted name (deterministic, needs no RNG). Default: 2.
 */
export function splitByAlphabet(set: ImageSet, heldOut: readonly string[] | number = 2): AlphabetSplit {
  const all = alphabetsOf(set);
  let test: string[];
  if (typeof heldOut === 'number') {
    if (!Number.isInteger(heldOut) || heldOut < 1 || heldOut >= all.length) {
      throw new InvalidArgumentError(
        `cannot hold out ${heldOut} of ${all.length} alphabets: need a whole number from 1 to ${all.length - 1}`,
      );
    }
    test = all.slice(all.length - heldOut);
  } else {
    const unknown = heldOut.filter((a) => !all.includes(a));
    if (unknown.length) {
      throw new InvalidArgumentError(
        `unknown alphabet(s) ${unknown.join(', ')}; the set has ${all.join(', ')}`,
      );
    }
    test = [...new Set(heldOut)].sort(byName);
    if (test.length === 0 || test.length >= all.length) {
      throw new InvalidArgumentError(
        `hold out between 1 and ${all.length - 1} alphabets, got ${test.length}`,
      );
    }
  }
  const isTest = new Set(test);
  const trainIdx: number[] = [];
  const testIdx: number[] = [];
  set.classes.forEach((c, i) => (isTest.has(c.alphabet) ? testIdx : trainIdx).push(i));
  return {
    train: subsetByClasses(set, trainIdx),
    test: subsetByClasses(set, testIdx),
    trainAlphabets: all.filter((a) => !isTest.has(a)),
    testAlphabets: test,
  };
}

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1)
    throw new InvalidArgumentError(`image size must be a positive integer, got ${size}`);
}
