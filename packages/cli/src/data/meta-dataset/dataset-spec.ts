import { DataError } from '@hypermeta/core';

/**
 * Meta-Dataset's `dataset_spec.json`, as its conversion scripts write it (`to_dict()` of the three
 * specification classes in meta_dataset/data/dataset_spec.py):
 *
 * - `DatasetSpecification` (aircraft, cu_birds, dtd, fungi, mscoco, quickdraw, traffic_sign,
 *   vgg_flower): `classes_per_split` {TRAIN, VALID, TEST: count}, `images_per_class` {id: count},
 *   `class_names` {id: name}.
 * - `BiLevelDatasetSpecification` (omniglot): `superclasses_per_split`, `classes_per_superclass`
 *   {superclass id: count}, `superclass_names`, plus `images_per_class` and `class_names`.
 * - `HierarchicalDatasetSpecification` (ilsvrc_2012): `split_subgraphs` {split: [{wn_id,
 *   children_ids, …}]}, `images_per_class` {split: {wn_id: count}} (internal nodes count every
 *   image below them), `class_names` {id: wn_id}; a class is a leaf of one split's subgraph.
 *
 * All three also have `name`, `path` (where the records were written; ignored: the records are
 * read from the folder that holds the spec) and `file_pattern` (`{}.tfrecords`: `{}` is the class
 * id). Class ids are 0..N-1 and each split owns a contiguous range, TRAIN first, then VALID, TEST.
 */

export const SPLITS = ['train', 'valid', 'test'] as const;
export type MetaSplit = (typeof SPLITS)[number];
const SPLIT_KEYS = { train: 'TRAIN', valid: 'VALID', test: 'TEST' } as const;

export type SpecKind =
  'DatasetSpecification' | 'BiLevelDatasetSpecification' | 'HierarchicalDatasetSpecification';

export interface SpecClass {
  /** The class id: its labels in the records and its file name. */
  id: number;
  name: string;
  split: MetaSplit;
  /** BiLevel specs only: the superclass's name (an Omniglot alphabet). */
  superclass?: string;
  /** Number of images the spec says the class has. */
  images: number;
  /** The class's records file name, relative to the spec's folder. */
  file: string;
}

export interface MetaDatasetSpec {
  name: string;
  kind: SpecKind;
  filePattern: string;
  /** In class id order. */
  classes: SpecClass[];
}

/** Most classes a spec may declare (ImageNet has 1,000; the whole benchmark about 4,900). */
export const MAX_SPEC_CLASSES = 100_000;

type Json = Record<string, unknown>;

