import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataError } from '@hypermeta/core';
import { parseDatasetSpec } from './dataset-spec.js';

const SPEC = fileURLToPath(new URL('./fixtures/tiny/dataset_spec.json', import.meta.url));

/** Omniglot's spec in miniature: BiLevelDatasetSpecification.to_dict() with 2 + 1 + 1 alphabets. */
const bilevelSpec = {
  name: 'omniglot',
  superclasses_per_split: { TRAIN: 2, VALID: 1, TEST: 1 },
  classes_per_superclass: { '0': 2, '1': 1, '2': 1, '3': 3 },
  images_per_class: { '0': 20, '1': 20, '2': 20, '3': 20, '4': 20, '5': 20, '6': 20 },
  superclass_names: {
    '0': 'Anglo-Saxon_Futhorc',
    '1': 'Arcadian',
    '2': 'Bengali',
    '3': 'Atemayar_Qelisayer',
  },
  class_names: {
    '0': 'Anglo-Saxon_Futhorc-character01',
    '1': 'Anglo-Saxon_Futhorc-character02',
    '2': 'Arcadian-character01',
    '3': 'Bengali-character01',
    '4': 'Atemayar_Qelisayer-character01',
    '5': 'Atemayar_Qelisayer-character02',
    '6': 'Atemayar_Qelisayer-character03',
  },
  path: '/path/to/records/omniglot',
  file_pattern: '{}.tfrecords',
  __class__: 'BiLevelDatasetSpecification',
};

/** ImageNet's spec in miniature: HierarchicalDatasetSpecification.to_dict(); leaves are the classes. */
const node = (wn_id: string, children_ids: string[], parents_ids: string[]) => ({
  wn_id,
  words: wn_id,
  children_ids,
  parents_ids,
});
const hierarchicalSpec = {
  name: 'ilsvrc_2012',
  split_subgraphs: {
    TRAIN: [node('n0', ['n1', 'n2'], []), node('n1', [], ['n0']), node('n2', [], ['n0'])],
    VALID: [node('n3', [], [])],
    TEST: [node('n9', ['n4'], []), node('n4', [], ['n9'])],
  },
  images_per_class: {
    TRAIN: { n0: 2599, n1: 1300, n2: 1299 },
    VALID: { n3: 1300 },
    TEST: { n9: 732, n4: 732 },
  },
  class_names: { '0': 'n1', '1': 'n2', '2': 'n3', '3': 'n4' },
  path: '/path/to/records/ilsvrc_2012',
  file_pattern: '{}.tfrecords',
  __class__: 'HierarchicalDatasetSpecification',
};

const refused = (json: unknown) => {
  try {
    parseDatasetSpec(json, 'spec.json');
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as Error).message).toMatch(/^spec\.json: /);
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe('parseDatasetSpec', () => {
  it('reads a DatasetSpecification (the fixture the Python script wrote)', () => {
    const spec = parseDatasetSpec(JSON.parse(readFileSync(SPEC, 'utf8')), SPEC);
    expect(spec).toMatchObject({
      name: 'tiny_shapes',
      kind: 'DatasetSpecification',
      filePattern: '{}.tfrecords',
    });
    expect(spec.classes).toEqual([
      { id: 0, name: 'ring', split: 'train', images: 4, file: '0.tfrecords' },
      { id: 1, name: 'cross', split: 'train', images: 4, file: '1.tfrecords' },
      { id: 2, name: 'badge', split: 'valid', images: 4, file: '2.tfrecords' },
      { id: 3, name: 'photo', split: 'test', images: 4, file: '3.tfrecords' },
    ]);
  });

  it('reads a BiLevelDatasetSpecification: superclasses own contiguous class ids, train first', () => {
    const spec = parseDatasetSpec(bilevelSpec, 'spec.json');
    expect(spec.classes.map((c) => [c.id, c.split, c.superclass])).toEqual([
      [0, 'train', 'Anglo-Saxon_Futhorc'],
      [1, 'train', 'Anglo-Saxon_Futhorc'],
      [2, 'train', 'Arcadian'],
      [3, 'valid', 'Bengali'],
      [4, 'test', 'Atemayar_Qelisayer'],
      [5, 'test', 'Atemayar_Qelisayer'],
      [6, 'test', 'Atemayar_Qelisayer'],
    ]);
  });

  it('reads a HierarchicalDatasetSpecification: each class is a leaf of one split’s graph', () => {
    const spec = parseDatasetSpec(hierarchicalSpec, 'spec.json');
    expect(spec.classes.map((c) => [c.id, c.name, c.split, c.images])).toEqual([
      [0, 'n1', 'train', 1300],
      [1, 'n2', 'train', 1299],
      [2, 'n3', 'valid', 1300],
      [3, 'n4', 'test', 732],
    ]);
  });

  it('refuses what it cannot read, each with one clear line', () => {
    const base = JSON.parse(readFileSync(SPEC, 'utf8')) as Record<string, unknown>;
    expect(refused([1, 2])).toMatch(/must be a JSON object/);
    expect(refused({ ...base, __class__: 'Something' })).toMatch(/not a Meta-Dataset dataset specification/);
    expect(refused({ ...base, file_pattern: '{}_{}.tfrecords' })).toMatch(
      /sharded or split into example-level pools\) is not supported/,
    );
    expect(refused({ ...base, file_pattern: 'records.tfrecords' })).toMatch(/one "\{\}" for the class id/);
    expect(refused({ ...base, file_pattern: '../{}.tfrecords' })).toMatch(/one "\{\}" for the class id/);
    expect(refused({ ...base, classes_per_split: { TRAIN: 2, VALID: 1 } })).toMatch(
      /classes_per_split\.TEST must be a whole number/,
    );
    expect(refused({ ...base, classes_per_split: { TRAIN: 2, VALID: 1, TEST: 2 } })).toMatch(
      /images_per_class has no entry for id 4/,
    );
    expect(refused({ ...base, images_per_class: { '0': 4, '1': -1, '2': 4, '3': 4 } })).toMatch(
      /images_per_class\["1"\] must be a whole number ≥ 0, got -1/,
    );
    expect(
      refused({ ...base, images_per_class: { '0': { train: 3, test: 1 }, '1': 4, '2': 4, '3': 4 } }),
    ).toMatch(/example-level pools \(train, test\)/);
    expect(refused({ ...base, classes_per_split: { TRAIN: 1e6, VALID: 0, TEST: 0 } })).toMatch(
      /declares 1000000 classes, more than the 100000/,
    );
    expect(refused({ ...bilevelSpec, superclass_names: { '0': 'a' } })).toMatch(
      /superclass_names has no entry for id 1/,
    );
    expect(refused({ ...hierarchicalSpec, class_names: { '0': 'n0' } })).toMatch(
      /class 0 \(n0\) is not a leaf of any split's subgraph/,
    );
  });
});
