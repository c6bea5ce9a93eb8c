import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildImageSet, DataError, type ImageItem, type ImageSet } from '@hypermeta/core';
import { loadEpisodeFolder } from '../episode-folder.js';
import { loadOmniglot } from '../omniglot-source.js';
import type { DomainContext, DomainData, DomainLoader } from './registry.js';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Episode folders under `dir`: itself when it has support/, else its sub-folders that have one. */
function episodeFolders(dir: string): string[] {
  if (isDir(join(dir, 'support'))) return [dir];
  return readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => isDir(join(p, 'support')));
}

/**
 * A user's episode folders as one domain: every label of every episode is a class (grouped by its
 * episode), holding its support and labelled query images together.
 */
async function fromEpisodes(folders: string[], size: number): Promise<ImageSet> {
  const items: ImageItem[] = [];
  for (const folder of folders) {
    const e = await loadEpisodeFolder(folder, size);
    const px = size * size;
    const group = basename(folder);
    for (let i = 0; i < e.supportLabels.length; i++)
      items.push({
        alphabet: group,
        character: e.labelNames[e.supportLabels[i]],
        key: `support-${i}`,
        pixels: e.support.slice(i * px, (i + 1) * px),
      });
    if (e.queryLabels)
      for (let i = 0; i < e.queryLabels.length; i++)
        items.push({
          alphabet: group,
          character: e.labelNames[e.queryLabels[i]],
          key: `query-${e.queryNames[i]}`,
          pixels: e.query.slice(i * px, (i + 1) * px),
        });
  }
  return buildImageSet(size, items);
}

/**
 * Your own images as a domain, in either layout hypermeta reads: episode folders
 * (support/<label>/…, query/<label>/…, as `eval --episodes-dir` takes) or Omniglot's
 * <group>/<class>/<image> folders or zips (decoded once, then cached like Omniglot).
 */
async function load(ctx: DomainContext, dir?: string): Promise<DomainData> {
  const root = resolve(dir!);
  if (!isDir(root)) throw new DataError(`${root}: no such folder`);
  const episodes = episodeFolders(root);
  const set = episodes.length
    ? await fromEpisodes(episodes, ctx.size)
    : await loadOmniglot(root, { cacheDir: ctx.cacheDir, size: ctx.size });
  return { train: set, test: set, withinGroup: false };
}

export const folderDomain: DomainLoader = {
  name: 'folder',
  summary:
    'your own images: episode folders (support/<label>/, query/<label>/) or <group>/<class>/<image> folders',
  takesPath: true,
  load,
};