/** Reads a parsed dataset_spec.json; every structural problem is a DataError naming `file`. */
export function parseDatasetSpec(json: unknown, file: string): MetaDatasetSpec {
  const fail = (what: string): never => {
    throw new DataError(`${file}: ${what}`);
  };
  const obj = (v: unknown, what: string): Json =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Json)
      : fail(`${what} must be a JSON object`);
  const count = (v: unknown, what: string): number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
      ? v
      : typeof v === 'string' && /^\d{1,15}$/.test(v)
        ? Number(v)
        : fail(`${what} must be a whole number ≥ 0, got ${JSON.stringify(v)}`);
  const text = (v: unknown, what: string): string =>
    typeof v === 'string'
      ? v
      : typeof v === 'number'
        ? String(v)
        : fail(`${what} must be a string, got ${JSON.stringify(v)}`);
  const perSplit = (v: unknown, what: string): Record<MetaSplit, number> => {
    const o = obj(v, what);
    const r = {} as Record<MetaSplit, number>;
    for (const s of SPLITS) r[s] = count(o[SPLIT_KEYS[s]], `${what}.${SPLIT_KEYS[s]}`);
    return r;
  };
  const idKeyed = (v: unknown, what: string, n: number): Json => {
    const o = obj(v, what);
    for (let id = 0; id < n; id++)
      if (!(String(id) in o)) fail(`${what} has no entry for id ${id} (ids run from 0 to ${n - 1})`);
    return o;
  };

  const spec = obj(json, 'the dataset specification');
  const kind = spec['__class__'];
  if (
    kind !== 'DatasetSpecification' &&
    kind !== 'BiLevelDatasetSpecification' &&
    kind !== 'HierarchicalDatasetSpecification'
  ) {
    fail(
      `not a Meta-Dataset dataset specification: "__class__" is ${JSON.stringify(kind)}, expected DatasetSpecification, BiLevelDatasetSpecification or HierarchicalDatasetSpecification`,
    );
  }
  const name = text(spec['name'], '"name"');
  const filePattern = text(spec['file_pattern'] ?? '{}.tfrecords', '"file_pattern"');
  if (filePattern.startsWith('{}_{}')) {
    fail(
      `file_pattern "${filePattern}" (records sharded or split into example-level pools) is not supported: Meta-Dataset's own reader expects one file per class, "{}.tfrecords"`,
    );
  }
  if (filePattern.split('{}').length !== 2 || /[/\\]/.test(filePattern)) {
    fail(
      `file_pattern "${filePattern}" must name one file per class with one "{}" for the class id, like "{}.tfrecords"`,
    );
  }
  const fileOf = (id: number) => filePattern.replace('{}', String(id));
  const checkTotal = (n: number) =>
    n > MAX_SPEC_CLASSES
      ? fail(`declares ${n} classes, more than the ${MAX_SPEC_CLASSES} a specification may have`)
      : n;

  const classes: SpecClass[] = [];
  if (kind === 'DatasetSpecification' || kind === 'BiLevelDatasetSpecification') {
    let splitOf: MetaSplit[] = [];
    const superOf: string[] = [];
    if (kind === 'DatasetSpecification') {
      const perSplitCount = perSplit(spec['classes_per_split'], 'classes_per_split');
      checkTotal(SPLITS.reduce((s, k) => s + perSplitCount[k], 0));
      for (const s of SPLITS) splitOf = splitOf.concat(Array<MetaSplit>(perSplitCount[s]).fill(s));
    } else {
      const supersPerSplit = perSplit(spec['superclasses_per_split'], 'superclasses_per_split');
      const nSuper = SPLITS.reduce((s, k) => s + supersPerSplit[k], 0);
      checkTotal(nSuper);
      const classesPerSuper = idKeyed(spec['classes_per_superclass'], 'classes_per_superclass', nSuper);
      const superNames = idKeyed(spec['superclass_names'], 'superclass_names', nSuper);
      let superId = 0;
      for (const s of SPLITS) {
        for (let k = 0; k < supersPerSplit[s]; k++, superId++) {
          const n = count(classesPerSuper[String(superId)], `classes_per_superclass["${superId}"]`);
          checkTotal(splitOf.length + n);
          const superName = text(superNames[String(superId)], `superclass_names["${superId}"]`);
          for (let c = 0; c < n; c++) {
            splitOf.push(s);
            superOf.push(superName);
          }
        }
      }
    }
    const images = idKeyed(spec['images_per_class'], 'images_per_class', splitOf.length);
    const names = obj(spec['class_names'], 'class_names');
    splitOf.forEach((split, id) => {
      const n = images[String(id)];
      if (n !== null && typeof n === 'object') {
        fail(
          `images_per_class["${id}"] is split into example-level pools (${Object.keys(n).join(', ')}), which this reader does not support`,
        );
      }
      classes.push({
        id,
        name: names[String(id)] === undefined ? String(id) : text(names[String(id)], `class_names["${id}"]`),
        split,
        ...(kind === 'BiLevelDatasetSpecification' ? { superclass: superOf[id] } : {}),
        images: count(n, `images_per_class["${id}"]`),
        file: fileOf(id),
      });
    });
  } else {
    const subgraphs = obj(spec['split_subgraphs'], 'split_subgraphs');
    const imagesPerSplit = obj(spec['images_per_class'], 'images_per_class');
    const leafSplit = new Map<string, MetaSplit>();
    for (const s of SPLITS) {
      const nodes = subgraphs[SPLIT_KEYS[s]];
      if (!Array.isArray(nodes)) fail(`split_subgraphs.${SPLIT_KEYS[s]} must be a list of nodes`);
      for (const [i, node] of (nodes as unknown[]).entries()) {
        const o = obj(node, `split_subgraphs.${SPLIT_KEYS[s]}[${i}]`);
        const children = o['children_ids'];
        if (children !== undefined && !Array.isArray(children))
          fail(`split_subgraphs.${SPLIT_KEYS[s]}[${i}].children_ids must be a list`);
        if (!children || (children as unknown[]).length === 0)
          leafSplit.set(text(o['wn_id'], `split_subgraphs.${SPLIT_KEYS[s]}[${i}].wn_id`), s);
      }
    }
    const names = obj(spec['class_names'], 'class_names');
    const n = checkTotal(Object.keys(names).length);
    idKeyed(names, 'class_names', n);
    for (let id = 0; id < n; id++) {
      const wnId = text(names[String(id)], `class_names["${id}"]`);
      const split =
        leafSplit.get(wnId) ?? fail(`class ${id} (${wnId}) is not a leaf of any split's subgraph`);
      const counts = obj(imagesPerSplit[SPLIT_KEYS[split]], `images_per_class.${SPLIT_KEYS[split]}`);
      classes.push({
        id,
        name: wnId,
        split,
        images: count(counts[wnId], `images_per_class.${SPLIT_KEYS[split]}["${wnId}"]`),
        file: fileOf(id),
      });
    }
  }
  return { name, kind: kind as SpecKind, filePattern, classes };
}
