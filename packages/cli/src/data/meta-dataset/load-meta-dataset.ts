import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DataError,
  fromClassCounts,
  InvalidArgumentError,
  type ClassCount,
  type ImageSet,
} from '@hypermeta/core';
import { checkImageSize } from '../image-decode.js';
import {
  parseDatasetSpec,
  SPLITS,
  type MetaDatasetSpec,
  type MetaSplit,
  type SpecClass,
} from './dataset-spec.js';
import { decodeExample } from './example-proto.js';
import { decodePixels, pixelModeFor, type PixelMode } from './pixels.js';
import { DEFAULT_MAX_RECORD_BYTES, readTfRecords } from './tfrecord.js';

export const SPEC_FILE = 'dataset_spec.json';

/** Largest dataset_spec.json read: ImageNet's, the largest Meta-Dataset has, is 0.3 MB. */
export const MAX_SPEC_BYTES = 64 * 1024 * 1024;

/** Default most images one load may hold: 100,000 images of 28 x 28 are 314 MB of pixels. */
export const DEFAULT_MAX_IMAGES = 100_000;

/** Most pixel values one load may hold: 2^29 float32 values are 2 GiB. */
export const MAX_PIXEL_VALUES = 2 ** 29;

export interface MetaDatasetProgress {
  done: number;
  total: number;
}

export interface LoadMetaDatasetOptions {
  /** Side length of the square images; default 28. */
  size?: number;
  /**
   * How pixels are made: `ink` (drawings: strokes = 1, background = 0, as for Omniglot),
   * `luminance` (photographs: brightness as it is), or `auto` (default): ink for Meta-Dataset's
   * omniglot and quickdraw, luminance for every other source.
   */
  pixels?: PixelMode | 'auto';
  /** Which class splits to load; default all three. */
  splits?: readonly MetaSplit[];
  /**
   * What each class's `alphabet` holds: `split` (default: `train`, `valid` or `test`),
   * `superclass` (BiLevel specs, i.e. omniglot: the class's alphabet) or `dataset` (the spec's name).
   */
  alphabet?: 'split' | 'superclass' | 'dataset';
  /** Read only each class's first N records (QuickDraw has over 100,000 per class); default all. */
  maxImagesPerClass?: number;
  /** Refuse, before reading any record, a load of more images than this; default DEFAULT_MAX_IMAGES. */
  maxImages?: number;
  /** Refuse a record whose header says it is longer than this many bytes; default 16 MiB. */
  maxRecordBytes?: number;
  onProgress?: (p: MetaDatasetProgress) => void;
}

/** A Meta-Dataset records folder's `dataset_spec.json`, parsed and checked. */
export function readMetaDatasetSpec(dir: string): MetaDatasetSpec {
  const root = resolve(dir);
  let st;
  try {
    st = statSync(root);
  } catch (e) {
    throw new DataError(`cannot read ${root} (${(e as Error).message})`);
  }
  if (!st.isDirectory())
    throw new DataError(
      `${root} is not a folder: expected a Meta-Dataset records folder holding ${SPEC_FILE}`,
    );
  const file = join(root, SPEC_FILE);
  let text: string;
  try {
    const bytes = statSync(file).size;
    if (bytes > MAX_SPEC_BYTES)
      throw new DataError(
        `${file}: ${bytes} bytes, more than the ${MAX_SPEC_BYTES} a dataset specification may have`,
      );
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      `cannot read ${file} (${(e as Error).message}): a Meta-Dataset records folder holds ${SPEC_FILE} and one <class id>.tfrecords file per class`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseDatasetSpec(json, file);
}

const positiveInt = (v: number | undefined, what: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!Number.isSafeInteger(v) || v < 1)
    throw new InvalidArgumentError(`${what} must be a whole number ≥ 1, got ${v}`);
  return v;
};

/**
 * Loads a folder of Meta-Dataset's converted records (Triantafillou et al., ICLR 2020): its
 * `dataset_spec.json` and one `<class id>.tfrecords` file per class of `tf.train.Example` records
 * with an encoded image (`image`, JPEG or PNG) and the class id (`label`). Every record's two
 * CRC32C checksums, its label and its image are checked; the classes of the set are the spec's, in
 * class id order, each named by its class name. Limits are checked before anything is read.
 */
