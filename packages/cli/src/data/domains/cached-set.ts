import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { DataError, type ImageSet } from '@hypermeta/core';
import { readCache, writeCache, type SourceStamp } from '../image-cache.js';
import type { DomainContext } from './registry.js';

/** A file a generated set is made from, stamped by size and time so that a changed file rebuilds it. */
export function fileStamp(path: string): SourceStamp {
  try {
    const st = statSync(path);
    return { name: basename(path), kind: 'dir', size: st.size, mtimeMs: st.mtimeMs };
  } catch (e) {
    throw new DataError(`cannot read ${path} (${(e as Error).message})`);
  }
}

/** The recipe a set is made with (its parameters and version): a change rebuilds the cache. */
export function recipeStamp(recipe: unknown): SourceStamp {
  const listing = createHash('sha256').update(JSON.stringify(recipe)).digest('hex');
  return { name: 'recipe', kind: 'dir', size: 0, mtimeMs: 0, listing };
}

/**
 * The set `build` makes, cached in ctx.cacheDir under `base`: read back while the stamps match,
 * else built (the first load, measured in docs/DOMAINS.md) and written.
 */
export async function cachedSet(
  ctx: DomainContext,
  base: string,
  stamps: SourceStamp[],
  build: () => Promise<ImageSet> | ImageSet,
): Promise<ImageSet> {
  const name = `${base}-${ctx.size}px`;
  const hit = await readCache(ctx.cacheDir, name, ctx.size, stamps);
  if ('set' in hit) return hit.set;
  ctx.log(`building the ${base} images (${hit.miss})…`);
  const set = await build();
  await writeCache(ctx.cacheDir, name, set, stamps);
  return set;
}
