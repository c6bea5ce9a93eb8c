import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadMetaDatasetFolder, readMetaDatasetSpec, type MetaSplit } from '../meta-dataset/index.js';
import { cachedSet, fileStamp, recipeStamp } from './cached-set.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

/** Most records read per class: QuickDraw's classes hold over 100,000; 500 keeps a load within seconds. */
export const MAX_PER_CLASS = 500;

/**
 * A folder of Meta-Dataset's converted records (dataset_spec.json + one .tfrecords file per class):
 * training uses its `train` split's classes, evaluation its `test` split's, as Meta-Dataset does.
 * Groups are the split's superclasses where the spec has them (omniglot's alphabets).
 */
async function load(ctx: DomainContext, dir?: string): Promise<DomainData> {
  const root = resolve(dir!);
  readMetaDatasetSpec(root); // a missing folder or spec is a clear error before anything else
  const stamps = readdirSync(root)
    .filter((n) => n === 'dataset_spec.json' || n.endsWith('.tfrecords'))
    .sort()
    .map((n) => fileStamp(join(root, n)));
  const tag = createHash('sha256').update(root).digest('hex').slice(0, 12);
  const part = (split: MetaSplit) =>
    cachedSet(
      ctx,
      `metadataset-${split}-${tag}`,
      [...stamps, recipeStamp({ split, max: MAX_PER_CLASS })],
      () =>
        loadMetaDatasetFolder(root, { size: ctx.size, splits: [split], maxImagesPerClass: MAX_PER_CLASS }),
    );
  return { train: await part('train'), test: await part('test'), withinGroup: false };
}

export const metaDatasetDomain: DomainLoader = {
  name: 'metadataset',
  summary: "a folder of Meta-Dataset's converted records: train split to train on, test split to evaluate",
  takesPath: true,
  load,
};