export async function loadMetaDatasetFolder(
  dir: string,
  options: LoadMetaDatasetOptions = {},
): Promise<ImageSet> {
  const size = options.size ?? 28;
  checkImageSize(size);
  const maxImages = positiveInt(options.maxImages, 'maxImages', DEFAULT_MAX_IMAGES);
  const perClassCap = positiveInt(options.maxImagesPerClass, 'maxImagesPerClass', Infinity);
  const maxRecordBytes = positiveInt(options.maxRecordBytes, 'maxRecordBytes', DEFAULT_MAX_RECORD_BYTES);
  const splits = options.splits ?? SPLITS;
  for (const s of splits)
    if (!SPLITS.includes(s))
      throw new InvalidArgumentError(`unknown split "${s}": expected ${SPLITS.join(', ')}`);
  const alphabetFrom = options.alphabet ?? 'split';
  if (!['split', 'superclass', 'dataset'].includes(alphabetFrom))
    throw new InvalidArgumentError(`alphabet must be split, superclass or dataset, got "${alphabetFrom}"`);
  const pixelOption = options.pixels ?? 'auto';
  if (!['ink', 'luminance', 'auto'].includes(pixelOption))
    throw new InvalidArgumentError(`pixels must be ink, luminance or auto, got "${pixelOption}"`);

  const root = resolve(dir);
  const spec = readMetaDatasetSpec(root);
  if (alphabetFrom === 'superclass' && spec.kind !== 'BiLevelDatasetSpecification') {
    throw new InvalidArgumentError(
      `alphabet "superclass" needs a spec with superclasses (BiLevelDatasetSpecification, like omniglot's); ${spec.name}'s is a ${spec.kind}`,
    );
  }
  const mode = pixelOption === 'auto' ? pixelModeFor(spec.name) : pixelOption;
  const chosen = spec.classes.filter((c) => splits.includes(c.split));
  if (chosen.length === 0)
    throw new DataError(
      `${join(root, SPEC_FILE)}: no classes in the ${splits.join(', ')} split(s) of ${spec.name}`,
    );
  const planned = chosen.map((c) => Math.min(c.images, perClassCap));
  const total = planned.reduce((s, n) => s + n, 0);
  if (total > maxImages) {
    throw new DataError(
      `${root}: the ${chosen.length} classes of ${spec.name} (${splits.join(', ')}) hold ${total} images, more than the ${maxImages} one load may have: load fewer splits, fewer images per class (maxImagesPerClass) or raise maxImages`,
    );
  }

  const area = size * size;
  if (total * area > MAX_PIXEL_VALUES) {
    throw new DataError(
      `${root}: ${total} images of ${size}×${size} would take ${((total * area * 4) / 2 ** 30).toFixed(1)} GiB, more than the ${(MAX_PIXEL_VALUES * 4) / 2 ** 30} GiB one load may hold: load fewer images or a smaller size`,
    );
  }
  const pixels = new Float32Array(total * area);
  const counts: ClassCount[] = [];
  const report = options.onProgress ?? (() => {});
  const seen = new Set<string>();
  let at = 0;
  report({ done: 0, total });
  for (const [k, cls] of chosen.entries()) {
    const want = planned[k];
    // read one record past the spec's count (unless capped) so a file that holds more is caught
    const readUpTo = want < cls.images ? want : want + 1;
    const file = join(root, cls.file);
    let n = 0;
    for await (const record of readTfRecords(file, { maxRecordBytes, maxRecords: readUpTo })) {
      if (n === want)
        throw new DataError(
          `${file}: holds more than the ${cls.images} records ${SPEC_FILE} gives class ${cls.id} (${cls.name}) (next one at byte offset ${record.offset})`,
        );
      pixels.set(decodeRecord(record.data, file, record.offset, cls, size, mode), at * area);
      at++;
      n++;
      if (at % 500 === 0) report({ done: at, total });
    }
    if (n < want)
      throw new DataError(
        `${file}: holds ${n} records, but ${SPEC_FILE} gives class ${cls.id} (${cls.name}) ${cls.images}`,
      );
    const alphabet =
      alphabetFrom === 'split' ? cls.split : alphabetFrom === 'dataset' ? spec.name : cls.superclass!;
    // classes are told apart by alphabet + character: a repeated name gets its class id added
    const character = seen.has(`${alphabet}\0${cls.name}`) ? `${cls.name} (class ${cls.id})` : cls.name;
    seen.add(`${alphabet}\0${character}`);
    counts.push({ alphabet, character, count: n });
  }
  report({ done: total, total });
  return fromClassCounts(size, pixels, counts);
}

/** One record's image as size x size pixels, after checking that it is an Example of this class. */
function decodeRecord(
  data: Uint8Array,
  file: string,
  offset: number,
  cls: SpecClass,
  size: number,
  mode: PixelMode,
): Float32Array {
  const where = `${file}: record at byte offset ${offset}`;
  let features;
  try {
    features = decodeExample(data);
  } catch (e) {
    throw new DataError(`${where}: not a tf.train.Example (${(e as Error).message})`);
  }
  const image = features.get('image');
  if (!image || image.kind !== 'bytes' || image.value.length !== 1) {
    throw new DataError(
      `${where}: expected one encoded image in the bytes feature "image", found ${describe(image)}`,
    );
  }
  const label = features.get('label');
  if (!label || label.kind !== 'int64' || label.value.length !== 1) {
    throw new DataError(
      `${where}: expected one class id in the int64 feature "label", found ${describe(label)}`,
    );
  }
  if (label.value[0] !== BigInt(cls.id)) {
    throw new DataError(
      `${where}: label ${label.value[0]} in the records file of class ${cls.id} (${cls.name})`,
    );
  }
  return decodePixels(image.value[0], `${where}`, size, mode);
}

function describe(
  f: ReturnType<typeof decodeExample> extends Map<string, infer V> ? V | undefined : never,
): string {
  if (!f) return 'no such feature';
  if (f.kind === 'none') return 'an empty feature';
  return `${f.value.length} ${f.kind} value(s)`;
}
